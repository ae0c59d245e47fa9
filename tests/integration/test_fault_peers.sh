#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# RRAS peers killed with SIGKILL in the middle of a probe: the row shows
# the failure, the subagent lives on, and when the peer is back the row
# recovers (connected, running, no error) with its counters kept.
#
# "Mid-probe": the peer waits --delay before every DCE/RPC response and a
# probe makes several calls, so a probe lasts longer than the interval (the
# test checks mprRouterProbeLatency) and the next one starts as soon as it
# ends: whenever the kill lands, a probe is in flight.
#
# Rounds: 10 with MPRMON_LONG=1, else 3.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

ROUNDS=3
[ "${MPRMON_LONG:-0}" = 1 ] && ROUNDS=10
DELAY=0.3

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 --delay "$DELAY" || exit 1
# A second peer that is never killed: its row must not notice.
rras_peer_start r2 || exit 1

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_head 5000
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
} >"$conf"
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID

# healthy ID: connected(1), running(1), no error.
healthy() {
    [ "$(snmp_value "$MPR_ENTRY.4.$1")" = 1 ] &&
        [ "$(snmp_value "$MPR_ENTRY.5.$1")" = 1 ] &&
        [ "$(snmp_value "$MPR_ENTRY.6.$1")" = 0 ]
}

wait_healthy() { # ID SECONDS
    _wh_i=0
    while [ "$_wh_i" -lt $(($2 * 4)) ]; do
        healthy "$1" && return 0
        sleep 0.25
        _wh_i=$((_wh_i + 1))
    done
    return 1
}

wait_healthy 1 30 || fail "r1 never healthy"
wait_healthy 2 30 || fail "r2 never healthy"
snmp_wait_value "$MPR_ENTRY.17.1" '([2-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "r1 probes never reached 2"
lat=$(snmp_value "$MPR_ENTRY.11.1")
echo "r1 probe latency: $lat ms"
[ -n "$lat" ] && [ "$lat" -ge 1000 ] ||
    fail "r1 probes take $lat ms, not longer than the 1 s interval: the kill could miss a probe"

round=1
while [ "$round" -le "$ROUNDS" ] && [ "$fails" -eq 0 ]; do
    probes0=$(snmp_value "$MPR_ENTRY.17.1")
    att0=$(snmp_value "$MPR_ENTRY.12.1")
    fail0=$(snmp_value "$MPR_ENTRY.13.1")
    r2probes0=$(snmp_value "$MPR_ENTRY.17.2")
    kill -KILL "$RRAS_R1_PID"

    # The probe in flight ends with an error, and the row says so.
    if ! err=$(snmp_wait_value "$MPR_ENTRY.6.1" '[1-9][0-9]*' 20); then
        fail "round $round: r1's row shows no error after the kill (last error $err)"
    fi
    state=$(snmp_value "$MPR_ENTRY.4.1")
    svc=$(snmp_value "$MPR_ENTRY.5.1")
    echo "round $round: killed r1; row: error $err, conn state $state, service state $svc"
    [ "$state" = 4 ] || fail "round $round: conn state $state with the peer dead, expected failed(4)"
    [ "$svc" = 5 ] || fail "round $round: service state $svc with the peer dead, expected unknown(5)"
    kill -0 "$pid" 2>/dev/null || {
        fail "round $round: the subagent died"
        break
    }

    # The same port, account and state file: only the process is new.
    rras_peer_restart r1 --delay "$DELAY" || {
        fail "round $round: r1 did not restart"
        break
    }
    wait_healthy 1 30 || fail "round $round: r1's row did not recover"
    probes1=$(snmp_value "$MPR_ENTRY.17.1")
    att1=$(snmp_value "$MPR_ENTRY.12.1")
    fail1=$(snmp_value "$MPR_ENTRY.13.1")
    echo "round $round: recovered; probes $probes0 -> $probes1, connect attempts $att0 -> $att1, failures $fail0 -> $fail1"
    [ "$probes1" -gt "$probes0" ] || fail "round $round: probes $probes0 -> $probes1"
    [ "$att1" -gt "$att0" ] || fail "round $round: no reconnect counted ($att0 -> $att1)"
    # A failed connect is counted only if a probe ran while the port was
    # closed; the in-flight probe failed on its held handle, not a connect.
    [ "$fail1" -ge "$fail0" ] || fail "round $round: connect failures $fail0 -> $fail1"
    # The other router went on as if nothing happened.
    healthy 2 || fail "round $round: r2's row was disturbed"
    [ "$(snmp_value "$MPR_ENTRY.17.2")" -gt "$r2probes0" ] ||
        fail "round $round: r2 stopped being probed"
    round=$((round + 1))
done

[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"
subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
