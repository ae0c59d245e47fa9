# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/snmp.mk - private snmpd / snmptrapd, and the Zabbix that polls
# them, for integration tests.
EXTRA_DIST += tests/peers/snmp.sh tests/peers/zabbix.sh tests/peers/zabbix_api.py
