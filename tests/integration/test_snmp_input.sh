#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile or odd SNMP input, through a real snmpd, against 500 rows (ids
# 1, 3, 5, ... 999: gaps between them):
#  - SET on every column and every scalar, on present and absent rows and
#    on objects that do not exist, with the read-write community: refused
#    (notWritable for the MIB's objects), and nothing changes;
#  - GET of absent, zero, huge (4294967295, the largest sub-identifier an
#    OID can carry) and overlong indexes: noSuchInstance; columns and
#    scalars the MIB lacks: noSuchObject;
#  - GETBULK with max-repetitions 100000 and a bulk walk with -Cr10000
#    (snmpd's cap raised to 1000 varbinds, see below): answered in full,
#    and a GET right after is answered within the tool's normal timeout;
#    the subagent is the same process, still registered, and snmpd logged
#    no AgentX timeout or session close.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

N=500
dump_logs() {
    echo "---- subagent log ----"
    tail -n 20 "$SUBAGENT_LOG" 2>/dev/null
    echo "---- snmpd log ----"
    tail -n 20 "$SNMPD_LOG" 2>/dev/null
}
# get_is OID REGEX: snmpget's answer line matches REGEX (grep -E).  No MIB
# (-m ""): with MPRMON-MIB loaded, snmpget itself refuses an index outside
# the MIB's range, and the agent would never be asked.
get_is() {
    _g=$(snmpget -v2c -c "$SNMP_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 \
        -m "" -On "127.0.0.1:$SNMPD_PORT" "$1" 2>&1)
    if printf '%s\n' "$_g" | grep -Eq "$2"; then
        echo "ok: get $1 -> ${_g#* = }"
    else
        fail "get $1: '$_g', expected /$2/"
    fi
}
# set_is OID TYPE VALUE REGEX: snmpset (read-write community) fails with an
# error matching REGEX.
set_is() {
    _s=$(snmpset -v2c -c "$SNMP_RW_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 \
        -m "" -On "127.0.0.1:$SNMPD_PORT" "$1" "$2" "$3" 2>&1)
    _rc=$?
    if [ "$_rc" != 0 ] && printf '%s\n' "$_s" | grep -Eq "$4"; then
        echo "ok: set $1 $2: $(printf '%s\n' "$_s" | sed -n 's/^Reason: //p')"
    else
        fail "set $1 $2 $3: exit $_rc, '$_s', expected /$4/"
    fi
}

snmpd_start || exit $?
# snmpd answers at most maxGetbulkResponses varbinds per GETBULK (100 by
# default), so max-repetitions 100000 reaches the subagent as that many
# GETNEXT passes.  Raised to 1000 here so that the subagent does see a
# long burst.  (Unlimited (-1) was tried: snmpd itself then spent minutes
# of CPU, the subagent none, and a response over 64 KB ended in snmpd's
# "send response: Failure in sendto", i.e. no answer at all: a master
# setting to keep bounded, not something the subagent can help.)
echo "maxGetbulkResponses 1000" >>"$SNMP_DIR/snmpd.conf"
snmpd_restart || exit 1
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
subagent_conf_quiet_fleet "$N" "$closed" 2 >"$conf"
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID
v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$N" 30) ||
    fail "mprRoutersConfigured = $v, expected $N"

# ---- SET: every column (2..22) and scalar, right types where snmpset has
# them (it cannot send Counter32: Gauge32 stands in).
for spec in "2 s x" "3 s 10.0.0.1" "4 i 1" "5 i 1" "6 u 0" "7 s x" "8 s x" \
    "9 t 0" "10 t 0" "11 u 0" "12 u 0" "13 u 0" "14 u 0" "15 u 0" "16 u 0" \
    "17 u 0" "18 s x" "19 u 0" "20 u 0" "21 u 0" "22 i 1"; do
    # shellcheck disable=SC2086 # split "COLUMN TYPE VALUE" on purpose
    set -- $spec
    set_is "$MPR_ENTRY.$1.1" "$2" "$3" notWritable
    set_is "$MPR_ENTRY.$1.999" "$2" "$3" notWritable
    # An absent row: nothing can be created either.
    set_is "$MPR_ENTRY.$1.2" "$2" "$3" 'notWritable|noCreation'
done
set_is "$MPR_SCALARS.1.0" u 7 notWritable
set_is "$MPR_SCALARS.2.0" u 7 notWritable
set_is "$MPR_SCALARS.3.0" x 07E90101000000000000 notWritable
# Objects the MIB does not have, inside and next to ours.
set_is "$MPR_ENTRY.1.1" i 1 'notWritable|noCreation|noAccess'
set_is "$MPR_ENTRY.26.1" i 1 'notWritable|noCreation|noAccess'
set_is "$MPR_SCALARS.4.0" i 1 'notWritable|noCreation|noAccess'
# Several varbinds in one SET: refused as a whole.
out=$(snmpset -v2c -c "$SNMP_RW_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 -m "" \
    -On "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY.2.1" s a "$MPR_ENTRY.4.1" i 2 2>&1)
case $out in *notWritable*) ;; *) fail "a two-varbind SET: $out" ;; esac
# Nothing changed.
[ "$(snmp_value "$MPR_ENTRY.2.1")" = '"r0"' ] || fail "row 1's name changed"
[ "$(snmp_value "$MPR_SCALARS.1.0")" = "$N" ] || fail "mprRoutersConfigured changed"

# ---- GET: instances that are not there.
for idx in 2 998 1000 0 4294967295 \
    1.0 1.1 999.1 1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20; do
    get_is "$MPR_ENTRY.2.$idx" 'No Such Instance'
done
# A present row still answers, at both ends.
get_is "$MPR_ENTRY.2.1" 'STRING: "?r0"?$'
get_is "$MPR_ENTRY.2.999" "STRING: \"?r$((N - 1))\"?$"
# Columns the entry lacks; the entry and the table themselves.
for oid in "$MPR_ENTRY.1.1" "$MPR_ENTRY.26.1" "$MPR_ENTRY.0.1" \
    "$MPR_ENTRY.4294967295.1"; do
    get_is "$oid" 'No Such Object'
done
get_is "$MPR_ENTRY.2" 'No Such (Instance|Object)'
get_is "$MPR_TABLE" 'No Such (Instance|Object)'
# Scalars: only .0 exists.
get_is "$MPR_SCALARS.1.0" "Gauge32: $N|INTEGER: $N|$N"
for oid in "$MPR_SCALARS.1.1" "$MPR_SCALARS.1" "$MPR_SCALARS.1.0.0" \
    "$MPR_SCALARS.2.4294967295"; do
    get_is "$oid" 'No Such Instance'
done
get_is "$MPR_SCALARS.4.0" 'No Such Object'

# ---- GETBULK with absurd max-repetitions.
t0=$(date +%s)
snmpbulkget -v2c -c "$SNMP_COMMUNITY" -t 60 -r 0 -m "" -On -Cn0 -Cr100000 \
    "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY" >"$MPRMON_TEST_TMP/bulk.txt" \
    2>"$MPRMON_TEST_TMP/bulk.err"
rc=$?
echo "getbulk -Cr100000 took about $(($(date +%s) - t0)) s"
n=$(grep -c "^$MPR_ENTRY\." "$MPRMON_TEST_TMP/bulk.txt")
[ "$rc" = 0 ] || fail "getbulk -Cr100000: exit $rc: $(head -n 3 "$MPRMON_TEST_TMP/bulk.err")"
# The cap, all of it from the table (8000 cells follow the start).
[ "$n" = 1000 ] || fail "getbulk -Cr100000 returned $n table cells, expected 1000"
first=$(sed -n 1p "$MPRMON_TEST_TMP/bulk.txt")
case $first in "$MPR_ENTRY.2.1 = "*) ;; *) fail "getbulk first cell: $first" ;; esac
# Right after: a plain GET, with the usual timeout and no retry.
v=$(snmpget -v2c -c "$SNMP_COMMUNITY" -t 5 -r 0 -m "" -On -Oqv \
    "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY.2.999" 2>&1)
