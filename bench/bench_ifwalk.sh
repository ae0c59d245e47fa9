#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_ifwalk: snmpbulkwalk of mprInterfaceTable with N interfaces (one
# router collecting the interfaces the RRAS peer makes up) through a
# private snmpd, versus the floor: bench/floor_ifaces serving the same
# cells (same values, same indexes) from memory on the same snmpd.  Both
# subagents run for the whole benchmark and the walks alternate.
#
# The router is probed every few seconds during the walks: each probe
# reads every interface again, as a fleet's routers would.
#
# Target: walk time <= 1.2 x the floor's, for max-repetitions 10 and 25.
# Each walk must return exactly 9 x N varbinds (no change was seen, so
# no last change cells).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

N=$(bench_size 10000 300)
RUNS=$(bench_size 3 1)
REPS="10 25"
COLUMNS=9
WALK_LIMIT_S=$(bench_size 120 30)
FLOOR_ENTRY=.1.3.6.1.4.1.8072.9999.4174.1.3.1

lists=$MPRMON_TEST_TMP/lists.json
printf '{"interfaces": [], "generate": {"interfaces": %d}}\n' "$N" >"$lists"
rras_peer_start r1 --lists-file "$lists" >/dev/null ||
    { bench_fail "RRAS peer did not start"; bench_finish; }
snmpd_start >/dev/null || { bench_fail "snmpd did not start"; bench_finish; }
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "trap-rate 0"
    echo "defaults {"
    echo "    interval 5"
    echo "    timeout 60000"
    echo "    collect interfaces"
    echo "}"
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
} >"$conf"
subagent_start "$conf" >/dev/null || { bench_fail "subagent did not start"; bench_finish; }
"$top_builddir/bench/floor_ifaces" -x "$SNMPD_AGENTX" -n "$N" \
    >"$MPRMON_TEST_TMP/floor.log" 2>&1 &
floor_pid=$!
peers_track $floor_pid

# Both tables whole before the first walk: the last column of the last
# interface (its index from the floor's first walk).
i=0
while :; do
    ours=$(snmp_tool snmpbulkwalk -On -Oqv -Cr50 "$MPR_IFENTRY.2" | grep -c .)
    floor=$(snmp_tool snmpbulkwalk -On -Oqv -Cr50 "$FLOOR_ENTRY.2" | grep -c .)
    [ "$ours" = "$N" ] && [ "$floor" = "$N" ] && break
    i=$((i + 1))
    [ $i -lt 120 ] || { bench_fail "tables never whole: ours $ours, floor $floor of $N"; bench_finish; }
    sleep 1
done
probes0=$(snmp_value "$MPR_ENTRY.17.1")
compare_walks "$MPR_IFENTRY" "$SUBAGENT_PID" "$FLOOR_ENTRY" "$floor_pid" \
    $((COLUMNS * N)) 1.2
bench_figure interfaces "$N"
bench_figure probes_during_walks $(($(snmp_value "$MPR_ENTRY.17.1") - probes0))
kill -0 "$SUBAGENT_PID" 2>/dev/null || bench_fail "the subagent died"
bench_finish
