# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/snmp.sh - a private snmpd (AgentX master) and snmptrapd on
# 127.0.0.1 for the subagent's integration tests.
#
# Source tests/peers/common.sh first, then this file:
#   . "$top_srcdir/tests/peers/common.sh"
#   . "$top_srcdir/tests/peers/snmp.sh"
#   trap 'snmpd_stop; snmptrapd_stop; peers_cleanup' EXIT
#   snmptrapd_start || exit $?   # 77 = cannot run here (skip)
#   snmpd_start || exit $?
#
# snmptrapd_start exports SNMPTRAPD_PORT and SNMPTRAPD_OUT (one line per
# notification received: "TRAP <varbinds, numeric OIDs>"); lines in
# SNMPTRAPD_EXTRA_CONF go into its configuration, and SNMPTRAPD_OID_OPTS=""
# makes it print OIDs in its default form (iso.3.6.1...).  snmpd_start
# exports SNMPD_PORT, SNMPD_AGENTX (the AgentX socket path), SNMPD_LOG,
# SNMP_COMMUNITY (read-only) and SNMP_RW_COMMUNITY (read-write, only so
# that a SET reaches the subagent and is refused by it).  snmpd sends
# notifications to SNMPTRAPD_PORT when snmptrapd was started first.
#
# Neither reads the system's configuration (-C, SNMPCONFPATH) or writes
# /var/lib/snmp (SNMP_PERSISTENT_DIR): everything lives in
# $MPRMON_TEST_TMP/snmp.
#
# SNMP_MIB_ARGS holds the tool options that resolve MPRMON-MIB names when
# ../shared/mibs (the IETF base modules Debian lacks) is present; empty
# otherwise.  Tests compare numeric OIDs (-On) so they work either way.
# snmp_tool CMD ARGS... runs snmpget/snmpwalk/... against the private snmpd.

# top_srcdir, top_builddir: set by common.sh.
# shellcheck disable=SC2154
SNMP_DIR=$MPRMON_TEST_TMP/snmp
SNMP_COMMUNITY=mprmonro
SNMP_RW_COMMUNITY=mprmonrw
SNMP_MIB_ARGS=""
if [ -f "$top_srcdir/../shared/mibs/SNMPv2-SMI.txt" ]; then
    SNMP_MIB_ARGS="-M +$top_srcdir/mibs:$top_srcdir/../shared/mibs -m +MPRMON-MIB"
fi
export SNMP_COMMUNITY SNMP_RW_COMMUNITY SNMP_MIB_ARGS

# Under valgrind the subagent answers many times slower: give the master
# (agentxTimeout, default 1 s, after which it drops the whole session) and
# the tools more patience.
if [ "${MPRMON_VALGRIND:-0}" = 1 ]; then
    SNMP_AGENTX_TIMEOUT=10
    SNMP_TOOL_TIMEOUT=15
else
    SNMP_AGENTX_TIMEOUT=2
    SNMP_TOOL_TIMEOUT=5
fi

# Every Net-SNMP program started from here (tools, daemons, the subagent)
# sees only our config dir and persistent dir.
_snmp_env() {
    mkdir -p "$SNMP_DIR/conf" "$SNMP_DIR/persist" || return 1
    SNMPCONFPATH=$SNMP_DIR/conf
    SNMP_PERSISTENT_DIR=$SNMP_DIR/persist
    export SNMPCONFPATH SNMP_PERSISTENT_DIR
}

_snmp_fail() {
    echo "$1" >&2
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        echo "---- last lines of $2 ----" >&2
        tail -n 30 "$2" >&2
        echo "----" >&2
    fi
    return 1
}

# _snmp_pid_wait PIDFILE [PID]: wait for a daemon's pid file, print the
# pid.  Gives up at once when process PID has exited.
_snmp_pid_wait() {
    _spw_i=0
    while [ "$_spw_i" -lt 100 ]; do
        if [ -s "$1" ]; then
            cat "$1"
            return 0
        fi
        if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
            return 1
        fi
        sleep 0.1
        _spw_i=$((_spw_i + 1))
    done
    return 1
}

# _snmp_pick_udp_port: a UDP port on 127.0.0.1 that is free now.  Both
# daemons listen on UDP, where every snmpget of every test running
# alongside takes an ephemeral port for a moment: the port may be taken by
# the time the daemon binds it, so their starts retry with another one.
_snmp_pick_udp_port() {
    "$PYTHON3_SYSTEM" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1]); s.close()'
}

