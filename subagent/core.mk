# SPDX-License-Identifier: GPL-3.0-or-later
# subagent core (config, registry, prober): convenience library subagent/libmprmon_daemon.la
# The daemon links it with the SNMP face; the tests in tests/subagent link it
# too.  probe.c and schedule.c are pure (no I/O, no locks) for unit tests.
noinst_LTLIBRARIES += subagent/libmprmon_daemon.la
subagent_libmprmon_daemon_la_SOURCES = \
	subagent/conf.c subagent/conf.h \
	subagent/strpool.c subagent/strpool.h \
	subagent/registry.c subagent/registry.h \
	subagent/probe.c subagent/probe_priv.h \
	subagent/schedule.c subagent/schedule_priv.h \
	subagent/prober.c subagent/prober.h
subagent_libmprmon_daemon_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/subagent
subagent_libmprmon_daemon_la_LIBADD = lib/libmprapi.la $(PTHREAD_LIBS)
