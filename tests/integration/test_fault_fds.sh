#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The descriptor table full: the subagent runs with a low RLIMIT_NOFILE and
# more routers (each holding an SMB connection) than descriptors.  It keeps
# answering SNMP, the rows that cannot get a descriptor show an error code,
# and when descriptors free up (one peer goes away, dropping its routers'
# connections) the starved routers connect.
#
# Runs under valgrind too: its own descriptors sit at the top of the table,
# far above the lowered limit.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

PER_PEER=20
# About 14 descriptors of the daemon's own (logs, pipes, eventfd, AgentX),
# one per held connection, one per probe in flight: room for one peer's
# routers, not for both.
LIMIT=46

command -v prlimit >/dev/null 2>&1 || {
    echo "prlimit (util-linux) not installed"
    exit 77
}
rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
rras_peer_start r2 || exit 1

N=$((2 * PER_PEER))
conf=$MPRMON_TEST_TMP/mprmon.conf
write_conf() { # NUMBER-OF-ROUTERS-PER-PEER
    {
        # hysteresis 100: no backoff, so a starved router retries every second.
        subagent_conf_head 3000 100
        i=1
        while [ "$i" -le "$1" ]; do
            subagent_conf_router "$i" "r1-$i" "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
            subagent_conf_router $((PER_PEER + i)) "r2-$i" "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
            i=$((i + 1))
        done
    } >"$conf.new" && mv -f "$conf.new" "$conf"
}

# The daemon raises its soft limit to the hard one when it starts, so the
# limit is lowered once it runs (soft only: it can be raised again without
# privileges), with no routers yet; a reload then brings them all.
write_conf 0
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID
v=$(snmp_wait_value "$MPR_SCALARS.1.0" 0 60) || fail "the subagent never answered ($v)"
old_limit=$(prlimit --pid "$pid" --nofile --noheadings --output SOFT | tr -d ' ')
prlimit --pid "$pid" --nofile="$LIMIT": || exit 1
echo "subagent soft RLIMIT_NOFILE: $old_limit -> $(prlimit --pid "$pid" --nofile --noheadings --output SOFT | tr -d ' '), $(ls "/proc/$pid/fd" | wc -l) descriptors open"
write_conf "$PER_PEER"
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$N" 20) || fail "the reload to $N routers did not happen ($v)"

# column_counts COLUMN: "VALUE COUNT" lines over all rows.
column_counts() {
    snmp_tool snmpbulkwalk -On -Oqv -Oe -Cr60 "$MPR_ENTRY.$1" | sort | uniq -c |
        awk '{ print $2 " " $1 }'
}

# rows_in ID-FROM ID-TO COLUMN VALUE: how many rows in the id range have it.
rows_in() {
    snmp_tool snmpbulkwalk -On -Oe -Cr60 "$MPR_ENTRY.$3" |
        awk -v from="$1" -v to="$2" -v want="$4" '{
            n = split($1, o, "."); id = o[n] + 0
            if (id >= from && id <= to && $NF == want) c++
        } END { print c + 0 }'
}

# Starved: some rows fail for want of descriptors, while SNMP answers.
i=0
starved=0
while [ "$i" -lt 60 ]; do
    sleep 0.5
    i=$((i + 1))
    ok=$(rows_in 1 "$N" 4 1)
    probed=$(snmp_tool snmpbulkwalk -On -Oqv -Cr60 "$MPR_ENTRY.17" | awk '$1 > 0' | wc -l)
    # Wait until every router had a go, then look.
    [ "$probed" -eq "$N" ] || continue
    if [ "$ok" -lt "$N" ]; then
        starved=1
        break
    fi
done
fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
echo "starved: $ok of $N rows connected, $fds descriptors open"
echo "last errors (code count):"
column_counts 6 | tee "$MPRMON_TEST_TMP/codes" | sed 's/^/  /'
# A row starved of descriptors says so (ERROR_TOO_MANY_OPEN_FILES, 4), not
# that the router is down or refused the logon.
grep -q '^4 ' "$MPRMON_TEST_TMP/codes" ||
    fail "no starved row shows ERROR_TOO_MANY_OPEN_FILES (4)"
[ "$starved" = 1 ] || fail "all $N routers connected under a limit of $LIMIT descriptors: the test starved nothing"
kill -0 "$pid" 2>/dev/null || fail "the subagent died when descriptors ran out"

# SNMP keeps answering, every row is there, several times over.
for k in 1 2 3 4 5; do
    v=$(snmp_value "$MPR_SCALARS.1.0")
    [ "$v" = "$N" ] || fail "walk $k: mprRoutersConfigured = $v"
    n=$(snmp_tool snmpbulkwalk -On -Cr60 "$MPR_ENTRY.2" | grep -c 'STRING:')
    [ "$n" = "$N" ] || fail "walk $k: $n rows, expected $N"
    sleep 0.3
done
# Every row not connected says why.  Both cells of a row in one GET (one
# snapshot of the table): two walks, one per column, would see rows that
# connect or fail in between, a count that neither moment had.
n=0 e=0
for id in $(seq 1 "$N"); do
    # shellcheck disable=SC2046 # two values: state, error
    set -- $(snmp_tool snmpget -On -Oqv -Oe "$MPR_ENTRY.4.$id" "$MPR_ENTRY.6.$id")
    [ "${1:-}" = 1 ] && continue
    n=$((n + 1))
    case ${2:-0} in 0 | *[!0-9]*) ;; *) e=$((e + 1)) ;; esac
done
[ "$e" -ge "$n" ] || fail "$n rows not connected but only $e show an error code"

# Descriptors free up: r2 goes away, its routers drop their connections,
# and r1's starved routers get theirs.
rras_peer_stop r2
i=0
while [ "$i" -lt 80 ]; do
    ok=$(rows_in 1 "$PER_PEER" 4 1)
    clean=$(rows_in 1 "$PER_PEER" 6 0)
    [ "$ok" -eq "$PER_PEER" ] && [ "$clean" -eq "$PER_PEER" ] && break
    sleep 0.5
    i=$((i + 1))
done
echo "r2 stopped: $ok of $PER_PEER r1 rows connected, $clean without error"
[ "$ok" -eq "$PER_PEER" ] && [ "$clean" -eq "$PER_PEER" ] ||
    fail "r1's routers did not all recover when r2's descriptors were freed"
# r1's rows can recover as soon as enough of r2's connections are gone,
# before every r2 row had its next probe: give those their probes.
i=0
while [ "$i" -lt 40 ]; do
    down=$(rows_in $((PER_PEER + 1)) "$N" 6 1722)
    [ "$down" -eq "$PER_PEER" ] && break
    sleep 0.5
    i=$((i + 1))
done
[ "$down" -eq "$PER_PEER" ] ||
    fail "$down of r2's $PER_PEER rows show RPC_S_SERVER_UNAVAILABLE (1722)"

# The limit raised, r2 back: every router connects.
prlimit --pid "$pid" --nofile="$old_limit": || fail "prlimit failed"
rras_peer_restart r2 || exit 1
i=0
while [ "$i" -lt 80 ]; do
    ok=$(rows_in 1 "$N" 4 1)
    clean=$(rows_in 1 "$N" 6 0)
    [ "$ok" -eq "$N" ] && [ "$clean" -eq "$N" ] && break
    sleep 0.5
    i=$((i + 1))
done
echo "limit raised, r2 back: $ok of $N rows connected, $clean without error"
[ "$ok" -eq "$N" ] && [ "$clean" -eq "$N" ] ||
    fail "not every router recovered once the limit was raised"

kill -0 "$pid" 2>/dev/null || fail "the subagent died"
subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
