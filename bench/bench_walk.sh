#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_walk: snmpbulkwalk of the whole mprRouterTable (N rows x 17 cells)
# through a private snmpd, versus the floor: bench/floor_subagent serving a
# static table of the same shape and size from memory, registered on the
# same snmpd (under netSnmpExperimental.4174).  Both subagents run for the
# whole benchmark and the walks alternate, so both see the same machine.
#
# The real subagent's probes keep running during every walk: its routers
# point at a closed port, so each probe ends within milliseconds, and with
# interval 1 s the workers never idle: results arrive continuously, the
# worst case for the table (every request finds new results).  No
# blackholed routers here: a hanging connect holds a worker for the whole
# timeout and would only slow the stream of results down
# (bench_isolation.sh measures that case).
#
# Target: walk time <= 1.1 x the floor's, for the default
# max-repetitions (10) and 25.  Each walk must return exactly 17 x N
# varbinds: what the table has of a probed router refused at a closed
# port, and what the floor serves.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

N=$(bench_size 10000 300)
RUNS=$(bench_size 3 1)
REPS="10 25"
FLOOR_ENTRY=.1.3.6.1.4.1.8072.9999.4174.1.2.1
COLUMNS=17
WALK_LIMIT_S=$(bench_size 120 30)
PROBE_INTERVAL_S=1

snmpd_start || exit $?
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
awk -v n="$N" -v closed="$closed" -v interval="$PROBE_INTERVAL_S" 'BEGIN {
    print "concurrency 8"
    print "trap-rate 0"
    print "defaults {"
    print "    interval " interval
    print "    timeout 200"
    print "    hysteresis 100"
    print "}"
    for (i = 1; i <= n; i++)
        printf "router %d {\n    name router-%05d\n    address 127.0.0.1\n    port %d\n}\n",
            i, i, closed
}' >"$conf"
subagent_start "$conf" || exit 1
"$top_builddir/bench/floor_subagent" -x "$SNMPD_AGENTX" -n "$N" \
    >"$MPRMON_TEST_TMP/floor.log" 2>&1 &
floor_pid=$!
peers_track $floor_pid

v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$N" 60) || {
    bench_fail "subagent: mprRoutersConfigured = $v, expected $N"
    bench_finish
}
v=$(snmp_wait_value "$FLOOR_ENTRY.2.$N" "\"router-$(printf %05d "$N")\"" 30) || {
    bench_fail "floor subagent did not answer: $v"
    bench_finish
}
# Probes must be running before the first walk, and every row probed
# (the shape is then fixed: 17 cells a row).
v=$(snmp_wait_value "$MPR_ENTRY.17.1" '[1-9][0-9]*' 30) || {
    bench_fail "no probe finished: mprRouterProbes.1 = $v"
    bench_finish
}
v=$(snmp_wait_value "$MPR_ENTRY.17.$N" '[1-9][0-9]*' 60) || {
    bench_fail "the last row was not probed: mprRouterProbes.$N = $v"
    bench_finish
}

probes_total() {
    snmp_tool snmpbulkwalk -On -Oqv -Cr50 "$MPR_ENTRY.17" |
        awk '{ s += $1 } END { print s + 0 }'
}

p0=$(probes_total)
t_start=$(bench_now_ms)
compare_walks "$MPR_ENTRY" "$SUBAGENT_PID" "$FLOOR_ENTRY" "$floor_pid" \
    $((COLUMNS * N)) 1.1
# Probes run in rounds (every router once per interval, all started
# together), so a short window can fall between two rounds.  Keep walking
# our table until the window spans at least two whole intervals: then a
# round must have finished inside it, however fast this machine walks.
while [ $(($(bench_now_ms) - t_start)) -lt $((2 * PROBE_INTERVAL_S * 1000 + 500)) ]; do
    walk_ms "$MPR_ENTRY" 10 "$SUBAGENT_PID" $((COLUMNS * N)) >/dev/null
done
p1=$(probes_total)
t_end=$(bench_now_ms)
bench_figure rows "$N"
# Evidence that probes ran during the walks, not just before them.
bench_figure probes_per_s_during_walks \
    "$(awk -v p="$((p1 - p0))" -v ms="$((t_end - t_start))" \
        'BEGIN { printf "%.0f", (ms > 0 ? p * 1000 / ms : 0) }')"
[ $((p1 - p0)) -gt 0 ] || bench_fail "no probe finished during the walks"
# A master that timed out on the subagent closes its session: it would
# have reconnected (bench_isolation.sh counts the timeouts themselves).
reconnects=$(($(grep -c "AgentX subagent connected" "$SUBAGENT_LOG") - 1))
bench_figure subagent_reconnects "$reconnects"
[ "$reconnects" = 0 ] || bench_fail "the subagent reconnected $reconnects times"
kill -0 "$SUBAGENT_PID" 2>/dev/null || bench_fail "the subagent died"
bench_finish
