#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo, on a fresh Debian 12 machine: simulated RRAS routers (impacket
# peers speaking MS-RRASM and MS-SCMR over SMB), a real Samba server, a
# private snmpd with the mprmon subagent attached over AgentX, snmptrapd.
# Everything listens on 127.0.0.1 on ports picked now, and is stopped at the
# end.  Nothing is installed on the system but Debian packages.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/dev/deps.sh"
"$top/dev/build.sh"

export top_srcdir=$top top_builddir=$top/_build PYTHON3_SYSTEM=/usr/bin/python3
set +eu # the peer helpers are POSIX sh libraries
. "$top/tests/peers/common.sh"
. "$top/tests/peers/samba.sh"
. "$top/tests/peers/rras.sh"
. "$top/tests/peers/snmp.sh"
cleanup() {
    # Stop everything even if one stop fails or a signal comes meanwhile.
    set +e
    trap '' INT TERM HUP
    subagent_stop 2>/dev/null
    snmpd_stop 2>/dev/null
    snmptrapd_stop 2>/dev/null
    samba_stop 2>/dev/null
    peers_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

die() { echo "demo: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }
probe=$top_builddir/cli/mprmon-probe

step "Starting the simulated routers and a real Samba server on 127.0.0.1"
rras_peer_start healthy --total-ports 128 --ports-in-use 17 --uptime-start 86400 >/dev/null || die "RRAS peer failed"
rras_peer_start stopped --total-ports 32 >/dev/null || die "RRAS peer failed"
rras_peer_set_service stopped stopped
rras_peer_start locked >/dev/null || die "RRAS peer failed"
samba_start >/dev/null || die "smbd failed to start"
wrong_auth=$MPRMON_TEST_TMP/wrong.auth
(umask 077 && printf 'username = %s\npassword = not-the-password\n' "$RRAS_LOCKED_USER" >"$wrong_auth")
closed=$(pick_port)
cat <<EOT
  healthy   127.0.0.1:$RRAS_HEALTHY_PORT  RRAS router, RemoteAccess running
  stopped   127.0.0.1:$RRAS_STOPPED_PORT  RRAS router, RemoteAccess stopped
  locked    127.0.0.1:$RRAS_LOCKED_PORT  RRAS router; we hold a wrong password for it
  samba     127.0.0.1:$SAMBA_PORT  Samba file server: SMB works, no Routing and RAS
  offline   127.0.0.1:$closed  nothing listens
EOT

step "mprmon-probe: MprAdminServerConnect, then MprAdminIsServiceRunning and ServerGetInfo level 0"
set +e
"$probe" -t 3000 \
    -A "$RRAS_HEALTHY_AUTHFILE" "127.0.0.1:$RRAS_HEALTHY_PORT" \
    -A "$RRAS_STOPPED_AUTHFILE" "127.0.0.1:$RRAS_STOPPED_PORT" \
    -A "$wrong_auth" "127.0.0.1:$RRAS_LOCKED_PORT" \
    -A "$SAMBA_AUTHFILE" "127.0.0.1:$SAMBA_PORT" \
    "127.0.0.1:$closed"
echo "(exit status $?: 0 only when every server connected)"
set -e

step "Starting snmptrapd, a private snmpd (master agentx) and mprmon-subagent"
snmptrapd_start >/dev/null || die "snmptrapd failed"
snmpd_start >/dev/null || die "snmpd failed"
conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "concurrency 4"
    echo "trap-rate 60"
    echo "defaults {"
    echo "    interval 2"
    echo "    timeout 3000"
    echo "    hysteresis 2"
    echo "}"
    subagent_conf_router 10 vpn-gw-healthy "$RRAS_HEALTHY_PORT" "$RRAS_HEALTHY_AUTHFILE" |
        sed 's/^}$/    collect interfaces connections ports\n}/'
    subagent_conf_router 20 vpn-gw-stopped "$RRAS_STOPPED_PORT" "$RRAS_STOPPED_AUTHFILE"
    subagent_conf_router 30 vpn-gw-wrongpw "$RRAS_LOCKED_PORT" "$wrong_auth"
    subagent_conf_router 40 fileserver "$SAMBA_PORT" "$SAMBA_AUTHFILE"
    subagent_conf_router 50 vpn-gw-offline "$closed"
} >"$conf"
echo "configuration ($conf):"
sed 's/^/    /' "$conf"
subagent_start "$conf" || die "subagent failed to start"
# Wait until the healthy router's row says running(1).
snmp_wait_value "$MPR_ENTRY.5.10" 1 30 >/dev/null || die "the table did not fill in; see $SUBAGENT_LOG"
sleep 3

# Only our module (and what it imports): Debian lacks the IETF modules that
# the default list names, and ../shared/mibs supplies the base ones.
mib_args=""
if [ -n "${SNMP_MIB_ARGS:-}" ]; then
    mib_args="-M +$top/mibs:$top/../shared/mibs -m MPRMON-MIB"
fi
step "snmptable of MPRMON-MIB::mprRouterTable through snmpd (UDP 127.0.0.1:$SNMPD_PORT)"
if [ -n "$mib_args" ]; then
    # shellcheck disable=SC2086
    snmptable -v2c -c "$SNMP_COMMUNITY" $mib_args -Cb -Cw 200 "127.0.0.1:$SNMPD_PORT" MPRMON-MIB::mprRouterTable
    step "snmptable of MPRMON-MIB::mprInterfaceTable (vpn-gw-healthy collects interfaces)"
    # shellcheck disable=SC2086
    snmptable -v2c -c "$SNMP_COMMUNITY" $mib_args -Cb -Cw 200 "127.0.0.1:$SNMPD_PORT" MPRMON-MIB::mprInterfaceTable
    step "snmptable of MPRMON-MIB::mprPortTypeTable (vpn-gw-healthy collects ports)"
    # shellcheck disable=SC2086
    snmptable -v2c -c "$SNMP_COMMUNITY" $mib_args -Cb -Ci -Cw 200 "127.0.0.1:$SNMPD_PORT" MPRMON-MIB::mprPortTypeTable
    step "snmpwalk of one row (router 40), names and error texts"
    # shellcheck disable=SC2086
    snmpwalk -v2c -c "$SNMP_COMMUNITY" $mib_args "127.0.0.1:$SNMPD_PORT" MPRMON-MIB::mprRouterTable | grep '\.40 = '
else
    echo "(../shared/mibs is absent, so names cannot be resolved: numeric walk)"
    snmpwalk -v2c -c "$SNMP_COMMUNITY" -On "127.0.0.1:$SNMPD_PORT" "$MPR_ENTRY"
fi

step "Stopping RemoteAccess on vpn-gw-healthy; waiting for the notification"
rras_peer_set_service healthy stopped
# notification_for KIND: the first one of KIND (1 down, 2 up) about row 10.
notification_for() {
    grep "$MPR_NOTIFY\.$1[[:space:]]" "$SNMPTRAPD_OUT" 2>/dev/null | grep "$MPR_ENTRY\.2\.10 = " | head -n 1
}
i=0
until [ -n "$(notification_for 1)" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || die "no mprRouterServiceDown arrived"
    sleep 0.1
done
echo "snmptrapd received:"
notification_for 1 | tr '\t' '\n' | sed 's/^/    /'
if [ -n "$mib_args" ]; then
    # shellcheck disable=SC2086
    snmpget -v2c -c "$SNMP_COMMUNITY" $mib_args "127.0.0.1:$SNMPD_PORT" \
        MPRMON-MIB::mprRouterServiceState.10 MPRMON-MIB::mprRouterLastChange.10
fi

step "Starting it again"
rras_peer_set_service healthy running
i=0
until [ -n "$(notification_for 2)" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || die "no mprRouterServiceUp arrived"
    sleep 0.1
done
echo "snmptrapd received:"
notification_for 2 | tr '\t' '\n' | sed 's/^/    /'
step "All notifications snmptrapd received during the demo"
grep '^TRAP' "$SNMPTRAPD_OUT" | tr '\t' '\n' | awk -v n="$MPR_NOTIFY" '
    index($0, ".1.3.6.1.6.3.1.1.4.1.0 = OID: " n ".") { k = substr($0, length($0)); kind = (k == 1 ? "mprRouterServiceDown" : k == 2 ? "mprRouterServiceUp" : "mprRouterConnectFailed") }
    /\.1\.2\.1\.2\.[0-9]+ = STRING:/ { sub(/.*STRING: /, ""); printf "    %-24s %s\n", kind, $0 }'

step "Done; stopping everything"
cleanup
trap - EXIT
exit 0