# snmp_tool CMD [ARGS...]: CMD -v2c -c ro 127.0.0.1:SNMPD_PORT ARGS...
# Its stderr goes to $SNMP_DIR/tools.err: with -m +MPRMON-MIB Net-SNMP warns
# about every default module Debian does not ship.
snmp_tool() {
    _st_cmd=$1
    shift
    # shellcheck disable=SC2086 # SNMP_MIB_ARGS is a list of options
    "$_st_cmd" -v2c -c "$SNMP_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 \
        $SNMP_MIB_ARGS \
        "127.0.0.1:$SNMPD_PORT" "$@" 2>>"$SNMP_DIR/tools.err"
}

snmptrapd_start() {
    if ! command -v snmptrapd >/dev/null 2>&1; then
        echo "snmptrapd_start: snmptrapd not installed" >&2
        return 77
    fi
    _snmp_env || return 1
    SNMPTRAPD_OUT=$SNMP_DIR/traps.txt
    SNMPTRAPD_LOG=$SNMP_DIR/snmptrapd.log
    cat >"$SNMP_DIR/snmptrapd.conf" <<EOF
disableAuthorization yes
doNotRetainNotificationLogs yes
${SNMPTRAPD_EXTRA_CONF:-}
EOF
    _sts_try=1
    while :; do
        _snmptrapd_launch && return 0
        # Exited before writing its pid file: most likely the picked port
        # went to someone else in the meantime.  Another one.
        [ -z "${SNMPTRAPD_PID:-}" ] && [ "$_sts_try" -lt 5 ] || break
        echo "snmptrapd_start: port $SNMPTRAPD_PORT was taken, trying another" >&2
        _sts_try=$((_sts_try + 1))
    done
    _snmp_fail "snmptrapd_start: no pid file" "$SNMPTRAPD_OUT"
    return 1
}

# _snmptrapd_launch: one start on a new port; SNMPTRAPD_PID is left empty
# when snmptrapd exited (rather than hung) before writing its pid file.
_snmptrapd_launch() {
    SNMPTRAPD_PORT=$(_snmp_pick_udp_port) || return 1
    rm -f "$SNMP_DIR/snmptrapd.pid"
    : >"$SNMPTRAPD_OUT"
    # -F: one line per notification with numeric OIDs, easy to grep; the
    # varbinds (%V separator) come tab-separated.  SNMPTRAPD_OID_OPTS set
    # to "" gives snmptrapd's default form (iso.3.6.1...) instead.
    # shellcheck disable=SC2086 # an option list, possibly empty
    snmptrapd -f -C -c "$SNMP_DIR/snmptrapd.conf" ${SNMPTRAPD_OID_OPTS--On} -m "" \
        -p "$SNMP_DIR/snmptrapd.pid" -Lf "$SNMPTRAPD_OUT" \
        -F 'TRAP %V\t%v\n' "udp:127.0.0.1:$SNMPTRAPD_PORT" \
        >"$SNMPTRAPD_LOG" 2>&1 &
    SNMPTRAPD_PID=$!
    peers_track "$SNMPTRAPD_PID"
    if ! _snmp_pid_wait "$SNMP_DIR/snmptrapd.pid" "$SNMPTRAPD_PID" >/dev/null; then
        if kill -0 "$SNMPTRAPD_PID" 2>/dev/null; then
            kill "$SNMPTRAPD_PID" 2>/dev/null
        else
            wait "$SNMPTRAPD_PID" 2>/dev/null
            peers_untrack "$SNMPTRAPD_PID"
            SNMPTRAPD_PID=
        fi
        return 1
    fi
    export SNMPTRAPD_PORT SNMPTRAPD_OUT SNMPTRAPD_PID
}

snmptrapd_stop() {
    if [ -n "${SNMPTRAPD_PID:-}" ]; then
        kill "$SNMPTRAPD_PID" 2>/dev/null
        wait "$SNMPTRAPD_PID" 2>/dev/null
        SNMPTRAPD_PID=""
    fi
    return 0
}

# snmptrapd_wait PATTERN [SECONDS]: wait until a received notification line
# matches the grep -E PATTERN.
snmptrapd_wait() {
    _sw_i=0
    _sw_limit=${2:-20}
    while [ "$_sw_i" -lt $((_sw_limit * 10)) ]; do
        grep -Eq "$1" "$SNMPTRAPD_OUT" 2>/dev/null && return 0
        sleep 0.1
        _sw_i=$((_sw_i + 1))
    done
    return 1
}

