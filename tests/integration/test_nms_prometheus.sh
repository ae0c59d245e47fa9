#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped snmp.yml in a real prometheus-snmp-exporter, scraping the
# live table through snmpd as Prometheus would: every metric named
# Prometheus-style with the router's name as a label, values as the
# routers have them, and no sample at all where a value is unknown (a
# stopped or unreachable router has no ports count, not 0).  The example
# alert rules pass promtool's checks and its unit tests.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

EXPORTER=${PROMETHEUS_SNMP_EXPORTER:-/usr/bin/prometheus-snmp-exporter}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
for tool in "$EXPORTER" "$PROMTOOL"; do
    if [ ! -x "$tool" ]; then
        echo "SKIP: $tool (prometheus-snmp-exporter, prometheus) is not installed"
        exit 77
    fi
done
PROM_DIR=$top_srcdir/integrations/prometheus

# The configuration and rules first: they need no peers.  check config
# reads rule_files where the package installs them: point it at ours.
sed "s|/usr/share/mprmon/prometheus/|$PROM_DIR/|" "$PROM_DIR/prometheus.yml" \
    >"$MPRMON_TEST_TMP/prometheus.yml" || exit 1
"$PROMTOOL" check config "$MPRMON_TEST_TMP/prometheus.yml" || fail "promtool check config"
"$PROMTOOL" check rules "$PROM_DIR/mprmon-alerts.yml" || fail "promtool check rules"
# promtool finds rule_files beside the test file.
cp "$PROM_DIR/mprmon-alerts.yml" "$top_srcdir/tests/integration/prometheus_alerts_test.yml" \
    "$MPRMON_TEST_TMP/" || exit 1
"$PROMTOOL" test rules "$MPRMON_TEST_TMP/prometheus_alerts_test.yml" || fail "promtool test rules"

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 --total-ports 8 --ports-in-use 3 || exit 1
rras_peer_start r2 || exit 1
rras_peer_set_service r2 stopped || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 0
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
    subagent_conf_router 3 offline "$closed"
} >"$conf"
subagent_start "$conf" || exit 1
snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null || fail "r1 never running"
snmp_wait_value "$MPR_ENTRY.5.2" 2 30 >/dev/null || fail "r2 never stopped"
snmp_wait_value "$MPR_ENTRY.4.3" 4 30 >/dev/null || fail "router 3 never failed"

# The README's set-up: the shipped file with snmpd's community put in.
exporter_conf=$MPRMON_TEST_TMP/snmp.yml
sed "s/community: public/community: $SNMP_COMMUNITY/" "$PROM_DIR/snmp.yml" >"$exporter_conf"
grep -q "community: $SNMP_COMMUNITY" "$exporter_conf" || fail "snmp.yml has no community line to edit"
"$EXPORTER" --config.file="$exporter_conf" --dry-run >"$MPRMON_TEST_TMP/dry-run.log" 2>&1 ||
    fail "exporter refuses snmp.yml: $(cat "$MPRMON_TEST_TMP/dry-run.log")"
port=$(pick_port)
"$EXPORTER" --config.file="$exporter_conf" --web.listen-address="127.0.0.1:$port" \
    >"$MPRMON_TEST_TMP/exporter.log" 2>&1 &
peers_track $!
wait_port "$port" 20 || { cat "$MPRMON_TEST_TMP/exporter.log"; exit 1; }

scrape="$PYTHON3_SYSTEM $top_srcdir/tests/integration/prometheus_scrape.py"
url="http://127.0.0.1:$port/snmp?module=mprmon&target=127.0.0.1:$SNMPD_PORT"
out=$MPRMON_TEST_TMP/scrape.txt
# Router 3 is retried all the time, between failed(4) and connecting(2):
# never connected, and its last error stays.
r1='router=r1,router_id=1' r2='router=r2,router_id=2' r3='router=offline,router_id=3'
$scrape "$url" "$out" \
    "mprmon_routers_configured{}=3" \
    "mprmon_routers_service_running{}=1" \
    "mprmon_router_service_state{$r1,mprmon_router_service_state=running}=1" \
    "mprmon_router_service_state{$r1,mprmon_router_service_state=stopped}=0" \
    "mprmon_router_service_state{$r2,mprmon_router_service_state=stopped}=1" \
    "mprmon_router_service_state{$r3,mprmon_router_service_state=unknown}=1" \
    "mprmon_router_connection_state{$r1,mprmon_router_connection_state=connected}=1" \
    "mprmon_router_connection_state{$r3,mprmon_router_connection_state=connected}=0" \
    "mprmon_router_service_state_text{$r2,mprmon_router_service_state_text=RemoteAccess is stopped}=1" \
    "mprmon_router_last_error_code{$r1}=0" \
    "mprmon_router_last_error_code{$r3}=1722" \
    "mprmon_router_last_error_name{$r3,mprmon_router_last_error_name=RPC_S_SERVER_UNAVAILABLE}=1" \
    "mprmon_router_ports{$r1}=8" \
    "mprmon_router_ports_in_use{$r1}=3" \
    "mprmon_router_ports_in_use{$r2}!" \
    "mprmon_router_ports_in_use{$r3}!" \
    "mprmon_router_ports{$r3}!" \
    "mprmon_router_service_uptime_seconds{$r1}?" \
    "mprmon_router_service_uptime_seconds{$r3}!" \
    "mprmon_router_probes_total{$r1}>0" \
    "mprmon_router_connect_attempts_total{$r3}>0" \
    "mprmon_router_connect_failures_total{$r3}>0" \
    "mprmon_router_probe_latency_seconds{$r1}<30" \
    "mprmon_router_probe_latency_seconds{$r1}>0" \
    "mprmon_router_last_probe_age_seconds{$r1}<30" \
    "mprmon_router_last_answer_age_seconds{$r1}<30" \
    "mprmon_router_last_change_age_seconds{$r1}?" \
    "mprmon_router_stale{$r1}=0" \
    "mprmon_router_address{$r1}?" ||
    fail "the scrape (in $out) lacks what the table holds"
# Nothing is left under a MIB-style name or with a raw index label.
if grep -E '^mpr[A-Z]|mprRouter(Index|Name)=' "$out"; then
    fail "MIB-style names left in the scrape"
fi
# promtool's lint of the exposition: names, units and _total suffixes.
"$PROMTOOL" check metrics <"$out" >"$MPRMON_TEST_TMP/lint.txt" 2>&1 ||
    fail "promtool check metrics: $(cat "$MPRMON_TEST_TMP/lint.txt")"

dump() {
    echo "---- scrape ----"; grep -v '^#' "$out" 2>/dev/null | head -n 80
    echo "---- exporter log ----"; tail -n 20 "$MPRMON_TEST_TMP/exporter.log"
    subagent_log_tail
}
finish dump
