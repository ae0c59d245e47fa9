#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mprInterfaceTable and its notifications end to end, against the RRAS
# peer (its pipes in $RRAS_PIPE_MODE: message here, stream through the
# _stream twin), a real snmpd and a real snmptrapd: every column for a
# router that collects interfaces, none for one that does not, indexes
# derived from the names (unchanged when the router's handles change),
# mprInterfaceDown at start for an interface already unreachable and when
# one becomes unreachable, mprInterfaceUp when it comes back, rows that
# come and go with the router's list, and snmptable's view of it all; and
# the connection counts of a router that collects connections.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
dump_logs() {
    echo "---- received notifications ----"
    grep '^TRAP' "$SNMPTRAPD_OUT"
    echo "---- the interface table ----"
    snmp_tool snmpwalk -On "$MPR_IFENTRY"
    subagent_log_tail
}

# index_of NAME: mprInterfaceIndex as the MIB defines it (FNV-1a of the
# name with ASCII letters in lower case, 0 taken as 1).
index_of() {
    "$PYTHON3_SYSTEM" -c 'import sys
h = 2166136261
for b in sys.argv[1].encode():
    if 65 <= b <= 90:
        b += 32
    h = ((h ^ b) * 16777619) & 0xFFFFFFFF
print(h or 1)' "$1"
}
# set_lists JSON: the peer's interfaces from now on.
set_lists() {
    printf '%s\n' "$1" >"$lists.new" && mv "$lists.new" "$lists"
}
# iface_trap KIND INDEX: the first notification KIND (4 down, 5 up) about
# interface INDEX of router 1.
iface_trap() {
    grep "^TRAP .*\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MPR_NOTIFY\.$1[[:space:]]" \
        "$SNMPTRAPD_OUT" | grep "$MPR_IFENTRY\.2\.1\.$2 = " | head -n 1
}
wait_iface_trap() {
    _wit_i=0
    while [ "$_wit_i" -lt 200 ]; do
        [ -n "$(iface_trap "$1" "$2")" ] && return 0
        sleep 0.1
        _wit_i=$((_wit_i + 1))
    done
    return 1
}
has_varbind() {
    printf '%s\n' "$1" | tr '\t' '\n' | grep -Fqx "$2 = $3"
}

rras_peer_usable || exit 77
snmptrapd_start || exit $?
snmpd_start || exit $?

lists=$MPRMON_TEST_TMP/lists.json
base='{"interfaces": [
 {"name": "Internal", "handle": 1, "type": 4, "state": 3},
 {"name": "Branch-Paris", "handle": 17, "type": 2, "state": 3},
 {"name": "Branch-Lyon", "handle": 18, "type": 2, "state": 0,
  "unreachable": 4, "last_error": 678},
 {"name": "Ünïcode-Zürich", "handle": 19, "type": 2, "state": 1,
  "enabled": 0, "unreachable": 2}]}'
set_lists "$base"
rras_peer_start r1 --lists-file "$lists" || exit 1
rras_peer_start r2 --lists-file "$lists" || exit 1

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 600
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE" |
        sed 's/^}$/    collect interfaces connections\n}/'
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
} >"$conf"
subagent_start "$conf" || exit 1

paris=$(index_of Branch-Paris)
lyon=$(index_of Branch-Lyon)
zurich=$(index_of Ünïcode-Zürich)
internal=$(index_of Internal)

snmp_wait_value "$MPR_IFENTRY.2.1.$paris" '"Branch-Paris"' 30 >/dev/null ||
    fail "no row for Branch-Paris at index $paris"
