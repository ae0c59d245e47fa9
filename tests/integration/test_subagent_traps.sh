#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Notifications end to end: the subagent sends them through snmpd (AgentX)
# to a real snmptrapd.  Stopping an RRAS peer's RemoteAccess service gives
# mprRouterServiceDown with the row's varbinds, starting it
# mprRouterServiceUp, and a closed port mprRouterConnectFailed (1722).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
dump_logs() {
    echo "---- received notifications ----"
    grep '^TRAP' "$SNMPTRAPD_OUT"
    echo "---- subagent log ----"
    tail -n 40 "$SUBAGENT_LOG" 2>/dev/null
}

# trap_line KIND ID: the first received notification KIND (1 down, 2 up,
# 3 connect failed) about row ID, or nothing.
trap_line() {
    grep "^TRAP .*\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MPR_NOTIFY\.$1[[:space:]]" \
        "$SNMPTRAPD_OUT" | grep "$MPR_ENTRY\.2\.$2 = " | head -n 1
}
# wait_trap KIND ID [SECONDS]
wait_trap() {
    _wt_i=0
    while [ "$_wt_i" -lt $((${3:-20} * 10)) ]; do
        [ -n "$(trap_line "$1" "$2")" ] && return 0
        sleep 0.1
        _wt_i=$((_wt_i + 1))
    done
    return 1
}
# has_varbind LINE OID TYPE-AND-VALUE: LINE holds "OID = TYPE-AND-VALUE".
has_varbind() {
    printf '%s\n' "$1" | tr '\t' '\n' | grep -Fqx "$2 = $3"
}

rras_peer_usable || exit 77
snmptrapd_start || exit $?
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 600
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 9 closed "$closed"
} >"$conf"
subagent_start "$conf" || exit 1

snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "r1 never showed running(1)"

# Connect failure for the closed port.
if wait_trap 3 9 20; then
    l=$(trap_line 3 9)
    has_varbind "$l" "$MPR_ENTRY.2.9" 'STRING: "closed"' ||
        fail "ConnectFailed: no name varbind: $l"
    has_varbind "$l" "$MPR_ENTRY.4.9" 'INTEGER: 4' ||
        fail "ConnectFailed: conn state not failed(4): $l"
    has_varbind "$l" "$MPR_ENTRY.6.9" 'Gauge32: 1722' ||
        fail "ConnectFailed: last error not 1722: $l"
    has_varbind "$l" "$MPR_ENTRY.8.9" 'STRING: "The RPC server is unavailable."' ||
        fail "ConnectFailed: no error text: $l"
    echo "ok: mprRouterConnectFailed for the closed port"
else
    fail "no mprRouterConnectFailed for router 9"
fi

# Stop r1's RemoteAccess service: ServiceDown with the row's varbinds.
[ -z "$(trap_line 1 1)" ] || fail "ServiceDown for r1 before it stopped"
rras_peer_set_service r1 stopped || exit 1
if wait_trap 1 1 20; then
    l=$(trap_line 1 1)
    has_varbind "$l" "$MPR_ENTRY.2.1" 'STRING: "r1"' ||
        fail "ServiceDown: no name varbind: $l"
    has_varbind "$l" "$MPR_ENTRY.4.1" 'INTEGER: 1' ||
        fail "ServiceDown: conn state not connected(1): $l"
    has_varbind "$l" "$MPR_ENTRY.5.1" 'INTEGER: 2' ||
        fail "ServiceDown: service state not stopped(2): $l"
    printf '%s\n' "$l" | tr '\t' '\n' | grep -q "^$MPR_ENTRY\.6\.1 = Gauge32: [0-9]*\$" ||
        fail "ServiceDown: no last error varbind: $l"
    printf '%s\n' "$l" | tr '\t' '\n' | grep -q "^$MPR_ENTRY\.8\.1 = STRING: " ||
        fail "ServiceDown: no error text varbind: $l"
    has_varbind "$l" "$MPR_ENTRY.18.1" 'STRING: "RemoteAccess is stopped"' ||
        fail "ServiceDown: no service state text saying it stopped: $l"
    # sysUpTime.0 comes first, then snmpTrapOID.0 (SNMPv2-Trap order).
    printf '%s\n' "$l" | grep -q '^TRAP \.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks: ' ||
        fail "ServiceDown: sysUpTime.0 is not the first varbind: $l"
    echo "ok: mprRouterServiceDown for r1"
else
    fail "no mprRouterServiceDown for r1 after stopping its service"
fi
snmp_wait_value "$MPR_ENTRY.5.1" 2 10 >/dev/null ||
    fail "the table does not show r1 stopped(2)"

# Start it again: ServiceUp.
[ -z "$(trap_line 2 1)" ] || fail "ServiceUp for r1 before it started again"
rras_peer_set_service r1 running || exit 1
if wait_trap 2 1 20; then
    l=$(trap_line 2 1)
    has_varbind "$l" "$MPR_ENTRY.5.1" 'INTEGER: 1' ||
        fail "ServiceUp: service state not running(1): $l"
    has_varbind "$l" "$MPR_ENTRY.6.1" 'Gauge32: 0' ||
        fail "ServiceUp: last error not 0: $l"
    echo "ok: mprRouterServiceUp for r1"
else
    fail "no mprRouterServiceUp for r1 after starting its service"
fi

# Exactly one of each so far: no duplicates while nothing changes.
sleep 2
for k in 1 2; do
    n=$(grep "^TRAP .* = OID: $MPR_NOTIFY\.${k}[[:space:]]" "$SNMPTRAPD_OUT" |
        grep -c "$MPR_ENTRY\.2\.1 = ")
    [ "$n" = 1 ] || fail "$n notifications of kind $k for r1, expected 1"
done

subagent_stop || fail "subagent exit status $? after SIGTERM"

finish dump_logs
