# SPDX-License-Identifier: GPL-3.0-or-later
# tests/subagent: Check suites for the daemon's model (config, verdicts,
# snapshots, schedule, routers).  They link subagent/libmprmon_daemon.la.
SUBAGENT_CORE_TESTS = \
	tests/subagent/check_config \
	tests/subagent/check_verdict \
	tests/subagent/check_snapshot \
	tests/subagent/check_ifaces \
	tests/subagent/check_ports \
	tests/subagent/check_schedule \
	tests/subagent/check_routers
check_PROGRAMS += $(SUBAGENT_CORE_TESTS)
TESTS += $(SUBAGENT_CORE_TESTS)

SUBAGENT_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) -I$(top_srcdir)/subagent
SUBAGENT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
SUBAGENT_TEST_LDADD = subagent/libmprmon_daemon.la $(CHECK_LIBS) $(PTHREAD_LIBS)

tests_subagent_check_config_SOURCES = tests/subagent/check_config.c
tests_subagent_check_config_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_config_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_config_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_verdict_SOURCES = tests/subagent/check_verdict.c
tests_subagent_check_verdict_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_verdict_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_verdict_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_snapshot_SOURCES = tests/subagent/check_snapshot.c
tests_subagent_check_snapshot_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_snapshot_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_snapshot_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_ifaces_SOURCES = tests/subagent/check_ifaces.c
tests_subagent_check_ifaces_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_ifaces_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_ifaces_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_ports_SOURCES = tests/subagent/check_ports.c
tests_subagent_check_ports_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_ports_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_ports_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_schedule_SOURCES = tests/subagent/check_schedule.c
tests_subagent_check_schedule_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_schedule_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_schedule_LDADD = $(SUBAGENT_TEST_LDADD)

tests_subagent_check_routers_SOURCES = tests/subagent/check_routers.c \
	tests/subagent/drive.c tests/subagent/drive.h
tests_subagent_check_routers_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_routers_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_routers_LDADD = $(SUBAGENT_TEST_LDADD)

# The routers against the RRAS test peer: the script starts the peer and
# runs the Check program, which skips (77) when run without it.
check_PROGRAMS += tests/subagent/check_routers_rras
TESTS += tests/subagent/test_routers_rras.sh
EXTRA_DIST += tests/subagent/test_routers_rras.sh
tests_subagent_check_routers_rras_SOURCES = tests/subagent/check_routers_rras.c \
	tests/subagent/drive.c tests/subagent/drive.h
tests_subagent_check_routers_rras_CPPFLAGS = $(SUBAGENT_TEST_CPPFLAGS)
tests_subagent_check_routers_rras_CFLAGS = $(SUBAGENT_TEST_CFLAGS)
tests_subagent_check_routers_rras_LDADD = $(SUBAGENT_TEST_LDADD)

# mprmon-subagent -n: the configuration check, on the built daemon.
TESTS += tests/subagent/test_check_mode.sh
EXTRA_DIST += tests/subagent/test_check_mode.sh
