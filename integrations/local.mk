# SPDX-License-Identifier: GPL-3.0-or-later
# integrations/: definitions for the NMSs that poll the table, installed
# under $(pkgdatadir) (/usr/share/mprmon).
nagiosdir = $(pkgdatadir)/nagios
dist_nagios_DATA = integrations/nagios/mprmon.cfg
snmptrapddir = $(pkgdatadir)/snmptrapd
dist_snmptrapd_SCRIPTS = integrations/snmptrapd/mprmon-traphandle
librenmsdir = $(pkgdatadir)/librenms
dist_librenms_DATA = integrations/librenms/mprmon.yaml
librenmsdiscoverydir = $(librenmsdir)/discovery
dist_librenmsdiscovery_DATA = integrations/librenms/discovery/mprmon.yaml
zabbixdir = $(pkgdatadir)/zabbix
dist_zabbix_DATA = integrations/zabbix/mprmon-template.yaml
prometheusdir = $(pkgdatadir)/prometheus
dist_prometheus_DATA = integrations/prometheus/snmp.yml \
	integrations/prometheus/generator.yml \
	integrations/prometheus/mprmon-alerts.yml \
	integrations/prometheus/prometheus.yml
dist_prometheus_SCRIPTS = integrations/prometheus/generate.sh \
	integrations/prometheus/rename.py
