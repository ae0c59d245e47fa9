# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/subagent.mk - the subagent's SNMP face: MIB lint, Check
# suites for the table and notification logic, and end-to-end scripts with
# a real snmpd, snmptrapd and RRAS peers.

# Check suites (tests/subagent/check_mib_*.c, check_notify.c): kept here
# because tests/subagent/local.mk belongs to the subagent core's tests.
check_PROGRAMS += tests/subagent/check_mib_table tests/subagent/check_notify \
	tests/subagent/check_mib_ifaces tests/subagent/check_mib_ports
TESTS += tests/subagent/check_mib_table tests/subagent/check_notify \
	tests/subagent/check_mib_ifaces tests/subagent/check_mib_ports

SNMP_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/subagent
SNMP_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
SNMP_TEST_LDADD = subagent/libmprmon_snmp.la subagent/libmprmon_daemon.la \
	lib/libmprapi.la $(CHECK_LIBS) $(NETSNMP_AGENT_LIBS) $(PTHREAD_LIBS)

tests_subagent_check_mib_ifaces_SOURCES = tests/subagent/check_mib_ifaces.c
tests_subagent_check_mib_ifaces_CPPFLAGS = $(SNMP_TEST_CPPFLAGS)
tests_subagent_check_mib_ifaces_CFLAGS = $(SNMP_TEST_CFLAGS)
tests_subagent_check_mib_ifaces_LDADD = $(SNMP_TEST_LDADD)

tests_subagent_check_mib_ports_SOURCES = tests/subagent/check_mib_ports.c
tests_subagent_check_mib_ports_CPPFLAGS = $(SNMP_TEST_CPPFLAGS)
tests_subagent_check_mib_ports_CFLAGS = $(SNMP_TEST_CFLAGS)
tests_subagent_check_mib_ports_LDADD = $(SNMP_TEST_LDADD)

tests_subagent_check_mib_table_SOURCES = tests/subagent/check_mib_table.c
tests_subagent_check_mib_table_CPPFLAGS = $(SNMP_TEST_CPPFLAGS)
tests_subagent_check_mib_table_CFLAGS = $(SNMP_TEST_CFLAGS)
tests_subagent_check_mib_table_LDADD = $(SNMP_TEST_LDADD)

tests_subagent_check_notify_SOURCES = tests/subagent/check_notify.c
tests_subagent_check_notify_CPPFLAGS = $(SNMP_TEST_CPPFLAGS)
tests_subagent_check_notify_CFLAGS = $(SNMP_TEST_CFLAGS)
tests_subagent_check_notify_LDADD = $(SNMP_TEST_LDADD)

# Scripts.
SUBAGENT_SNMP_TESTS = \
	tests/integration/test_mib_smilint.sh \
	tests/integration/test_subagent_cli.sh \
	tests/integration/test_subagent_table.sh \
	tests/integration/test_subagent_traps.sh \
	tests/integration/test_subagent_interfaces.sh \
	tests/integration/test_subagent_interfaces_stream.sh \
	tests/integration/test_subagent_ports.sh \
	tests/integration/test_subagent_ports_stream.sh \
	tests/integration/test_subagent_restart.sh \
	tests/integration/test_subagent_duplicate.sh \
	tests/integration/test_subagent_reload.sh \
	tests/integration/test_subagent_ratelimit.sh \
	tests/integration/test_subagent_large.sh \
	tests/integration/test_subagent_shared_snmpd.sh \
	tests/integration/test_snmpd_fragment.sh
TESTS += $(SUBAGENT_SNMP_TESTS)
EXTRA_DIST += $(SUBAGENT_SNMP_TESTS)
EXTRA_DIST += tests/integration/harness.sh
