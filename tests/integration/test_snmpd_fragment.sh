#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# etc/snmpd-mprmon.conf, the shipped snmpd fragment, on a real snmpd
# configured like Debian's (a read-only community limited to the view
# "systemonly"): without the fragment the table is hidden, with it the
# table answers.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

FRAGMENT=$top_srcdir/etc/snmpd-mprmon.conf

# debian_like_conf [FRAGMENT]: Debian 12's views and community, on the
# test's port and AgentX socket, then the fragment with the test's socket.
debian_like_conf() {
    {
        echo "master agentx"
        echo "agentXSocket $SNMPD_AGENTX"
        echo "agentXPerms 0600 0700"
        echo "agentaddress udp:127.0.0.1:$SNMPD_PORT"
        echo "view systemonly included .1.3.6.1.2.1.1"
        echo "view systemonly included .1.3.6.1.2.1.25.1"
        echo "rocommunity $SNMP_COMMUNITY 127.0.0.1 -V systemonly"
        echo "authtrapenable 2"
        if [ -n "${1:-}" ]; then
            sed -e "s|^agentXSocket .*|agentXSocket $SNMPD_AGENTX|" "$1"
        fi
    } >"$SNMP_DIR/snmpd.conf"
}

snmpd_start || exit $?
debian_like_conf
snmpd_restart || exit 1
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "defaults {"
    echo "    interval 60"
    echo "}"
    subagent_conf_router 1 r1 "$(closed_port)"
} >"$conf"
subagent_start "$conf" || exit 1
i=0
until grep -q "AgentX subagent connected" "$SUBAGENT_LOG" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 150 ] || { fail "the subagent never connected"; break; }
    sleep 0.2
done
sleep 1
v=$(snmp_value "$MPR_ENTRY.2.1")
case $v in
"No Such Object"*) echo "ok: without the fragment the table is hidden: $v" ;;
*) fail "without the fragment: mprRouterName.1 = '$v', expected No Such Object" ;;
esac

debian_like_conf "$FRAGMENT"
snmpd_restart || exit 1
v=$(snmp_wait_value "$MPR_ENTRY.2.1" '"r1"' 30) ||
    fail "with the fragment: mprRouterName.1 = '$v', expected \"r1\""
echo "ok: with the fragment: mprRouterName.1 = $v"
finish
