#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The subagent behind a real snmpd: walk mprRouterTable with snmpwalk,
# snmpbulkwalk and snmptable and check each row against RRAS peers in known
# states; a closed port shows RPC_S_SERVER_UNAVAILABLE (1722); SETs are
# refused with notWritable; missing instances are noSuchInstance, and so
# are cells with no current value (unknown is not 0).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
# expect OID REGEX: the value must match (whole value, grep -E).
expect() {
    _e_v=$(snmp_value "$1")
    if printf '%s\n' "$_e_v" | grep -Eqx "$2"; then
        echo "ok: $1 = $_e_v"
    else
        fail "$1 = '$_e_v', expected /$2/"
    fi
}
dump_logs() {
    echo "---- subagent log ----"
    tail -n 40 "$SUBAGENT_LOG" 2>/dev/null
    echo "---- snmp tools stderr ----"
    grep -v "Cannot adopt\|Cannot find module\|Did not find\|Unlinked OID\|Undefined identifier\|MIB search path" \
        "$SNMP_DIR/tools.err" 2>/dev/null | tail -n 20
}

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 --total-ports 8 --ports-in-use 3 || exit 1
rras_peer_start r2 || exit 1
rras_peer_set_service r2 stopped || exit 1
closed=$(closed_port) # nothing listens there

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 100
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
    subagent_conf_router 4000000000 closed "$closed"
} >"$conf"
subagent_start "$conf" || exit 1

# The first probes take a moment; wait for each row's settled state.
snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "r1 service state never became running(1)"
snmp_wait_value "$MPR_ENTRY.5.2" 2 30 >/dev/null ||
    fail "r2 service state never became stopped(2)"
snmp_wait_value "$MPR_ENTRY.6.4000000000" 1722 30 >/dev/null ||
    fail "closed-port router never showed 1722"

# Scalars.
expect "$MPR_SCALARS.1.0" 3
expect "$MPR_SCALARS.2.0" 1
# DateAndTime: 8 or 11 octets, year first (0x07 0xEx for 20xx).
expect "$MPR_SCALARS.3.0" '"?07 E[0-9A-F]( [0-9A-F]{2}){6,9} ?"?'

# r1: connected, running, no error, server info from its level-0 answer.
expect "$MPR_ENTRY.2.1" '"r1"'
expect "$MPR_ENTRY.3.1" '"127.0.0.1"'
expect "$MPR_ENTRY.4.1" 1
expect "$MPR_ENTRY.6.1" 0
expect "$MPR_ENTRY.7.1" '"NO_ERROR"'
expect "$MPR_ENTRY.15.1" 8
expect "$MPR_ENTRY.16.1" 3
expect "$MPR_ENTRY.12.1" '[1-9][0-9]*'
expect "$MPR_ENTRY.17.1" '[1-9][0-9]*'
expect "$MPR_ENTRY.18.1" '"RemoteAccess is running"'
expect "$MPR_ENTRY.20.1" '[0-9]+'
expect "$MPR_ENTRY.21.1" '[0-9]+'
expect "$MPR_ENTRY.22.1" 2
# r2: reachable, service stopped: no level-0 figures, not 0.
expect "$MPR_ENTRY.2.2" '"r2"'
expect "$MPR_ENTRY.5.2" 2
expect "$MPR_ENTRY.18.2" '"RemoteAccess is stopped"'
expect "$MPR_ENTRY.16.2" 'No Such Instance.*'
expect "$MPR_ENTRY.21.2" '[0-9]+'
# The closed port: failed, RPC_S_SERVER_UNAVAILABLE, every attempt failed.
expect "$MPR_ENTRY.4.4000000000" 4
expect "$MPR_ENTRY.7.4000000000" '"RPC_S_SERVER_UNAVAILABLE"'
expect "$MPR_ENTRY.8.4000000000" '"The RPC server is unavailable\."'
expect "$MPR_ENTRY.13.4000000000" '[1-9][0-9]*'
expect "$MPR_ENTRY.18.4000000000" \
    '"RemoteAccess state unknown: the router could not be reached"'
for col in 14 15 16 21; do
    expect "$MPR_ENTRY.$col.4000000000" 'No Such Instance.*'
done
# Failures first: a probe between the two reads raises both counters (every
# attempt at a closed port fails), so attempts read first could be one
# behind.  Read in this order, failures <= attempts whatever the timing.
flr=$(snmp_value "$MPR_ENTRY.13.4000000000")
att=$(snmp_value "$MPR_ENTRY.12.4000000000")
[ -n "$att" ] && [ -n "$flr" ] && [ "$flr" -le "$att" ] ||
    fail "connect failures ($flr) > attempts ($att)"
# LastProbe is a sysUpTime value: not after the master's sysUpTime now.
lp=$(snmp_value "$MPR_ENTRY.10.1")
up=$(snmp_value .1.3.6.1.2.1.1.3.0)
if [ -z "$lp" ] || [ -z "$up" ] || [ "$lp" -le 0 ] || [ "$lp" -gt "$up" ]; then
    fail "mprRouterLastProbe.1 = '$lp' not in (0, sysUpTime=$up]"
fi

