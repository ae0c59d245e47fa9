#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# snmpd restarts under a running subagent: the subagent (same process)
# reconnects by itself (agentxPingInterval) and its rows come back with
# their counters kept, not reset.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_head 10000
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 closed "$closed"
} >"$conf"
subagent_write_netsnmp_conf 1 || exit 1
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID

snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "r1 never showed running(1)"
# A few probes each, so that "kept" is distinguishable from "reset".
snmp_wait_value "$MPR_ENTRY.17.1" '([3-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "r1 probes never reached 3"
snmp_wait_value "$MPR_ENTRY.13.2" '([3-9]|[1-9][0-9]+)' 60 >/dev/null ||
    fail "closed-port failures never reached 3"
probes1=$(snmp_value "$MPR_ENTRY.17.1")
fail2=$(snmp_value "$MPR_ENTRY.13.2")
att1=$(snmp_value "$MPR_ENTRY.12.1")
echo "before: probes(r1)=$probes1 attempts(r1)=$att1 failures(closed)=$fail2"

snmpd_restart || exit 1
# The master is back but empty until the subagent's next ping notices.
if ! v=$(snmp_wait_value "$MPR_ENTRY.17.1" '[0-9]+' 20); then
    fail "rows did not come back after the snmpd restart (last: $v)"
fi
kill -0 "$pid" 2>/dev/null || fail "the subagent died with snmpd"
[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"

probes2=$(snmp_value "$MPR_ENTRY.17.1")
fail2b=$(snmp_value "$MPR_ENTRY.13.2")
att2=$(snmp_value "$MPR_ENTRY.12.1")
echo "after:  probes(r1)=$probes2 attempts(r1)=$att2 failures(closed)=$fail2b"
[ -n "$probes2" ] && [ "$probes2" -ge "$probes1" ] ||
    fail "r1 probes went from $probes1 to $probes2"
[ -n "$fail2b" ] && [ "$fail2b" -ge "$fail2" ] ||
    fail "closed-port failures went from $fail2 to $fail2b"
[ -n "$att2" ] && [ "$att2" -ge "$att1" ] ||
    fail "r1 connect attempts went from $att1 to $att2"
expect_state=$(snmp_value "$MPR_ENTRY.5.1")
[ "$expect_state" = 1 ] || fail "r1 state after restart: $expect_state"
snmp_tool snmpwalk -On .1.3.6.1.2.1.1.9.1.2 | grep -q "= OID: $MPRMON_OID\$" ||
    fail "MPRMON-MIB is not in the new master's sysORTable"
n=$(grep -c "AgentX subagent connected" "$SUBAGENT_LOG")
[ "$n" -ge 2 ] || fail "the subagent log shows $n AgentX connects, expected 2"

# And the counters keep counting on the new master.
snmp_wait_above "$MPR_ENTRY.17.1" "$probes2" 20 >/dev/null ||
    fail "r1 probes stopped counting after the restart"

subagent_stop || fail "subagent exit status $? after SIGTERM"

on_failure() {
    echo "---- subagent log ----"
    tail -n 40 "$SUBAGENT_LOG"
}
finish on_failure