_snmpd_write_conf() {
    {
        echo "master agentx"
        echo "agentXSocket $SNMPD_AGENTX"
        echo "agentXPerms 0600 0700"
        echo "agentXTimeout $SNMP_AGENTX_TIMEOUT"
        echo "agentaddress udp:127.0.0.1:$SNMPD_PORT"
        echo "rocommunity $SNMP_COMMUNITY 127.0.0.1"
        echo "rwcommunity $SNMP_RW_COMMUNITY 127.0.0.1"
        if [ -n "${SNMPTRAPD_PORT:-}" ]; then
            echo "trap2sink 127.0.0.1:$SNMPTRAPD_PORT $SNMP_COMMUNITY"
        fi
        # No authentication-failure traps or default monitors: the trap
        # file must hold only what the subagent sends.
        echo "authtrapenable 2"
        echo "sysContact mprmon tests"
        echo "sysLocation $SNMP_DIR"
    } >"$SNMP_DIR/snmpd.conf"
}

# _snmpd_launch: start snmpd with the existing conf; wait until it answers.
_snmpd_launch() {
    rm -f "$SNMP_DIR/snmpd.pid"
    # -m "": no MIB loading; the master needs none and the base modules
    # are absent on Debian anyway.  -I -smux: no SMUX listener on the
    # fixed port 199, which parallel tests would fight over.
    snmpd -f -C -c "$SNMP_DIR/snmpd.conf" -p "$SNMP_DIR/snmpd.pid" \
        -m "" -I -smux -Lf "$SNMPD_LOG" >>"$SNMPD_LOG" 2>&1 &
    SNMPD_PID=$!
    peers_track "$SNMPD_PID"
    _sl_i=0
    while [ "$_sl_i" -lt 100 ]; do
        if [ -S "$SNMPD_AGENTX" ] &&
            snmpget -v2c -c "$SNMP_COMMUNITY" -t 1 -r 0 -On -m "" \
                "127.0.0.1:$SNMPD_PORT" .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; then
            export SNMPD_PID
            return 0
        fi
        if ! kill -0 "$SNMPD_PID" 2>/dev/null; then
            _snmp_fail "snmpd_start: snmpd exited" "$SNMPD_LOG"
            return 1
        fi
        sleep 0.1
        _sl_i=$((_sl_i + 1))
    done
    _snmp_fail "snmpd_start: snmpd did not answer within 10s" "$SNMPD_LOG"
}

snmpd_start() {
    if ! command -v snmpd >/dev/null 2>&1 &&
        ! [ -x /usr/sbin/snmpd ]; then
        echo "snmpd_start: snmpd not installed" >&2
        return 77
    fi
    command -v snmpd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    if ! command -v snmpget >/dev/null 2>&1; then
        echo "snmpd_start: snmp tools (snmpget) not installed" >&2
        return 77
    fi
    _snmp_env || return 1
    SNMPD_AGENTX=$SNMP_DIR/agentx.sock
    SNMPD_LOG=$SNMP_DIR/snmpd.log
    _sds_try=1
    while :; do
        SNMPD_PORT=$(_snmp_pick_udp_port) || return 1
        export SNMPD_PORT SNMPD_AGENTX SNMPD_LOG
        _snmpd_write_conf
        : >"$SNMPD_LOG"
        _snmpd_launch && return 0
        wait "$SNMPD_PID" 2>/dev/null
        peers_untrack "$SNMPD_PID"
        # The picked port went to someone else in the meantime: another.
        grep -qF "Error opening specified endpoint \"udp:127.0.0.1:$SNMPD_PORT\"" \
            "$SNMPD_LOG" && [ "$_sds_try" -lt 5 ] || return 1
        echo "snmpd_start: port $SNMPD_PORT was taken, trying another" >&2
        _sds_try=$((_sds_try + 1))
    done
}

snmpd_stop() {
    if [ -n "${SNMPD_PID:-}" ]; then
        kill "$SNMPD_PID" 2>/dev/null
        wait "$SNMPD_PID" 2>/dev/null
        SNMPD_PID=""
    fi
    return 0
}

