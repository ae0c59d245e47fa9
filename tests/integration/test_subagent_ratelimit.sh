#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The notification rate limit (trap-rate) holds end to end: three routers
# fail at once with trap-rate 1, one notification reaches snmptrapd and
# the other two are logged as suppressed.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

snmptrapd_start || exit $?
snmpd_start || exit $?
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "concurrency 4"
    echo "trap-rate 1"
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout 2000"
    echo "    hysteresis 1"
    echo "}"
    subagent_conf_router 1 c1 "$closed"
    subagent_conf_router 2 c2 "$closed"
    subagent_conf_router 3 c3 "$closed"
} >"$conf"
subagent_start "$conf" || exit 1

for id in 1 2 3; do
    snmp_wait_value "$MPR_ENTRY.6.$id" 1722 20 >/dev/null ||
        fail "router $id never showed 1722"
done
i=0
while [ "$(grep -c 'rate limit: suppressed' "$SUBAGENT_LOG")" -lt 2 ] &&
    [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
# The one notification let through goes subagent -> snmpd -> snmptrapd,
# which takes its time under valgrind or load: wait for it rather than
# assume a second is enough.  Then give a wrongly sent one (same batch,
# same path) as long again to arrive.
snmptrapd_wait "^TRAP .* = OID: $MPR_NOTIFY\.3[[:space:]]" 30 ||
    fail "no mprRouterConnectFailed received at all"
sleep 1
n=$(grep -c "^TRAP .* = OID: $MPR_NOTIFY\.3[[:space:]]" "$SNMPTRAPD_OUT")
[ "$n" = 1 ] || fail "$n mprRouterConnectFailed received, expected 1"
s=$(grep -c 'rate limit: suppressed mprRouterConnectFailed' "$SUBAGENT_LOG")
[ "$s" = 2 ] || fail "$s suppressed notifications logged, expected 2"

subagent_stop || fail "subagent exit status $? after SIGTERM"
on_failure() {
    echo "---- subagent log ----"
    tail -n 20 "$SUBAGENT_LOG"
    grep '^TRAP' "$SNMPTRAPD_OUT"
}
finish on_failure