[ "$v" = "\"r$((N - 1))\"" ] || fail "GET after the big GETBULK: '$v'"

snmp_tool snmpbulkwalk -On -Cr10000 "$MPR_TABLE" >"$MPRMON_TEST_TMP/walk.txt"
n=$(grep -c "^$MPR_ENTRY\." "$MPRMON_TEST_TMP/walk.txt")
# A row never probed has 9 cells with a value; a probed one (refused, so
# never answered, no level-0 figures) 8 more: its error and their times.
probed=$(grep -c "^$MPR_ENTRY\.17\.[0-9]* = Counter32: [1-9]" "$MPRMON_TEST_TMP/walk.txt")
want=$((9 * N + 8 * probed))
[ "$probed" -ge 1 ] || fail "no row was probed before the walk"
[ "$n" = "$want" ] || fail "snmpbulkwalk -Cr10000: $n cells, expected $want ($probed rows probed)"
v=$(snmpget -v2c -c "$SNMP_COMMUNITY" -t 5 -r 0 -m "" -On -Oqv \
    "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY.2.1" 2>&1)
[ "$v" = '"r0"' ] || fail "GET after the bulk walk: '$v'"

# The same subagent, still connected, and the master never gave up on it.
kill -0 "$pid" 2>/dev/null || fail "the subagent died"
[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"
if grep -Ei "timeout|timed out|closing session|failed to respond" "$SNMPD_LOG"; then
    fail "snmpd logged an AgentX timeout or closed the session"
fi
snmp_tool snmpwalk -On .1.3.6.1.2.1.1.9.1.2 | grep -q "= OID: $MPRMON_OID\$" ||
    fail "MPRMON-MIB is no longer in the master's sysORTable"

subagent_stop || fail "subagent exit status $? after SIGTERM"
finish dump_logs
