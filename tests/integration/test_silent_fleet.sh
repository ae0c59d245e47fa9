#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Many routers on a server that accepts TCP and never answers: probes must
# run `concurrency` at a time (no process-wide queue in front of the SMB
# set-up), each must end at its timeout, and SIGTERM must end the daemon
# within about two timeouts.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

ROUTERS=200
CONCURRENCY=16
TIMEOUT_MS=1000
WINDOW_S=4

# The silent server: a listening socket that is never accepted from, with
# room in its backlog for every router; the kernel completes handshakes.
portfile=$MPRMON_TEST_TMP/silent.port
"$PYTHON3_SYSTEM" -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4096)
open(sys.argv[1] + ".new", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".new", sys.argv[1])
time.sleep(600)
' "$portfile" &
peers_track $!
i=0
while [ ! -s "$portfile" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$portfile") || exit 1

snmpd_start || exit 1
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "concurrency $CONCURRENCY"
    echo "trap-rate 0"
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout $TIMEOUT_MS"
    echo "    hysteresis 100"
    echo "}"
    i=1
    while [ $i -le $ROUTERS ]; do
        subagent_conf_router "$i" "silent-$i" "$port"
        i=$((i + 1))
    done
} >"$conf"
subagent_start "$conf" || exit 1
v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$ROUTERS" 60) ||
    fail "mprRoutersConfigured = $v, expected $ROUTERS"

probes_total() {
    snmp_tool snmpbulkwalk -On -Oqv -Cr50 "$MPR_ENTRY.17" |
        awk '{ s += $1 } END { print s + 0 }'
}
# Connections the server holds open from us right now (half-closed ones
# are given back: they wait in CLOSE-WAIT).
open_now() {
    ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l
}

sleep 1
p0=$(probes_total)
t0=$(date +%s%N)
most=0
end=$(($(date +%s) + WINDOW_S))
while [ "$(date +%s)" -lt "$end" ]; do
    n=$(open_now)
    [ "$n" -gt "$most" ] && most=$n
    sleep 0.1
done
p1=$(probes_total)
ms=$((($(date +%s%N) - t0) / 1000000))
done_probes=$((p1 - p0))
# Each worker finishes one probe per timeout.
expected=$((CONCURRENCY * ms / TIMEOUT_MS))
echo "silent fleet: at most $most connections open at once; $done_probes probes in $ms ms (one at a time per worker would be $expected)"
[ "$most" -ge "$CONCURRENCY" ] ||
    fail "only $most connections were open at once, concurrency is $CONCURRENCY"
[ "$most" -le $((CONCURRENCY + 2)) ] ||
    fail "$most connections open at once, more than concurrency $CONCURRENCY"
[ "$done_probes" -ge $((expected * 3 / 4)) ] ||
    fail "$done_probes probes finished in $ms ms; with $CONCURRENCY workers each ending at its ${TIMEOUT_MS} ms timeout, about $expected"
v=$(snmp_value "$MPR_ENTRY.6.1")
case $v in
*1722*) ;;
*) fail "a silent router's last error is '$v', expected 1722" ;;
esac

t0=$(date +%s%N)
subagent_stop
ms=$((($(date +%s%N) - t0) / 1000000))
echo "SIGTERM with $CONCURRENCY probes in flight: exited after $ms ms"
# Two timeouts, and slack for a loaded machine (valgrind's exit, with its
# leak check, takes seconds of its own).
slack=3000
[ "${MPRMON_VALGRIND:-0}" = 1 ] && slack=12000
[ "$ms" -le $((2 * TIMEOUT_MS + slack)) ] ||
    fail "SIGTERM took $ms ms, more than about two timeouts"
finish subagent_log_tail
