#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGHUP reloads the configuration: a new router's row appears, a removed
# one goes, an unchanged one keeps its counters; a bad new file is logged
# (FILE:LINE) and the old configuration stays in force.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
write_conf() { # ROUTER-IDS for the closed port besides router 1
    {
        subagent_conf_head 10000
        subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
        for id in "$@"; do
            subagent_conf_router "$id" "closed$id" "$closed"
        done
    } >"$conf.new" && mv -f "$conf.new" "$conf"
}
write_conf 5
subagent_start "$conf" || exit 1

snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "r1 never showed running(1)"
snmp_wait_value "$MPR_ENTRY.17.1" '([2-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "r1 probes never reached 2"
expect_name5=$(snmp_value "$MPR_ENTRY.2.5")
[ "$expect_name5" = '"closed5"' ] || fail "row 5 name: $expect_name5"
probes1=$(snmp_value "$MPR_ENTRY.17.1")

# Reload: 5 goes, 6 comes, 1 stays.
write_conf 6
kill -HUP "$SUBAGENT_PID"
v=$(snmp_wait_value "$MPR_ENTRY.2.6" '"closed6"' 15) ||
    fail "row 6 did not appear after SIGHUP (last: $v)"
v=$(snmp_value "$MPR_ENTRY.2.5")
case $v in "No Such Instance"*) ;; *) fail "row 5 still there: $v" ;; esac
probes2=$(snmp_value "$MPR_ENTRY.17.1")
[ -n "$probes2" ] && [ "$probes2" -ge "$probes1" ] ||
    fail "r1 probes went from $probes1 to $probes2 across the reload"
v=$(snmp_value "$MPR_SCALARS.1.0")
[ "$v" = 2 ] || fail "mprRoutersConfigured = $v after reload, expected 2"

# A bad file: logged with FILE:LINE, old configuration kept.
printf 'concurrency 1\nrouter 7 {\n    name x\n    bogus-key 1\n}\n' >"$conf"
kill -HUP "$SUBAGENT_PID"
i=0
while ! grep -q "reload failed" "$SUBAGENT_LOG" && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
grep -q "reload failed.*$conf:4:" "$SUBAGENT_LOG" ||
    fail "no 'reload failed ... $conf:4:' in the log"
v=$(snmp_value "$MPR_ENTRY.2.6")
[ "$v" = '"closed6"' ] || fail "row 6 lost after a bad reload: $v"
v=$(snmp_value "$MPR_ENTRY.2.7")
case $v in "No Such Instance"*) ;; *) fail "row 7 from the bad file: $v" ;; esac
kill -0 "$SUBAGENT_PID" 2>/dev/null || fail "the subagent died on a bad reload"

subagent_stop || fail "subagent exit status $? after SIGTERM"

on_failure() {
    echo "---- subagent log ----"
    tail -n 40 "$SUBAGENT_LOG"
}
finish on_failure
