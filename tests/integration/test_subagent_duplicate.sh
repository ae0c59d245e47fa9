#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A second mprmon-subagent on the same master: snmpd refuses its
# registration of MPRMON-MIB (duplicateRegistration).  It must exit with
# status 1 within seconds (so that systemd restarts it) with a line in its
# log that says why, and the first subagent must keep serving its rows:
# the second one's exit must not take them away from the master.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

# Seconds the second subagent has to give up (valgrind starts slowly).
LIMIT=10
[ "${MPRMON_VALGRIND:-0}" = 1 ] && LIMIT=60

second_log=$SNMP_DIR/subagent2.log
dump_logs() {
    subagent_log_tail
    echo "---- second subagent log ----"
    tail -n 40 "$second_log"
    [ ! -s "$SNMP_DIR/subagent2.valgrind" ] ||
        head -n 100 "$SNMP_DIR/subagent2.valgrind"
    echo "---- snmpd log ----"
    tail -n 20 "$SNMPD_LOG"
}

snmpd_start || exit $?
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
subagent_conf_quiet_fleet 2 "$closed" 1 >"$conf"
subagent_write_netsnmp_conf 1 || exit 1
subagent_start "$conf" || exit 1
first=$SUBAGENT_PID
snmp_wait_value "$MPR_ENTRY.2.2" '"r1"' 20 >/dev/null ||
    fail "the first subagent never served row 2"

# second_start: the same binary, config and master socket as the first,
# with a log of its own.  Sets second.
second_start() {
    subagent_spawn "$conf" "$second_log" "$SNMP_DIR/subagent2.valgrind"
    second=$!
    peers_track "$second"
}

second_start
start=$(date +%s)
i=0
while kill -0 "$second" 2>/dev/null && [ "$i" -lt $((LIMIT * 10)) ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$second" 2>/dev/null; then
    fail "the second subagent still runs ${LIMIT}s after its start"
    kill -TERM "$second" 2>/dev/null
fi
wait "$second"
rc=$?
peers_untrack "$second"
echo "second subagent: exit status $rc after $(($(date +%s) - start))s"
[ "$rc" = 1 ] || fail "the second subagent exited with status $rc, expected 1"
grep -E 'mprmon: snmpd refused the registration of \.[0-9.]+ \(duplicate registration\): is another mprmon-subagent running\?' \
    "$second_log" || fail "no refusal message in the second subagent's log"

# The first one is untouched, now and after a few of its pings.
for when in now later; do
    [ "$when" = later ] && sleep 3
    kill -0 "$first" 2>/dev/null || fail "the first subagent died ($when)"
    v=$(snmp_value "$MPR_ENTRY.2.2")
    [ "$v" = '"r1"' ] || fail "row 2 from the first subagent ($when): '$v'"
    v=$(snmp_value "$MPR_SCALARS.1.0")
    [ "$v" = 2 ] || fail "mprRoutersConfigured ($when): '$v'"
done
grep -q "refused the registration" "$SUBAGENT_LOG" &&
    fail "the first subagent logged a refusal"
[ "$SUBAGENT_PID" = "$first" ] || fail "the first subagent was restarted"
subagent_stop || fail "first subagent exit status $? after SIGTERM"

finish dump_logs