# snmpd_restart: stop snmpd and start it again on the same port and socket
# (the subagent must reconnect by itself).
snmpd_restart() {
    snmpd_stop
    rm -f "$SNMPD_AGENTX"
    # Between the stop and the new bind, a client of a test running
    # alongside may hold the port as its own ephemeral one for a moment.
    # The port must stay (the tests and their walkers have it): retry it.
    _sdr_try=1
    while :; do
        _snmpd_launch && return 0
        wait "$SNMPD_PID" 2>/dev/null
        peers_untrack "$SNMPD_PID"
        # (snmpd's -Lf log does not append: ask the port itself.)
        "$PYTHON3_SYSTEM" -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)' "$SNMPD_PORT" && [ "$_sdr_try" -lt 10 ] || return 1
        echo "snmpd_restart: port $SNMPD_PORT busy, trying it again" >&2
        sleep 1
        _sdr_try=$((_sdr_try + 1))
    done
}

# subagent_write_netsnmp_conf PING_SECONDS: Net-SNMP settings of
# mprmon-subagent (read through SNMPCONFPATH): a short agentxPingInterval
# so that reconnects after snmpd_restart happen within the test.
subagent_write_netsnmp_conf() {
    _snmp_env || return 1
    {
        echo "agentxPingInterval ${1:-1}"
    } >"$SNMPCONFPATH/mprmon-subagent.conf"
}

# subagent_spawn CONFIG LOG VALGRIND_LOG [ARGS...]: start SUBAGENT_BIN in
# the background against the private snmpd, logging to LOG (under
# MPRMON_VALGRIND=1 through valgrind, its report in VALGRIND_LOG); $! is
# its pid.
subagent_spawn() {
    _sp_conf=$1 _sp_log=$2 _sp_vg=$3
    shift 3
    if [ "${MPRMON_VALGRIND:-0}" = 1 ]; then
        "$top_builddir/libtool" --mode=execute valgrind --quiet \
            --error-exitcode=97 --leak-check=full \
            --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect \
            --suppressions="$top_srcdir/tests/valgrind.supp" \
            --log-file="$_sp_vg" \
            "$SUBAGENT_BIN" -f -x "$SNMPD_AGENTX" -c "$_sp_conf" \
            -Lf "$_sp_log" "$@" >>"$_sp_log" 2>&1 &
    else
        "$SUBAGENT_BIN" -f -x "$SNMPD_AGENTX" -c "$_sp_conf" \
            -Lf "$_sp_log" "$@" >>"$_sp_log" 2>&1 &
    fi
}

# subagent_start CONFIG [ARGS...]: run the built mprmon-subagent in the
# foreground against the private snmpd (-x SNMPD_AGENTX), logging to
# $SNMP_DIR/subagent.log.  Exports SUBAGENT_PID and SUBAGENT_LOG.  Under
# MPRMON_VALGRIND=1 it runs under valgrind (errors fail the exit status).
subagent_start() {
    _ss_conf=$1
    shift
    SUBAGENT_BIN=$top_builddir/subagent/mprmon-subagent
    if [ ! -x "$SUBAGENT_BIN" ]; then
        echo "subagent_start: $SUBAGENT_BIN not built" >&2
        return 1
    fi
    [ -f "$SNMPCONFPATH/mprmon-subagent.conf" ] || subagent_write_netsnmp_conf 1
    SUBAGENT_LOG=$SNMP_DIR/subagent.log
    export SUBAGENT_LOG
    subagent_spawn "$_ss_conf" "$SUBAGENT_LOG" "$SNMP_DIR/subagent.valgrind" "$@"
    SUBAGENT_PID=$!
    export SUBAGENT_PID
    peers_track "$SUBAGENT_PID"
}

# subagent_stop: SIGTERM, wait; returns the subagent's exit status.
subagent_stop() {
    [ -n "${SUBAGENT_PID:-}" ] || return 0
    kill -TERM "$SUBAGENT_PID" 2>/dev/null
    _ss_i=0
    while kill -0 "$SUBAGENT_PID" 2>/dev/null && [ "$_ss_i" -lt 150 ]; do
        sleep 0.1
        _ss_i=$((_ss_i + 1))
    done
    if kill -0 "$SUBAGENT_PID" 2>/dev/null; then
        echo "subagent_stop: no exit 15s after SIGTERM" >&2
        kill -KILL "$SUBAGENT_PID" 2>/dev/null
    fi
    wait "$SUBAGENT_PID" 2>/dev/null
    _ss_rc=$?
    SUBAGENT_PID=""
    return $_ss_rc
}

