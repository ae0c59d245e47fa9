# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/snmp.mk - private snmpd / snmptrapd for integration tests.
EXTRA_DIST += tests/peers/snmp.sh
