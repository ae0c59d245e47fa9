#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# 10,000 rows through snmpd: a bulk walk of one column returns every row
# in order, and single GETs at both ends of the table answer at once (the
# handler searches the snapshot, it does not walk it): the median GET of the
# last row must stay within 3x the median GET of the first, both measured
# now, through the same snmpd (a handler that walked the rows would take
# time in proportion to the row).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

N=10000
snmpd_start || exit $?
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
subagent_conf_quiet_fleet "$N" "$closed" 3 >"$conf"
subagent_start "$conf" || exit 1

v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$N" 30) ||
    fail "mprRoutersConfigured = $v, expected $N"

start=$(date +%s)
snmp_tool snmpbulkwalk -On -Cr100 "$MPR_ENTRY.2" >"$MPRMON_TEST_TMP/names.txt"
end=$(date +%s)
n=$(grep -c "^$MPR_ENTRY\.2\.[0-9]* = STRING: " "$MPRMON_TEST_TMP/names.txt")
[ "$n" = "$N" ] || fail "bulk walk of mprRouterName gave $n rows, expected $N"
# Every id in order: 1, 4, 7, ...
awk -F'[ .]' -v base="$(echo "$MPR_ENTRY.2" | tr -cd . | wc -c)" '
    { id = $(base + 2); if (id != 3 * NR - 2) { print "row " NR ": id " id; exit 1 } }
' "$MPRMON_TEST_TMP/names.txt" || fail "ids out of order or missing"
echo "bulk walk of $N rows: $((end - start)) s"

v=$(snmp_value "$MPR_ENTRY.2.1")
[ "$v" = '"r0"' ] || fail "first row name: $v"
v=$(snmp_value "$MPR_ENTRY.2.$((3 * (N - 1) + 1))")
[ "$v" = "\"r$((N - 1))\"" ] || fail "last row name: $v"
v=$(snmp_value "$MPR_ENTRY.2.2")
case $v in "No Such Instance"*) ;; *) fail "a gap answered: $v" ;; esac

# median_us OID: the median of 200 GET round trips (bench/get_latency:
# synchronous GETs from one session, no process start per request).
median_us() {
    "$top_builddir/bench/get_latency" "127.0.0.1:$SNMPD_PORT" "$SNMP_COMMUNITY" \
        "$1" 200 2>>"$MPRMON_TEST_TMP/get_latency.err" | sort -n | sed -n 100p
}
first=$(median_us "$MPR_ENTRY.2.1")
last=$(median_us "$MPR_ENTRY.2.$((3 * (N - 1) + 1))")
first2=$(median_us "$MPR_ENTRY.2.1")
echo "GET latency, median of 200: first row $first us (again: $first2 us), last row $last us"
if [ -z "$first" ] || [ -z "$last" ] || [ -z "$first2" ]; then
    fail "GET latency not measured: $(head -c 300 "$MPRMON_TEST_TMP/get_latency.err")"
else
    # The baseline is the slower of the two first-row runs, so that the
    # machine getting busier between the runs does not fail the test.
    [ "$first2" -gt "$first" ] && first=$first2
    [ "$last" -le $((3 * first)) ] ||
        fail "GET of the last row ($last us) is over 3x that of the first ($first us)"
fi

subagent_stop || fail "subagent exit status $? after SIGTERM"
on_failure() {
    tail -n 20 "$SUBAGENT_LOG"
}
finish on_failure
