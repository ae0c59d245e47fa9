#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A peer that hangs (SIGSTOP: its connections stay open, nothing answers):
# its rows show the failure after their timeout, and a reload that removes
# its routers does not freeze SNMP.  Removing a router disconnects its
# handle, which waits on the hung peer up to the timeout, once per router;
# done on the thread that serves AgentX, that outlasted snmpd's
# agentxTimeout and snmpd dropped the session, table and all.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

HUNG_ROUTERS=8
TIMEOUT_MS=2000

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
rras_peer_start r2 || exit 1

conf=$MPRMON_TEST_TMP/mprmon.conf
write_conf() { # with-r1 | without-r1
    {
        subagent_conf_head $TIMEOUT_MS
        subagent_conf_router 1 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
        if [ "$1" = with-r1 ]; then
            i=1
            while [ "$i" -le "$HUNG_ROUTERS" ]; do
                subagent_conf_router $((10 + i)) "r1-$i" "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
                i=$((i + 1))
            done
        fi
    } >"$conf.new" && mv -f "$conf.new" "$conf"
}
write_conf with-r1
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID

for id in 1 11 $((10 + HUNG_ROUTERS)); do
    snmp_wait_value "$MPR_ENTRY.4.$id" 1 30 >/dev/null ||
        fail "router $id never connected"
done

kill -STOP "$RRAS_R1_PID"
# Hung mid-probe: the probes in flight end at their timeout, as errors.
v=$(snmp_wait_value "$MPR_ENTRY.6.11" '[1-9][0-9]*' 30) ||
    fail "router 11 shows no error with its peer hung (last error $v)"
echo "hung peer: router 11 last error $v, conn state $(snmp_value "$MPR_ENTRY.4.11")"

# Remove the hung peer's routers; SNMP must answer all along.
write_conf without-r1
probes0=$(snmp_value "$MPR_ENTRY.17.1")
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_SCALARS.1.0" 1 10) ||
    fail "mprRoutersConfigured = $v after the reload"
bad=0
i=0
while [ "$i" -lt 10 ]; do
    v=$(snmp_value "$MPR_ENTRY.2.1")
    [ "$v" = '"r2"' ] || {
        bad=$((bad + 1))
        echo "  $i s after the reload: row 1 name: $v"
    }
    sleep 1
    i=$((i + 1))
done
[ "$bad" = 0 ] || fail "SNMP did not answer $bad times in 10 s after the reload"
grep -q "AgentX master disconnected us" "$SUBAGENT_LOG" &&
    fail "snmpd dropped the AgentX session during the reload"
v=$(snmp_value "$MPR_ENTRY.17.1")
[ "$v" -gt "$probes0" ] || fail "router 1 (r2) not probed during the reload ($probes0 -> $v)"

# The peer wakes up: the disconnects finish and the reload completes.
kill -CONT "$RRAS_R1_PID"
i=0
while ! grep -q "configuration reloaded: 1 routers" "$SUBAGENT_LOG" && [ "$i" -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
grep -q "configuration reloaded: 1 routers" "$SUBAGENT_LOG" ||
    fail "the reload never completed"

[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"
subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
