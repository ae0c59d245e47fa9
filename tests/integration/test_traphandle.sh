#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# integrations/snmptrapd/mprmon-traphandle under a real snmptrapd, started
# the way Debian's is (OIDs in the default iso.3.6.1... form, no MIB
# files) and once with -On: each notification becomes one readable line
# naming the router, what happened and why: the router's service, an
# interface that goes down and comes back, a port type exhausted.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

HANDLER=$top_srcdir/integrations/snmptrapd/mprmon-traphandle
rras_peer_usable || exit 77

# run_case OID_OPTS: a fresh snmptrapd, snmpd and subagent; stop r1's
# service and bring it back; the handler's file must say so.
run_case() {
    handled=$MPRMON_TEST_TMP/handled.$2
    : >"$handled"
    SNMPTRAPD_OID_OPTS=$1
    # snmptrapd matches a handler's OID exactly: one line per notification.
    SNMPTRAPD_EXTRA_CONF=$(for n in 1 2 3 4 5 6; do
        echo "traphandle .1.3.6.1.4.1.8072.9999.4173.0.$n $HANDLER -f $handled"
    done)
    export SNMPTRAPD_OID_OPTS SNMPTRAPD_EXTRA_CONF
    snmptrapd_start || exit $?
    snmpd_start || exit $?
    closed=$(closed_port)
    conf=$MPRMON_TEST_TMP/mprmon.$2.conf
    {
        subagent_conf_every_second 100 5000
        subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE" |
            sed 's/^}$/    collect interfaces ports\n}/'
        subagent_conf_router 9 closed "$closed"
    } >"$conf"
    subagent_start "$conf" || exit 1
    wait_line "$handled" 'router "closed" \(id 9\): cannot connect: RemoteAccess state unknown: the router could not be reached; error 1722: The RPC server is unavailable\. \[from ' ||
        fail "$2: no ConnectFailed line: $(cat "$handled")"
    snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null || fail "$2: r1 never running"
    rras_peer_set_service r1 stopped || exit 1
    wait_line "$handled" 'router "r1" \(id 1\): RemoteAccess service down: RemoteAccess is stopped' ||
        fail "$2: no ServiceDown line: $(cat "$handled")"
    rras_peer_set_service r1 running || exit 1
    wait_line "$handled" 'router "r1" \(id 1\): RemoteAccess service up: RemoteAccess is running' ||
        fail "$2: no ServiceUp line: $(cat "$handled")"
    wait_line "$handled" 'router "r1" \(id 1\): interface "Branch-Lyon" unreachable: error 678: The remote computer did not respond\.' ||
        fail "$2: no InterfaceDown line: $(cat "$handled")"
    wait_line "$handled" 'router "r1" \(id 1\): SSTP ports exhausted: 2 of 2 in use' ||
        fail "$2: no PortsExhausted line: $(cat "$handled")"
    set_lists "$lyon_up"
    wait_line "$handled" 'router "r1" \(id 1\): interface "Branch-Lyon" reachable again \[from ' ||
        fail "$2: no InterfaceUp line: $(cat "$handled")"
    set_lists "$lyon_down"
    sed "s/^/$2| /" "$handled"
    # One line per notification, nothing else.
    bad=$(grep -cv '^mprmon: router "' "$handled")
    [ "$bad" = 0 ] || fail "$2: $bad lines not from a notification"
    subagent_stop
    snmpd_stop
    snmptrapd_stop
}

# wait_line FILE REGEX: up to 30 s for a line matching REGEX (grep -E).
wait_line() {
    _wl_end=$(($(date +%s) + 30))
    until grep -Eq "$2" "$1" 2>/dev/null; do
        [ "$(date +%s)" -lt "$_wl_end" ] || return 1
        sleep 0.2
    done
}

# set_lists JSON: the peer's lists from now on.
set_lists() {
    printf '%s\n' "$1" >"$lists.new" && mv "$lists.new" "$lists"
}
lists=$MPRMON_TEST_TMP/lists.json
sstp_full='"ports": [
 {"handle": 1, "condition": 5, "device": "WAN Miniport (SSTP)", "type": "vpn"},
 {"handle": 2, "condition": 5, "device": "WAN Miniport (SSTP)", "type": "vpn"}]'
lyon_down="{\"interfaces\": [{\"name\": \"Branch-Lyon\", \"handle\": 18, \"type\": 2, \"state\": 0, \"unreachable\": 4, \"last_error\": 678}], $sstp_full}"
lyon_up="{\"interfaces\": [{\"name\": \"Branch-Lyon\", \"handle\": 18, \"type\": 2, \"state\": 3}], $sstp_full}"
set_lists "$lyon_down"
rras_peer_start r1 --lists-file "$lists" || exit 1
run_case "" default
run_case "-On" numeric
finish