# The master lists the module in sysORTable (sysORID column).
snmp_tool snmpwalk -On .1.3.6.1.2.1.1.9.1.2 | grep -q "= OID: $MPRMON_OID\$" ||
    fail "MPRMON-MIB is not in the master's sysORTable"

# Missing instances and objects.
expect "$MPR_ENTRY.2.3" 'No Such Instance.*'
expect "$MPR_ENTRY.2.4000000001" 'No Such Instance.*'
expect "$MPR_ENTRY.1.1" 'No Such Object.*'
expect "$MPR_ENTRY.23.1" 'No Such Instance.*' # connections: not collected here
expect "$MPR_ENTRY.26.1" 'No Such Object.*'
expect "$MPR_ENTRY.2.1.0" 'No Such Instance.*'

# A full walk, in order, nothing else: 21 readable columns for r1; r2
# without its 3 level-0 figures; the closed port without those and without
# the time since an answer.
snmp_tool snmpwalk -On -Oe "$MPR_TABLE" >"$MPRMON_TEST_TMP/walk.txt"
n=$(grep -c "^$MPR_ENTRY\." "$MPRMON_TEST_TMP/walk.txt")
[ "$n" = 56 ] || fail "snmpwalk returned $n table cells, expected 56"
[ "$(wc -l <"$MPRMON_TEST_TMP/walk.txt")" = 56 ] ||
    fail "snmpwalk returned lines outside the table"
first=$(sed -n 1p "$MPRMON_TEST_TMP/walk.txt")
last=$(sed -n '$p' "$MPRMON_TEST_TMP/walk.txt")
case $first in "$MPR_ENTRY.2.1 = "*) ;; *) fail "first cell: $first" ;; esac
case $last in "$MPR_ENTRY.22.4000000000 = "*) ;; *) fail "last cell: $last" ;; esac
if grep -q "^$MPR_ENTRY\.1[456]\.4000000000 " "$MPRMON_TEST_TMP/walk.txt"; then
    fail "the walk shows level-0 figures for the closed port"
fi

# GETBULK gives the same cells (values other than counters and stamps).
snmp_tool snmpbulkwalk -On -Oe -Cr7 "$MPR_TABLE" >"$MPRMON_TEST_TMP/bulk.txt"
for f in walk bulk; do
    sed -e 's/ = .*//' "$MPRMON_TEST_TMP/$f.txt" >"$MPRMON_TEST_TMP/$f.oids"
done
cmp -s "$MPRMON_TEST_TMP/walk.oids" "$MPRMON_TEST_TMP/bulk.oids" ||
    fail "snmpbulkwalk and snmpwalk disagree on the table's OIDs"
grep -q "^$MPR_ENTRY.6.4000000000 = Gauge32: 1722\$" "$MPRMON_TEST_TMP/bulk.txt" ||
    fail "snmpbulkwalk: no 1722 for the closed port"

# GETNEXT after the last cell leaves the table.
nxt=$(snmp_tool snmpgetnext -On "$MPR_ENTRY.22.4000000000")
case $nxt in
"$MPR_TABLE."*) fail "getnext after the last cell stayed in the table: $nxt" ;;
esac

# snmptable needs the MIB for column names.
if [ -n "$SNMP_MIB_ARGS" ]; then
    snmp_tool snmptable -Cf '|' -CH -Ci -Oe MPRMON-MIB::mprRouterTable \
        >"$MPRMON_TEST_TMP/table.txt"
    rows=$(grep -c . "$MPRMON_TEST_TMP/table.txt")
    [ "$rows" = 3 ] || fail "snmptable printed $rows rows, expected 3"
    grep -q '^1|r1|127.0.0.1|1|1|0|NO_ERROR|' "$MPRMON_TEST_TMP/table.txt" ||
        fail "snmptable row 1: $(grep '^1|' "$MPRMON_TEST_TMP/table.txt")"
    grep -q '^4000000000|closed|127.0.0.1|4|5|1722|RPC_S_SERVER_UNAVAILABLE|' \
        "$MPRMON_TEST_TMP/table.txt" ||
        fail "snmptable closed row: $(grep '^4000000000|' "$MPRMON_TEST_TMP/table.txt")"
else
    echo "note: ../shared/mibs absent, snmptable (needs MIB names) not run"
fi

# SETs reach the subagent (read-write community) and are refused.
for target in "$MPR_ENTRY.2.1 s renamed" "$MPR_SCALARS.1.0 u 7" \
    "$MPR_ENTRY.2.77 s new-row"; do
    # shellcheck disable=SC2086 # OID TYPE VALUE
    out=$(snmpset -v2c -c "$SNMP_RW_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 -m "" -On \
        "127.0.0.1:$SNMPD_PORT" $target 2>&1)
    case $out in
    *notWritable* | *noCreation*) echo "ok: set $target refused" ;;
    *) fail "set $target: $out" ;;
    esac
done
case $(snmpset -v2c -c "$SNMP_RW_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 -m "" -On \
    "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY.2.1" s renamed 2>&1) in
*notWritable*) ;;
*) fail "set on an existing cell is not notWritable" ;;
esac
expect "$MPR_ENTRY.2.1" '"r1"'

# SIGTERM: a clean stop.
subagent_stop
rc=$?
[ "$rc" = 0 ] || fail "subagent exit status $rc after SIGTERM"

finish dump_logs
