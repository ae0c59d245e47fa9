#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGHUP storms: the configuration flips between two versions while SIGHUPs
# arrive in a tight loop, then a burst of SIGHUPs with nothing changing.
# The daemon survives, ends with exactly the last file's rows, keeps the
# counters of routers present throughout, and holds no more descriptors
# than before (routers removed and re-added by the flips must give their
# connections back).
#
# Signals: 100 flips + 200 plain SIGHUPs; MPRMON_LONG=1: 1,000 + 2,000.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

FLIPS=100
BURST=200
if [ "${MPRMON_LONG:-0}" = 1 ]; then
    FLIPS=1000
    BURST=2000
fi

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
# Version A: routers 1, 2, 10 on r1, 3 on a closed port.
# Version B: 10 is gone (its connection must close), 11 (closed port) is
# new, 2 probes at another interval (same target: keeps its handle).
write_conf() { # A|B
    {
        subagent_conf_head 5000
        subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
        if [ "$1" = A ]; then
            subagent_conf_router 2 r1-b "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
        else
            echo "router 2 {"
            echo "    name r1-b"
            echo "    address 127.0.0.1"
            echo "    port $RRAS_R1_PORT"
            echo "    auth-file $RRAS_R1_AUTHFILE"
            echo "    interval 2"
            echo "}"
        fi
        subagent_conf_router 3 closed3 "$closed"
        if [ "$1" = A ]; then
            subagent_conf_router 10 r1-c "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
        else
            subagent_conf_router 11 closed11 "$closed"
        fi
    } >"$conf.new" && mv -f "$conf.new" "$conf"
}

# table_ids: the row ids, one line, ascending.
table_ids() {
    snmp_tool snmpbulkwalk -On -Cr60 "$MPR_ENTRY.2" |
        sed -n "s/^$MPR_ENTRY\.2\.\([0-9]*\) = .*/\1/p" | tr '\n' ' '
}

write_conf A
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID

for id in 1 2 10; do
    snmp_wait_value "$MPR_ENTRY.4.$id" 1 30 >/dev/null ||
        fail "router $id never connected"
done
snmp_wait_value "$MPR_ENTRY.17.1" '([3-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "r1 probes never reached 3"
fds0=$(fd_count)
probes0=$(snmp_value "$MPR_ENTRY.17.1")
att0=$(snmp_value "$MPR_ENTRY.12.1")
reloads0=$(grep -c "configuration reloaded" "$SUBAGENT_LOG")
echo "before: $fds0 descriptors, probes(1)=$probes0, attempts(1)=$att0"

# Flips: every SIGHUP finds a different file.
i=1
while [ "$i" -le "$FLIPS" ]; do
    if [ $((i % 2)) = 1 ]; then write_conf B; else write_conf A; fi
    kill -HUP "$pid" 2>/dev/null || break
    i=$((i + 1))
done
# The last flip wrote A (FLIPS is even).  Then the burst: kill is a shell
# builtin, so nothing slows the loop down.
i=1
while [ "$i" -le "$BURST" ]; do
    kill -HUP "$pid" 2>/dev/null || break
    i=$((i + 1))
done
kill -0 "$pid" 2>/dev/null || fail "the subagent died in the SIGHUP storm"

# Settle: signals that arrive while a reload runs fold into one more
# reload, so the loop ends with the file as it is now.  Wait for the log to
# go quiet -- and for the rows of the file as it is now: the folded reload
# is logged only when it ends, and under valgrind a reload can outlast a
# quiet half second, the rows still those of an earlier one (B).
n=-1
i=0
while [ "$i" -lt 60 ]; do
    sleep 0.5
    m=$(grep -c "configuration reloaded" "$SUBAGENT_LOG")
    [ "$m" = "$n" ] && [ "$(table_ids)" = "1 2 3 10 " ] && break
    n=$m
    i=$((i + 1))
done
reloads=$((n - reloads0))
echo "storm: $FLIPS flips + $BURST SIGHUPs -> $reloads reloads"
[ "$reloads" -ge 1 ] || fail "no reload logged after the storm"
grep -q "reload failed" "$SUBAGENT_LOG" && fail "a reload failed during the storm"

ids=$(table_ids)
[ "$ids" = "1 2 3 10 " ] || fail "rows after the storm: '$ids', expected '1 2 3 10 '"
v=$(snmp_value "$MPR_SCALARS.1.0")
[ "$v" = 4 ] || fail "mprRoutersConfigured = $v after the storm"
for id in 1 2 10; do
    snmp_wait_value "$MPR_ENTRY.4.$id" 1 20 >/dev/null ||
        fail "router $id not connected after the storm"
done
probes1=$(snmp_value "$MPR_ENTRY.17.1")
att1=$(snmp_value "$MPR_ENTRY.12.1")
[ "$probes1" -ge "$probes0" ] || fail "router 1 probes $probes0 -> $probes1"
# Router 1 never changed: it kept its one connection through it all.
[ "$att1" = "$att0" ] || fail "router 1 reconnected during the storm ($att0 -> $att1 attempts)"
snmp_wait_above "$MPR_ENTRY.17.1" "$probes1" 20 >/dev/null ||
    fail "router 1 stopped being probed after the storm"

fds1=$(fd_count)
echo "after: $fds1 descriptors, probes(1)=$probes1, attempts(1)=$att1"
[ "$fds1" -le "$fds0" ] || fail "descriptors $fds0 -> $fds1 across the storm"
[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"

subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
