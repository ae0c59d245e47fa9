#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped Zabbix template in a real Zabbix 6.0 (Debian's server,
# frontend and PostgreSQL, all private to the test): it imports through
# the API; linked to a host for our snmpd, discovery makes one set of
# items per router with the values the table holds, unknown values are
# "not supported" rather than 0, the triggers fire for the routers they
# are about and not for healthy ones, and a notification passes through
# snmptrapd and mprmon-traphandle -z into the template's snmptrap item.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
. "$top_srcdir/tests/peers/zabbix.sh"

TEMPLATE=$top_srcdir/integrations/zabbix/mprmon-template.yaml
HANDLER=$top_srcdir/integrations/snmptrapd/mprmon-traphandle
zabbix_usable || exit 77
rras_peer_usable || exit 77
trap 'zabbix_stop; harness_cleanup' EXIT

# json EXPRESSION: evaluate a Python expression on the JSON of stdin (r).
json() {
    "$PYTHON3_SYSTEM" -c 'import json, sys
r = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}

traps=$MPRMON_TEST_TMP/zabbix_traps.tmp
: >"$traps"
zabbix_start "$traps" || exit 1
zabbix_api import "$TEMPLATE" >/dev/null || { fail "the template does not import"; finish; }
echo "ok: the template imports"
tid=$(zabbix_api template.get '{"filter": {"host": ["mprmon RRAS by SNMP"]}, "output": ["templateid"]}' |
    json 'r[0]["templateid"]') || exit 1

# snmptrapd hands our notifications to the handler, which feeds Zabbix.
SNMPTRAPD_EXTRA_CONF=$(for n in 1 2 3; do
    echo "traphandle .1.3.6.1.4.1.8072.9999.4173.0.$n $HANDLER -z $traps"
done)
SNMPTRAPD_OID_OPTS=""
export SNMPTRAPD_EXTRA_CONF SNMPTRAPD_OID_OPTS
snmptrapd_start || exit $?
snmpd_start || exit $?
rras_peer_start r1 --total-ports 8 --ports-in-use 3 || exit 1
rras_peer_start r2 || exit 1
closed=$(closed_port)
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 100
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
    subagent_conf_router 3 offline "$closed"
} >"$conf"
subagent_start "$conf" || exit 1
snmp_wait_value "$MPR_ENTRY.5.2" 1 30 >/dev/null || fail "r2 never running"

