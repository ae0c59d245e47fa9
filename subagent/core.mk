# SPDX-License-Identifier: GPL-3.0-or-later
# subagent core (config, routers and their probes, snapshots): convenience
# library subagent/libmprmon_daemon.la.  The daemon links it with the SNMP
# face; the tests in tests/subagent link it too.  probe.c, verdict.c,
# schedule.c and snapshot.c are pure (no I/O) for unit tests.
noinst_LTLIBRARIES += subagent/libmprmon_daemon.la
subagent_libmprmon_daemon_la_SOURCES = \
	subagent/conf.c subagent/conf.h \
	subagent/strpool.c subagent/strpool.h \
	subagent/row.h \
	subagent/snapshot.c subagent/snapshot.h \
	subagent/ifaces.c subagent/ifaces.h \
	subagent/ports.c subagent/ports.h \
	subagent/probe.c subagent/probe_priv.h \
	subagent/verdict.c subagent/verdict.h \
	subagent/schedule.c subagent/schedule_priv.h \
	subagent/routers.c subagent/routers.h subagent/routers_priv.h \
	subagent/reconcile.c \
	subagent/probing.c
subagent_libmprmon_daemon_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/subagent
subagent_libmprmon_daemon_la_LIBADD = lib/libmprapi.la $(PTHREAD_LIBS)
