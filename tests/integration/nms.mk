# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/nms.mk - integrations/ in the clients that use them:
# check_snmp, snmptrapd, prometheus-snmp-exporter, promtool and a Zabbix
# server against the live table through a real snmpd.
NMS_TESTS = \
	tests/integration/test_nms_check_snmp.sh \
	tests/integration/test_traphandle.sh \
	tests/integration/test_nms_prometheus.sh \
	tests/integration/test_nms_zabbix.sh \
	tests/integration/test_nms_librenms.sh \
	tests/integration/test_prometheus_snmp_yml.sh
TESTS += $(NMS_TESTS)
EXTRA_DIST += $(NMS_TESTS) \
	tests/integration/prometheus_scrape.py \
	tests/integration/prometheus_alerts_test.yml \
	tests/integration/librenms_check.py