# The host, as the README sets it up, with short intervals for the test
# and a ports threshold that r1's 3 of 8 exceeds.
gid=$(zabbix_api hostgroup.create '{"name": "mprmon test"}' | json 'r["groupids"][0]') || exit 1
zabbix_api host.create "{
    \"host\": \"monhost\", \"groups\": [{\"groupid\": \"$gid\"}],
    \"templates\": [{\"templateid\": \"$tid\"}],
    \"interfaces\": [{\"type\": 2, \"main\": 1, \"useip\": 1, \"ip\": \"127.0.0.1\",
        \"dns\": \"\", \"port\": \"$SNMPD_PORT\",
        \"details\": {\"version\": 2, \"bulk\": 1, \"community\": \"{\$SNMP_COMMUNITY}\"}}],
    \"macros\": [{\"macro\": \"{\$SNMP_COMMUNITY}\", \"value\": \"$SNMP_COMMUNITY\"},
        {\"macro\": \"{\$MPRMON.INTERVAL}\", \"value\": \"2s\"},
        {\"macro\": \"{\$MPRMON.LLD.INTERVAL}\", \"value\": \"5s\"},
        {\"macro\": \"{\$MPRMON.PORTS.MAX.WARN}\", \"value\": \"30\"}]}" >"$MPRMON_TEST_TMP/host.json" ||
    exit 1
hid=$(json 'r["hostids"][0]' <"$MPRMON_TEST_TMP/host.json")

# items: "KEY STATE VALUE" per line for the host (state 1 = not supported),
# white space in values (a trap's lines) squeezed to single spaces.
items() {
    zabbix_api item.get "{\"hostids\": [\"$hid\"], \"output\": [\"key_\", \"state\", \"lastvalue\"]}" |
        json '"\n".join("%s %s %s" % (i["key_"], i["state"], " ".join(i["lastvalue"].split())) for i in r)'
}
# wait_item KEY STATE VALUE-REGEX [SECONDS]: until the item is in STATE
# with its last value matching VALUE-REGEX (Python, whole value).
wait_item() {
    _wi_end=$(($(date +%s) + ${4:-90}))
    while :; do
        items >"$MPRMON_TEST_TMP/items.txt" 2>&1
        "$PYTHON3_SYSTEM" -c 'import re, sys
key, state, value = sys.argv[2:5]
for line in open(sys.argv[1], encoding="utf-8"):
    k, s, v = (line.rstrip("\n").split(" ", 2) + ["", ""])[:3]
    if k == key and s == state and re.fullmatch(value, v):
        sys.exit(0)
sys.exit(1)' "$MPRMON_TEST_TMP/items.txt" "$1" "$2" "$3" && return 0
        [ "$(date +%s)" -lt "$_wi_end" ] || { fail "item $1: wanted state $2 value $3"; return 1; }
        sleep 1
    done
}
# wait_trap TEXT: until a value of the snmptrap item (a log item: all its
# history, as later notifications replace the last value) contains TEXT.
wait_trap() {
    _wt_id=$(zabbix_api item.get "{\"hostids\": [\"$hid\"], \"search\": {\"key_\": \"snmptrap\"},
        \"output\": [\"itemid\"]}" | json 'r[0]["itemid"]') || { fail "no snmptrap item"; return 1; }
    _wt_end=$(($(date +%s) + 60))
    while :; do
        zabbix_api history.get "{\"history\": 2, \"itemids\": [\"$_wt_id\"], \"output\": [\"value\"]}" |
            json '"\n".join(" ".join(h["value"].split()) for h in r)' >"$MPRMON_TEST_TMP/traps.txt" 2>&1
        if grep -Fq "$1" "$MPRMON_TEST_TMP/traps.txt"; then
            echo "ok: notification in Zabbix: $1"
            return 0
        fi
        [ "$(date +%s)" -lt "$_wt_end" ] || { fail "no notification '$1' in Zabbix"; return 1; }
        sleep 1
    done
}
# problems: the host's triggers in the problem state, one name per line.
problems() {
    zabbix_api trigger.get "{\"hostids\": [\"$hid\"], \"filter\": {\"value\": 1},
        \"expandDescription\": true, \"output\": [\"description\"]}" |
        json '"\n".join(sorted(t["description"] for t in r))'
}
# wait_problem NAME [SECONDS]
wait_problem() {
    _wp_end=$(($(date +%s) + ${2:-60}))
    until problems >"$MPRMON_TEST_TMP/problems.txt" 2>&1 && grep -Fxq "$1" "$MPRMON_TEST_TMP/problems.txt"; do
        [ "$(date +%s)" -lt "$_wp_end" ] || { fail "no problem '$1'"; return 1; }
        sleep 1
    done
    echo "ok: problem: $1"
}

# Discovery and polling: one set of items per router, values as the table.
wait_item 'mprmon.router.service[1]' 0 1 120 && echo "ok: routers discovered and polled"
wait_item 'mprmon.router.service[2]' 0 1
wait_item 'mprmon.router.connection[3]' 0 4
wait_item 'mprmon.router.ports.inuse[1]' 0 3
wait_item 'mprmon.router.ports.total[1]' 0 8
wait_item 'mprmon.router.error.name[3]' 0 RPC_S_SERVER_UNAVAILABLE
wait_item 'mprmon.router.latency[1]' 0 '0\.[0-9]+|[1-9][0-9.]*'
wait_item 'mprmon.routers.configured' 0 3
# Unknown is not 0: the unreachable router's ports are not supported
# (the API shows lastvalue 0 for an item that never had a value).
wait_item 'mprmon.router.ports.inuse[3]' 1 '.*'

# A stopped service: the item, the trigger, and the notification.
rras_peer_set_service r2 stopped || exit 1
wait_item 'mprmon.router.service[2]' 0 2
wait_item 'mprmon.router.service.text[2]' 0 'RemoteAccess is stopped'
wait_problem "Router r2: RemoteAccess service is not running"
wait_problem "Router offline: mprmon cannot connect"
wait_problem "Router r1: more than 30% of ports in use"
wait_trap 'router "r2" (id 2): RemoteAccess service down: RemoteAccess is stopped'
wait_problem "mprmon: notified: a RemoteAccess service went down"
# Nothing fires for the healthy router but the ports threshold set above,
# nor a ports alarm where the ports are unknown.
problems >"$MPRMON_TEST_TMP/problems.txt"
for wrong in "Router r1: RemoteAccess service is not running" "Router r1: mprmon cannot connect" \
    "Router r1: no fresh data" "Router offline: more than 30% of ports in use" \
    "Router r2: more than 30% of ports in use"; do
    ! grep -Fxq "$wrong" "$MPRMON_TEST_TMP/problems.txt" || fail "problem '$wrong' fired"
done

dump() {
    echo "---- items ----"; cat "$MPRMON_TEST_TMP/items.txt"
    echo "---- problems ----"; cat "$MPRMON_TEST_TMP/problems.txt"
    echo "---- trap file ----"; cat "$traps"
    echo "---- snmptrap item history ----"; cat "$MPRMON_TEST_TMP/traps.txt"
    echo "---- zabbix_server.log ----"; tail -n 40 "$ZABBIX_DIR/zabbix_server.log"
    subagent_log_tail
}
finish dump
