#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mprPortTypeTable and mprRouterPortsExhausted end to end, against the
# RRAS peer (its pipes in $RRAS_PIPE_MODE: message here, stream through
# the _stream twin), a real snmpd and a real snmptrapd: the ports of a
# router that collects them counted per type (every column), none for a
# router that does not, hundreds of ports read in pages, and the
# notification when one type's ports are all in use, sent once, and again
# only after the type had free ports.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
MPR_PTENTRY=$MPRMON_OID.1.4.1
dump_logs() {
    echo "---- received notifications ----"
    grep '^TRAP' "$SNMPTRAPD_OUT"
    echo "---- the port type table ----"
    snmp_tool snmpwalk -On "$MPR_PTENTRY"
    subagent_log_tail
}
# set_lists JSON: the peer's lists from now on.
set_lists() {
    printf '%s\n' "$1" >"$lists.new" && mv "$lists.new" "$lists"
}
# port JSON: one port of DEVICE in CONDITION (5 authenticated, 3 listening).
port() {
    printf '{"handle": %s, "condition": %s, "name": "VPN-%s", "media": "rastapi", "device": "WAN Miniport (%s)", "type": "vpn"}' \
        "$1" "$3" "$1" "$2"
}
exhausted_traps() {
    grep -c "^TRAP .*\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MPR_NOTIFY\.6[[:space:]]" \
        "$SNMPTRAPD_OUT"
}
wait_exhausted_traps() {
    _wet_i=0
    while [ "$_wet_i" -lt 200 ]; do
        [ "$(exhausted_traps)" -ge "$1" ] && return 0
        sleep 0.1
        _wet_i=$((_wet_i + 1))
    done
    return 1
}

rras_peer_usable || exit 77
snmptrapd_start || exit $?
snmpd_start || exit $?

lists=$MPRMON_TEST_TMP/lists.json
# SSTP: 2 ports, 1 connected; L2TP: 1 free; IKEv2: 1 of 2 authenticating.
others="$(port 3 L2TP 3), $(port 4 IKEv2 4), $(port 5 IKEv2 3)"
free_sstp="{\"ports\": [$(port 1 SSTP 5), $(port 2 SSTP 3), $others]}"
full_sstp="{\"ports\": [$(port 1 SSTP 5), $(port 2 SSTP 5), $others]}"
set_lists "$free_sstp"
rras_peer_start r1 --lists-file "$lists" || exit 1
rras_peer_start r2 --lists-file "$lists" || exit 1

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 600
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE" |
        sed 's/^}$/    collect ports\n}/'
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
} >"$conf"
subagent_start "$conf" || exit 1

# mprPortType: pptp(1), l2tp(2), sstp(3), ikev2(4).
snmp_wait_value "$MPR_PTENTRY.2.1.3" '"SSTP"' 30 >/dev/null ||
    fail "no SSTP row for router 1: $(snmp_value "$MPR_PTENTRY.2.1.3")"
for cv in "2.1.3 \"SSTP\"" "3.1.3 2" "4.1.3 1" "5.1.3 1" \
    "2.1.2 \"L2TP\"" "3.1.2 1" "4.1.2 0" "5.1.2 0" \
    "2.1.4 \"IKEv2\"" "3.1.4 2" "4.1.4 1" "5.1.4 0"; do
    cell=${cv%% *} want=${cv#* }
    got=$(snmp_value "$MPR_PTENTRY.$cell")
    [ "$got" = "$want" ] || fail "mprPortTypeEntry.$cell: '$got', expected '$want'"
done
# No PPTP port, no PPTP row; router 2 does not collect ports: no rows.
case $(snmp_value "$MPR_PTENTRY.3.1.1") in
*"No Such Instance"*) ;;
*) fail "a PPTP row for a router without PPTP ports" ;;
esac
n=$(snmp_tool snmpwalk -On "$MPR_PTENTRY" | grep -c "^$MPR_PTENTRY\.[0-9]*\.2\.")
[ "$n" = 0 ] || fail "$n port cells for router 2, which does not collect ports"
n=$(snmp_tool snmpwalk -On "$MPR_PTENTRY" | grep -c "^$MPR_PTENTRY\.[0-9]*\.1\.")
[ "$n" = 12 ] || fail "$n port cells for router 1, expected 12 (3 types x 4)"
[ "$(exhausted_traps)" = 0 ] || fail "mprRouterPortsExhausted with free ports"
echo "ok: every column, a row per type the router has"

# Every SSTP port taken: one notification, with the type's figures.
set_lists "$full_sstp"
if wait_exhausted_traps 1; then
    l=$(grep "^TRAP .* = OID: $MPR_NOTIFY\.6[[:space:]]" "$SNMPTRAPD_OUT" | head -n 1)
    for vb in "$MPR_ENTRY.2.1 = STRING: \"r1\"" \
        "$MPR_PTENTRY.2.1.3 = STRING: \"SSTP\"" \
        "$MPR_PTENTRY.3.1.3 = Gauge32: 2" "$MPR_PTENTRY.4.1.3 = Gauge32: 2"; do
        printf '%s\n' "$l" | tr '\t' '\n' | grep -Fqx "$vb" ||
            fail "mprRouterPortsExhausted lacks '$vb': $l"
    done
    echo "ok: mprRouterPortsExhausted for SSTP"
else
    fail "no mprRouterPortsExhausted when every SSTP port was in use"
fi
# Still full for several probes: no repeat.
sleep 3
[ "$(exhausted_traps)" = 1 ] || fail "$(exhausted_traps) notifications while SSTP stayed full, expected 1"
# Free again, then full again: a second one.
set_lists "$free_sstp"
snmp_wait_value "$MPR_PTENTRY.4.1.3" 1 10 >/dev/null || fail "SSTP in use never fell to 1"
sleep 2
set_lists "$full_sstp"
wait_exhausted_traps 2 || fail "no second mprRouterPortsExhausted after ports were freed"
echo "ok: sent again only after the ports were free"

# Hundreds of ports, read in pages of what fits in the subagent's page
# size (the peer's 600 made-up ports are connected SSTP ports).
set_lists "{\"generate\": {\"ports\": 600}, \"ports\": [$(port 1 SSTP 5)]}"
snmp_wait_value "$MPR_PTENTRY.3.1.3" 601 10 >/dev/null ||
    fail "router 1 counts $(snmp_value "$MPR_PTENTRY.3.1.3") SSTP ports, expected 601"
[ "$(snmp_value "$MPR_PTENTRY.5.1.3")" = 601 ] || fail "not 601 SSTP connections"
case $(snmp_value "$MPR_PTENTRY.3.1.2") in
*"No Such Instance"*) ;;
*) fail "the L2TP row stayed after the router stopped listing L2TP ports" ;;
esac
echo "ok: 601 ports counted across pages"

subagent_stop || fail "subagent exit status $? after SIGTERM"
finish dump_logs
