#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's check_snmp lines (monitoring-plugins, as Nagios and Icinga
# run them) against the live table: OK for a healthy router, CRITICAL for a
# stopped service, and never OK for a router that cannot be reached, where
# the ports in use are unknown (noSuchInstance), not 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

CHECK_SNMP=${CHECK_SNMP:-/usr/lib/nagios/plugins/check_snmp}
if [ ! -x "$CHECK_SNMP" ]; then
    echo "SKIP: $CHECK_SNMP (monitoring-plugins-standard) is not installed"
    exit 77
fi
rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 --total-ports 8 --ports-in-use 3 || exit 1
rras_peer_start r2 || exit 1
rras_peer_set_service r2 stopped || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    subagent_conf_every_second 0
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
    subagent_conf_router 2 r2 "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"
    subagent_conf_router 3 offline "$closed"
} >"$conf"
subagent_start "$conf" || exit 1
snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null || fail "r1 never running"
snmp_wait_value "$MPR_ENTRY.5.2" 2 30 >/dev/null || fail "r2 never stopped"
snmp_wait_value "$MPR_ENTRY.4.3" 4 30 >/dev/null || fail "router 3 never failed"

# nagios_check WANT_EXIT LABEL OID ARGS...: one README line, -H and -p
# pointed at the test's snmpd.  WANT_EXIT is a list such as "2 3".
nagios_check() {
    _want=$1 _label=$2 _oid=$3
    shift 3
    _out=$("$CHECK_SNMP" -H 127.0.0.1 -p "$SNMPD_PORT" -P 2c \
        -C "$SNMP_COMMUNITY" -m '' -o "$_oid" "$@" -l "$_label" 2>&1)
    _rc=$?
    case " $_want " in
    *" $_rc "*) echo "ok: $_label $_oid: exit $_rc: $_out" ;;
    *) fail "$_label $_oid: exit $_rc (wanted one of $_want): $_out" ;;
    esac
}

# The service: running(1) is OK, anything else CRITICAL.
nagios_check 0 rras_service "$MPR_ENTRY.5.1" -c 1:1
nagios_check 2 rras_service "$MPR_ENTRY.5.2" -c 1:1
nagios_check 2 rras_service "$MPR_ENTRY.5.3" -c 1:1
# The connection, with the reason as text.
nagios_check 0 rras_conn "$MPR_ENTRY.4.1,$MPR_ENTRY.8.1" -c 1:1,
nagios_check 2 rras_conn "$MPR_ENTRY.4.3,$MPR_ENTRY.8.3" -c 1:1,
# Ports in use: 3 of 8 is OK; where nothing could be read (service
# stopped, router unreachable) the check must not pass as OK.
nagios_check 0 ports_in_use "$MPR_ENTRY.16.1" -w 100 -c 120
nagios_check "2 3" ports_in_use "$MPR_ENTRY.16.2" -w 100 -c 120
nagios_check "2 3" ports_in_use "$MPR_ENTRY.16.3" -w 100 -c 120
# Staleness: false(2) for a router answering every second.
nagios_check 0 rras_stale "$MPR_ENTRY.22.1" -c 2:2

# The shipped object definitions: each command_line with its macros filled
# in as Nagios would, run through /bin/sh as Nagios runs it.
NAGIOS_CFG=$top_srcdir/integrations/nagios/mprmon.cfg
# nagios_command WANT_EXIT NAME ARG1 [ARG2 ARG3]
nagios_command() {
    _want=$1 _name=$2
    shift 2
    _line=$(awk -v name="$_name" '
        $1 == "command_name" { found = ($2 == name) }
        found && $1 == "command_line" { sub(/^[ \t]*command_line[ \t]+/, ""); print; exit }
    ' "$NAGIOS_CFG")
    [ -n "$_line" ] || { fail "$NAGIOS_CFG has no command $_name"; return; }
    _line=$(printf '%s\n' "$_line" | sed \
        -e "s|\\\$USER1\\\$|$(dirname "$CHECK_SNMP")|g" \
        -e 's|\$HOSTADDRESS\$|127.0.0.1|g' \
        -e "s|\\\$_HOSTSNMP_PORT\\\$|$SNMPD_PORT|g" \
        -e "s|\\\$_HOSTSNMP_COMMUNITY\\\$|$SNMP_COMMUNITY|g" \
        -e "s|\\\$ARG1\\\$|${1:-}|g" -e "s|\\\$ARG2\\\$|${2:-}|g" \
        -e "s|\\\$ARG3\\\$|${3:-}|g")
    case $_line in *'$'*) fail "$_name: a macro left unfilled: $_line"; return ;; esac
    _out=$(/bin/sh -c "$_line" 2>&1)
    _rc=$?
    case " $_want " in
    *" $_rc "*) echo "ok: $_name $*: exit $_rc: $_out" ;;
    *) fail "$_name $*: exit $_rc (wanted one of $_want): $_out" ;;
    esac
}
nagios_command 0 check_mprmon_service 1
nagios_command 2 check_mprmon_service 2
nagios_command 2 check_mprmon_service 3
nagios_command 0 check_mprmon_connection 1
nagios_command 2 check_mprmon_connection 3
nagios_command 0 check_mprmon_ports 1 100 120
nagios_command 2 check_mprmon_ports 1 1 2
nagios_command "2 3" check_mprmon_ports 2 100 120
nagios_command "2 3" check_mprmon_ports 3 100 120
nagios_command 0 check_mprmon_stale 1
# Every example service names a command that is defined.
for cmd in $(awk '$1 == "check_command" { split($2, a, "!"); print a[1] }' "$NAGIOS_CFG"); do
    grep -Eq "^[[:space:]]*command_name[[:space:]]+$cmd\$" "$NAGIOS_CFG" ||
        fail "service uses undefined command $cmd"
done

finish
