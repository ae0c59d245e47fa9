#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_isolation: does a crowd of hanging probes slow down SNMP?
#
# SNMP GET latency of one cell (mprRouterProbes.1), measured by
# bench/get_latency (synchronous GETs through the private snmpd, one
# latency per line), with
#   quiet: router 1 only (a closed port: its probes end at once), and
#   busy:  router 1 plus B routers pointing at the blackhole, whose connects
#          hang until the probe timeout, so every worker always has a probe
#          in flight and results keep trickling in.
# The same subagent process switches between the two configurations by
# reload (SIGHUP), alternating quiet/busy/quiet/busy, and the latencies of
# each kind are pooled.
#
# Target: p99(busy) / p99(quiet) <= 1.1, and no AgentX
# timeout in snmpd's log.  snmpd logs AgentX timeouts only as debug
# messages under the agentx/master token, so its configuration turns that
# token on: "resend on session ..." each time a request waited
# agentXTimeout for the subagent, "timeout on session ..." when the retries
# ran out too (seen with a SIGSTOPped subagent).  The subagent's log is also
# checked for reconnects, which follow a timeout (the master closes the
# session), and every GET must answer.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

GETS=$(bench_size 1000 200)
B=$(bench_size 1000 50)
ROUNDS=$(bench_size 6 1)
CONCURRENCY=32
TIMEOUT_MS=5000
CELL=$MPR_ENTRY.17.1
GETL=$top_builddir/bench/get_latency

snmpd_start || exit $?
# The master's debug token for AgentX requests (timeouts included); the
# [snmp] section lets snmpd.conf set a library directive.
{
    echo "[snmp] doDebugging 1"
    echo "[snmp] debugTokens agentx/master"
} >>"$SNMP_DIR/snmpd.conf"
snmpd_restart || exit 1
blackhole_start || exit 1
closed=$(closed_port)

# write_conf FILE BLACKHOLED
write_conf() {
    awk -v n="$2" -v closed="$closed" -v bh="$BLACKHOLE_PORT" \
        -v conc="$CONCURRENCY" -v to="$TIMEOUT_MS" 'BEGIN {
        print "concurrency " conc
        print "trap-rate 0"
        print "defaults {"
        print "    interval 1"
        print "    timeout " to
        print "    hysteresis 100"
        print "}"
        printf "router 1 {\n    name router-00001\n    address 127.0.0.1\n    port %d\n}\n", closed
        for (i = 2; i <= n + 1; i++)
            printf "router %d {\n    name router-%05d\n    address 127.0.0.1\n    port %d\n}\n",
                i, i, bh
    }' >"$1"
}
conf=$MPRMON_TEST_TMP/mprmon.conf
write_conf "$MPRMON_TEST_TMP/quiet.conf" 0
write_conf "$MPRMON_TEST_TMP/busy.conf" "$B"
cp "$MPRMON_TEST_TMP/quiet.conf" "$conf"
subagent_start "$conf" || exit 1
v=$(snmp_wait_value "$CELL" '[1-9][0-9]*' 30) || {
    bench_fail "no probe of router 1: $v"
    bench_finish
}

# switch_to quiet|busy: reload with that configuration and wait until it
# is in force (and, for busy, until blackholed probes are in flight).
switch_to() {
    cp "$MPRMON_TEST_TMP/$1.conf" "$conf"
    kill -HUP "$SUBAGENT_PID"
    if [ "$1" = busy ]; then
        snmp_wait_value "$MPR_SCALARS.1.0" "$((B + 1))" 30 >/dev/null &&
            # conn_state 2 (connecting) on the first blackholed row: probes
            # hang.  Not the last row: only concurrency probes are in flight,
            # so the last one starts B / concurrency timeouts later.
            snmp_wait_value "$MPR_ENTRY.4.2" 2 30 >/dev/null ||
            bench_fail "busy configuration not in force"
    else
        snmp_wait_value "$MPR_SCALARS.1.0" 1 30 >/dev/null ||
            bench_fail "quiet configuration not in force"
        # Probes of removed routers still hanging end within the timeout.
        sleep $((TIMEOUT_MS / 1000 + 1))
    fi
}

# measure KIND: GETS latencies appended to KIND.us.
measure() {
    "$GETL" "127.0.0.1:$SNMPD_PORT" "$SNMP_COMMUNITY" "$CELL" "$GETS" \
        >>"$MPRMON_TEST_TMP/$1.us" 2>>"$MPRMON_TEST_TMP/get_latency.err" ||
        bench_fail "$1: some GETs failed ($(sort "$MPRMON_TEST_TMP/get_latency.err" | uniq -c | tr '\n' ' '))"
}

: >"$MPRMON_TEST_TMP/quiet.us"
: >"$MPRMON_TEST_TMP/busy.us"
threads_max=0
for round in $(seq "$ROUNDS"); do
    [ "$round" = 1 ] || switch_to quiet
    measure quiet
    switch_to busy
    measure busy
    t=$(proc_threads "$SUBAGENT_PID")
    [ "${t:-0}" -le "$threads_max" ] || threads_max=$t
    # in flight at the end of the busy measurement: rows still connecting
    inflight=$(snmpbulkwalk -v2c -c "$SNMP_COMMUNITY" -m "" -On -Oqv -Oe \
        -Cr50 "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY.4" 2>/dev/null | grep -c '^2$')
    echo "round $round: $inflight blackholed probes in flight after the busy GETs"
done

for kind in quiet busy; do
    n=$(wc -l <"$MPRMON_TEST_TMP/$kind.us")
    [ "$n" = $((GETS * ROUNDS)) ] || bench_fail "$kind: $n latencies, expected $((GETS * ROUNDS))"
    eval "${kind}_p50=\$(percentile 50 \"\$MPRMON_TEST_TMP/$kind.us\")"
    eval "${kind}_p99=\$(percentile 99 \"\$MPRMON_TEST_TMP/$kind.us\")"
done
bench_figure blackholed_routers "$B"
bench_figure concurrency "$CONCURRENCY"
bench_figure gets_per_kind "$((GETS * ROUNDS))"
bench_figure quiet_p50_us "$quiet_p50" us
bench_figure quiet_p99_us "$quiet_p99" us
bench_figure busy_p50_us "$busy_p50" us
bench_figure busy_p99_us "$busy_p99" us
bench_figure subagent_threads_busy "$threads_max"
bench_figure p50_ratio "$(awk -v b="$busy_p50" -v q="$quiet_p50" 'BEGIN { printf "%.3f", (q > 0 ? b / q : 0) }')"
bench_ratio p99 "$busy_p99" "$quiet_p99" 1.1

timeouts=$(grep -cE "resend on session|timeout on session" "$SNMPD_LOG")
reconnects=$(($(grep -c "AgentX subagent connected" "$SUBAGENT_LOG") - 1))
bench_figure agentx_timeouts "$timeouts"
bench_figure subagent_reconnects "$reconnects"
[ "$timeouts" = 0 ] || bench_fail "$timeouts AgentX timeouts in snmpd's log"
[ "$reconnects" = 0 ] || bench_fail "the subagent reconnected $reconnects times"
kill -0 "$SUBAGENT_PID" 2>/dev/null || bench_fail "the subagent died"
bench_finish