# Every column of the unreachable one.
for cv in "2 \"Branch-Lyon\"" "3 3" "4 1" "5 4" "6 4" \
    "7 \"connection-failure\"" "8 678" "9 \"ERROR_NO_ANSWER\"" \
    "10 \"The remote computer did not respond.\""; do
    col=${cv%% *} want=${cv#* }
    got=$(snmp_value "$MPR_IFENTRY.$col.1.$lyon")
    [ "$got" = "$want" ] || fail "Branch-Lyon column $col: '$got', expected '$want'"
done
# UTF-8 names come through whole; disabled and admin-disabled.
got=$(snmpget -v2c -c "$SNMP_COMMUNITY" -m "" -On -Oqv -Ox \
    "127.0.0.1:$SNMPD_PORT" "$MPR_IFENTRY.2.1.$zurich" 2>/dev/null | tr -d ' "\n')
want=$(printf 'Ünïcode-Zürich' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
[ "$got" = "$want" ] || fail "Zürich's name as hex: '$got', expected '$want'"
[ "$(snmp_value "$MPR_IFENTRY.4.1.$zurich")" = 2 ] || fail "Zürich not disabled (2)"
[ "$(snmp_value "$MPR_IFENTRY.5.1.$zurich")" = 3 ] || fail "Zürich not disconnected (3)"
[ "$(snmp_value "$MPR_IFENTRY.7.1.$zurich")" = '"admin-disabled"' ] ||
    fail "Zürich's reasons text"
[ "$(snmp_value "$MPR_IFENTRY.3.1.$internal")" = 5 ] || fail "Internal not internal(5)"
# No change seen yet: no last change cell.
case $(snmp_value "$MPR_IFENTRY.11.1.$paris") in
*"No Such Instance"*) ;;
*) fail "Branch-Paris has a last change before any change" ;;
esac
# Router 2 does not collect interfaces: no rows.
n=$(snmp_tool snmpwalk -On "$MPR_IFENTRY.2" | grep -c "^$MPR_IFENTRY\.2\.2\.")
[ "$n" = 0 ] || fail "$n interface rows for router 2, which does not collect them"
n=$(snmp_tool snmpwalk -On "$MPR_IFENTRY.2" | grep -c "^$MPR_IFENTRY\.2\.1\.")
[ "$n" = 4 ] || fail "$n interface rows for router 1, expected 4"
echo "ok: every column, indexes from the names"

# Found unreachable at start: that is news.
if wait_iface_trap 4 "$lyon"; then
    l=$(iface_trap 4 "$lyon")
    has_varbind "$l" "$MPR_ENTRY.2.1" 'STRING: "r1"' || fail "InterfaceDown: no router name: $l"
    has_varbind "$l" "$MPR_IFENTRY.2.1.$lyon" 'STRING: "Branch-Lyon"' ||
        fail "InterfaceDown: no interface name: $l"
    has_varbind "$l" "$MPR_IFENTRY.5.1.$lyon" 'INTEGER: 4' ||
        fail "InterfaceDown: state not unreachable(4): $l"
    has_varbind "$l" "$MPR_IFENTRY.8.1.$lyon" 'Gauge32: 678' ||
        fail "InterfaceDown: last error not 678: $l"
    echo "ok: mprInterfaceDown at start for Branch-Lyon"
else
    fail "no mprInterfaceDown for Branch-Lyon, unreachable at start"
fi
[ -z "$(iface_trap 5 "$paris")" ] || fail "mprInterfaceUp at start for Branch-Paris"

# Branch-Paris goes unreachable, with new handles for everyone (as after
# a router restart): same indexes, a down notification, a last change.
set_lists '{"interfaces": [
 {"name": "Internal", "handle": 101, "type": 4, "state": 3},
 {"name": "Branch-Paris", "handle": 117, "type": 2, "state": 0,
  "unreachable": 4, "last_error": 629},
 {"name": "Branch-Lyon", "handle": 118, "type": 2, "state": 0,
  "unreachable": 4, "last_error": 678},
 {"name": "Ünïcode-Zürich", "handle": 119, "type": 2, "state": 1,
  "enabled": 0, "unreachable": 2}]}'
if wait_iface_trap 4 "$paris"; then
    l=$(iface_trap 4 "$paris")
    has_varbind "$l" "$MPR_IFENTRY.10.1.$paris" 'STRING: "The connection was closed by the remote computer."' ||
        fail "InterfaceDown: no error text: $l"
    echo "ok: mprInterfaceDown for Branch-Paris"