# snmp_value OID: the value alone (-Oqv), numeric enums and timeticks,
# without MIBs so that the format never depends on them (strings quoted,
# DateAndTime in hex).
snmp_value() {
    snmpget -v2c -c "$SNMP_COMMUNITY" -t "$SNMP_TOOL_TIMEOUT" -r 1 -m "" \
        -On -Oqv -Oe -Ot \
        "127.0.0.1:$SNMPD_PORT" "$1" 2>>"$SNMP_DIR/tools.err"
}

# snmp_wait_value OID REGEX [SECONDS]: poll until the value matches the
# grep -E REGEX (whole value).  Prints the last value seen.
snmp_wait_value() {
    _swv_i=0
    _swv_limit=${3:-20}
    while :; do
        _swv_v=$(snmp_value "$1")
        if printf '%s\n' "$_swv_v" | grep -Eqx "$2"; then
            printf '%s\n' "$_swv_v"
            return 0
        fi
        _swv_i=$((_swv_i + 1))
        if [ "$_swv_i" -ge $((_swv_limit * 4)) ]; then
            printf '%s\n' "$_swv_v"
            return 1
        fi
        sleep 0.25
    done
}

# snmp_wait_above OID BASE [SECONDS]: poll until the value is a number
# greater than BASE: "it still counts".  Not a window of values just above
# BASE: one slow poll (valgrind, a loaded machine) may see the counter
# already past any such window.  Prints the last value seen.
snmp_wait_above() {
    _swa_i=0
    while :; do
        _swa_v=$(snmp_value "$1")
        case $_swa_v in
        '' | *[!0-9]*) ;;
        *)
            if [ "$_swa_v" -gt "$2" ]; then
                printf '%s\n' "$_swa_v"
                return 0
            fi
            ;;
        esac
        _swa_i=$((_swa_i + 1))
        if [ "$_swa_i" -ge $((${3:-20} * 4)) ]; then
            printf '%s\n' "$_swa_v"
            return 1
        fi
        sleep 0.25
    done
}

# subagent_conf_every_second TRAP_RATE [TIMEOUT_MS]: the daemon settings of
# tests that watch states change: 4 probes at a time, every router probed
# every second, one probe enough to confirm a change (timeout default
# 10000 ms).  Router blocks (subagent_conf_router) follow.
subagent_conf_every_second() {
    echo "concurrency 4"
    echo "trap-rate $1"
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout ${2:-10000}"
    echo "    hysteresis 1"
    echo "}"
}

# subagent_conf_router ID NAME PORT [AUTHFILE]: print a router stanza for
# 127.0.0.1:PORT (mprmon.conf format, see etc/mprmon.conf.example).
subagent_conf_router() {
    echo "router $1 {"
    echo "    name $2"
    echo "    address 127.0.0.1"
    echo "    port $3"
    if [ -n "${4:-}" ]; then
        echo "    auth-file $4"
    fi
    echo "}"
}

# subagent_conf_head TIMEOUT_MS [HYSTERESIS]: print the global part of a
# test config: 4 workers, every router probed each second with this
# timeout and hysteresis (default 1).
subagent_conf_head() {
    echo "concurrency 4"
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout $1"
    echo "    hysteresis ${2:-1}"
    echo "}"
}

# subagent_conf_quiet_fleet N PORT STRIDE: print a config of N routers at
# 127.0.0.1:PORT (a closed port) with ids STRIDE*k+1 and names r<k>, for
# k = 0..N-1 (sparse ids exercise the gaps).  One worker, a day's interval
# and a high hysteresis keep probes and notifications out of the way of a
# test of the table itself.
subagent_conf_quiet_fleet() {
    awk -v n="$1" -v port="$2" -v stride="$3" 'BEGIN {
        print "concurrency 1"
        print "trap-rate 0"
        print "defaults {"
        print "    interval 86400"
        print "    timeout 1000"
        print "    hysteresis 100"
        print "}"
        for (k = 0; k < n; k++)
            printf "router %d {\n    name r%d\n    address 127.0.0.1\n    port %d\n}\n",
                stride * k + 1, k, port
    }'
}

# MPRMON-MIB OIDs, numeric so that tests run without the MIB files.
MPRMON_OID=.1.3.6.1.4.1.8072.9999.4173
MPR_SCALARS=$MPRMON_OID.1.1
MPR_TABLE=$MPRMON_OID.1.2
MPR_ENTRY=$MPR_TABLE.1
MPR_NOTIFY=$MPRMON_OID.0
MPR_IFENTRY=$MPRMON_OID.1.3.1
export MPRMON_OID MPR_SCALARS MPR_TABLE MPR_ENTRY MPR_NOTIFY MPR_IFENTRY
