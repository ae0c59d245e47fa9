# SPDX-License-Identifier: GPL-3.0-or-later
# subagent SNMP face (agentx, mib_table, notify, main): sbin mprmon-subagent

# The SNMP face as a convenience library, so Check tests can link the
# table and notification code without main().
noinst_LTLIBRARIES += subagent/libmprmon_snmp.la
subagent_libmprmon_snmp_la_SOURCES = \
	subagent/agentx.c subagent/agentx.h \
	subagent/mib_cells.c subagent/mib_table.c subagent/mib_table.h \
	subagent/mib_rows.c subagent/mib_rows.h \
	subagent/mib_agent.c subagent/mib_agent.h \
	subagent/mib_ifaces.c subagent/mib_ifaces.h \
	subagent/mib_ports.c subagent/mib_ports.h \
	subagent/notify.c subagent/notify.h
subagent_libmprmon_snmp_la_CFLAGS = $(AM_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
subagent_libmprmon_snmp_la_LIBADD = $(NETSNMP_AGENT_LIBS)

sbin_PROGRAMS += subagent/mprmon-subagent
subagent_mprmon_subagent_SOURCES = subagent/main.c \
	subagent/privdrop.c subagent/privdrop.h
subagent_mprmon_subagent_CPPFLAGS = $(AM_CPPFLAGS) \
	-DMPRMON_VERSION='"$(PACKAGE_VERSION)"' \
	-DMPRMON_SYSCONFDIR='"$(sysconfdir)"'
subagent_mprmon_subagent_CFLAGS = $(AM_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
subagent_mprmon_subagent_LDADD = subagent/libmprmon_snmp.la \
	subagent/libmprmon_daemon.la lib/libmprapi.la \
	$(NETSNMP_AGENT_LIBS) $(PTHREAD_LIBS)