else
    fail "no mprInterfaceDown for Branch-Paris"
fi
snmp_wait_value "$MPR_IFENTRY.5.1.$paris" 4 10 >/dev/null ||
    fail "the table does not show Branch-Paris unreachable(4)"
case $(snmp_value "$MPR_IFENTRY.11.1.$paris") in
'' | *"No Such"*) fail "no last change for Branch-Paris after its change" ;;
esac

# Back again; and Zürich removed, Nice added.
set_lists "$(printf '%s' "$base" | sed 's/"Ünïcode-Zürich", "handle": 19/"Branch-Nice", "handle": 20/')"
if wait_iface_trap 5 "$paris"; then
    has_varbind "$(iface_trap 5 "$paris")" "$MPR_IFENTRY.5.1.$paris" 'INTEGER: 1' ||
        fail "InterfaceUp: state not connected(1)"
    echo "ok: mprInterfaceUp for Branch-Paris"
else
    fail "no mprInterfaceUp for Branch-Paris"
fi
nice=$(index_of Branch-Nice)
snmp_wait_value "$MPR_IFENTRY.2.1.$nice" '"Branch-Nice"' 10 >/dev/null ||
    fail "no row for the new Branch-Nice"
case $(snmp_value "$MPR_IFENTRY.2.1.$zurich") in
*"No Such Instance"*) ;;
*) fail "Zürich's row is still there after the router stopped listing it" ;;
esac

# Connections: the peer's two (a site-to-site router and a client), then
# 300 more clients read in pages; none for router 2.
for cv in "23 2" "24 1" "25 1"; do
    snmp_wait_value "$MPR_ENTRY.${cv%% *}.1" "${cv#* }" 10 >/dev/null ||
        fail "router 1 column ${cv%% *}: $(snmp_value "$MPR_ENTRY.${cv%% *}.1"), expected ${cv#* }"
done
case $(snmp_value "$MPR_ENTRY.23.2") in
*"No Such Instance"*) ;;
*) fail "router 2 has a connection count without collecting connections" ;;
esac
set_lists "$(printf '%s' "$base" | sed 's/^{/{"generate": {"connections": 300},/')"
snmp_wait_value "$MPR_ENTRY.23.1" 302 10 >/dev/null ||
    fail "router 1 does not count 302 connections: $(snmp_value "$MPR_ENTRY.23.1")"
[ "$(snmp_value "$MPR_ENTRY.24.1")" = 301 ] || fail "not 301 client connections"
echo "ok: connection counts"

# What an operator sees (the README's example comes from this).
if [ -n "$SNMP_MIB_ARGS" ]; then
    # shellcheck disable=SC2086
    snmptable -v2c -c "$SNMP_COMMUNITY" $SNMP_MIB_ARGS -Cb -Ci \
        "127.0.0.1:$SNMPD_PORT" MPRMON-MIB::mprInterfaceTable \
        >"$MPRMON_TEST_TMP/snmptable.out" 2>>"$SNMP_DIR/tools.err"
    cat "$MPRMON_TEST_TMP/snmptable.out"
    grep -q 'Branch-Lyon.*fullRouter.*true.*unreachable.*connection-failure' \
        "$MPRMON_TEST_TMP/snmptable.out" ||
        fail "snmptable does not show Branch-Lyon unreachable"
else
    echo "SKIP: no IETF base MIBs for snmptable's names"
fi

# Exactly one down for Paris, one up: no repeats while nothing changes.
sleep 2
n=$(grep "^TRAP .* = OID: $MPR_NOTIFY\.4[[:space:]]" "$SNMPTRAPD_OUT" |
    grep -c "$MPR_IFENTRY\.2\.1\.$paris = ")
[ "$n" = 1 ] || fail "$n mprInterfaceDown for Branch-Paris, expected 1"

subagent_stop || fail "subagent exit status $? after SIGTERM"
finish dump_logs
