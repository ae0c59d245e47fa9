#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# snmpd killed with SIGKILL (no AgentX close, a stale socket file left
# behind) and started again, round after round, while a manager keeps
# bulk-walking the table: the same subagent process reconnects every time,
# every row comes back, and no counter ever goes backwards, neither between
# rounds nor in any answer the walker got.
#
# Rounds: 20 with MPRMON_LONG=1, else 5 (make check's time budget; each
# round costs a few seconds, more under valgrind).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

ROUNDS=5
[ "${MPRMON_LONG:-0}" = 1 ] && ROUNDS=20

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

# Three routers on one peer (held handles), two on a closed port (every
# probe a fresh, failing connect): both kinds of counters move.
N=5
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_head 10000
    for id in 1 2 3; do
        subagent_conf_router "$id" "r1-$id" "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    done
    for id in 4 5; do
        subagent_conf_router "$id" "closed$id" "$closed"
    done
} >"$conf"
# Ping every second: a vanished master is noticed, and the session
# reopened, within a second or two.
subagent_write_netsnmp_conf 1 || exit 1
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID

# counters FILE: "COLUMN.ID VALUE" for the counter columns (attempts 12,
# failures 13, probes 17) of one bulk walk of the table, sorted.
counters() {
    snmp_tool snmpbulkwalk -On -Cr60 "$MPR_ENTRY" 2>/dev/null |
        sed -n "s/^$MPR_ENTRY\.\(1[237]\.[0-9]*\) = Counter32: \([0-9]*\)\$/\1 \2/p" |
        sort >"$1"
}

# wait_all_rows FILE SECONDS: until one walk shows all N rows (3 counters
# each); FILE keeps that walk.
wait_all_rows() {
    _w_i=0
    while [ "$_w_i" -lt $(($2 * 2)) ]; do
        counters "$1"
        [ "$(wc -l <"$1")" -eq $((N * 3)) ] && return 0
        sleep 0.5
        _w_i=$((_w_i + 1))
    done
    return 1
}

# no_step_back OLD NEW: every counter in NEW is >= its value in OLD.
no_step_back() {
    join "$1" "$2" | awk '$3 < $2 { print "  " $1 ": " $2 " -> " $3; bad = 1 }
        END { exit bad }'
}

# full_walks: how many of the walker's walks so far gave all N rows.
full_walks() {
    awk -v entry="$MPR_ENTRY.17." -v rows="$N" '
        /^WALK$/ { if (n == rows) full++; n = 0; next }
        index($1, entry) == 1 { n++ }
        END { if (n == rows) full++; print full + 0 }' "$walks"
}

snmp_wait_value "$MPR_ENTRY.17.1" '([2-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "r1-1 probes never reached 2"
snmp_wait_value "$MPR_ENTRY.13.4" '([2-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "closed4 failures never reached 2"
wait_all_rows "$MPRMON_TEST_TMP/c.0" 20 || fail "not all $N rows before the first kill"

# The walker: one bulk walk of the whole table after another, each answer
# kept (a walk cut short by the kill is kept too: what it got must be
# right).  It stops when the stop file appears.
walks=$MPRMON_TEST_TMP/walks
stopfile=$MPRMON_TEST_TMP/walker.stop
: >"$walks"
(
    while [ ! -e "$stopfile" ]; do
        echo "WALK" >>"$walks"
        # A walk against a dead master fails at once: do not spin.
        # A short timeout: a request lost with a killed master must not
        # hold the walker up for the rounds that follow.
        snmp_tool snmpbulkwalk -On -Cr60 -t 2 -r 0 "$MPR_ENTRY" >>"$walks" 2>/dev/null ||
            sleep 0.2
    done
) &
walker=$!
peers_track "$walker"

lost=0
full_seen=$(full_walks)
round=1
while [ "$round" -le "$ROUNDS" ]; do
    kill -KILL "$SNMPD_PID"
    wait "$SNMPD_PID" 2>/dev/null
    SNMPD_PID=
    # snmpd_restart removes the socket file the killed master left.
    if ! snmpd_restart; then
        fail "round $round: snmpd did not start again"
        break
    fi
    t0=$(date +%s)
    if ! wait_all_rows "$MPRMON_TEST_TMP/c.$round" 30; then
        fail "round $round: rows did not all come back ($(wc -l <"$MPRMON_TEST_TMP/c.$round") of $((N * 3)) counters)"
        lost=$((lost + 1))
    fi
    back=$(($(date +%s) - t0))
    # And the walker, walking all along, gets a whole table from this
    # master too before it is killed in turn.
    _full0=$full_seen
    _w_i=0
    while [ "$(full_walks)" -le "$_full0" ] && [ "$_w_i" -lt 60 ]; do
        sleep 0.5
        _w_i=$((_w_i + 1))
    done
    full_seen=$(full_walks)
    [ "$full_seen" -gt "$_full0" ] ||
        fail "round $round: the walker got no complete walk from the new master"
    if ! no_step_back "$MPRMON_TEST_TMP/c.$((round - 1))" "$MPRMON_TEST_TMP/c.$round"; then
        fail "round $round: counters went backwards (above)"
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        fail "round $round: the subagent died"
        break
    fi
    [ "$SUBAGENT_PID" = "$pid" ] || fail "round $round: the subagent was restarted"
    p1=$(awk '$1 == "17.1" { print $2 }' "$MPRMON_TEST_TMP/c.$round")
    echo "round $round: rows back after ${back}s, probes(r1-1)=$p1"
    round=$((round + 1))
done
: >"$stopfile"
wait "$walker"

# Every answer the walker got, in order: no counter ever went down.
awk -v entry="$MPR_ENTRY." '
    index($1, entry) == 1 && $3 == "Counter32:" {
        key = substr($1, length(entry) + 1)
        if ((key in last) && $4 + 0 < last[key]) {
            print "  " key ": " last[key] " -> " $4; bad = 1
        }
        last[key] = $4 + 0
    }
    END { exit bad }' "$walks" || fail "the walker saw a counter go backwards (above)"
nwalks=$(grep -c '^WALK$' "$walks")
echo "walker: $nwalks walks, $(full_walks) with all $N rows"

# And the counters still count on the last master.
p1=$(snmp_value "$MPR_ENTRY.17.1")
snmp_wait_above "$MPR_ENTRY.17.1" "$p1" 20 >/dev/null ||
    fail "r1-1 probes stopped counting after the last restart"
n=$(grep -c "AgentX subagent connected" "$SUBAGENT_LOG")
[ "$n" -ge $((ROUNDS + 1)) ] ||
    fail "the subagent log shows $n AgentX connects, expected $((ROUNDS + 1))"
echo "summary: $ROUNDS kills, $lost rounds with rows missing, subagent pid $pid kept"

subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
