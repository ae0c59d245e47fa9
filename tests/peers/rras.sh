# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras.sh - start and drive the RRAS test peer (rras_peer.py)
# from a test script.  Source tests/peers/common.sh first, then this file,
# and install the cleanup: trap peers_cleanup EXIT
#
#   rras_peer_usable               returns 1 (and says why) if impacket is
#                                  missing: the test should then exit 77
#   rras_peer_start NAME [ARGS]    start a peer; ARGS go to rras_peer.py
#                                  (--total-ports 8 --no-router --scm-deny ...);
#                                  pipes in $RRAS_PIPE_MODE (default message)
#   rras_peer_set_service NAME running|stopped|start_pending|stop_pending|
#                              paused|absent
#   rras_peer_restart NAME [ARGS]  stop, then start again on the same port
#                                  with the same account and state file
#   rras_peer_stop NAME            SIGTERM, wait; returns the peer's status
#
# NAME is letters, digits and '_'.  After rras_peer_start these are set and
# exported (NAME upper-cased, e.g. NAME=r1 gives RRAS_R1_PORT):
#   RRAS_<NAME>_PORT       TCP port on 127.0.0.1 of its SMB server
#   RRAS_<NAME>_USER       the account name
#   RRAS_<NAME>_AUTHFILE   smbclient-format auth file (mode 0600) holding the
#                          account; the password is random and lives only
#                          there, never in argv or the environment
#   RRAS_<NAME>_STATEFILE  the RemoteAccess service state file
#   RRAS_<NAME>_LOG        the peer's log
#   RRAS_<NAME>_PID        its process id
#   RRAS_<NAME>_DIR        $MPRMON_TEST_TMP/NAME, where the files above live
# The account name is rrasadmin unless RRAS_PEER_USER is set.

# shellcheck disable=SC2154 # top_srcdir comes from common.sh
RRAS_PEER_PY="$top_srcdir/tests/peers/rras_peer.py"
RRAS_PEER_READY_TIMEOUT=${RRAS_PEER_READY_TIMEOUT:-15}
# How peers serve their pipes unless a test says otherwise: message mode,
# as Windows does.  The library's suites run again with
# RRAS_PIPE_MODE=stream (Samba's way) through their *_stream.sh twins.
RRAS_PIPE_MODE=${RRAS_PIPE_MODE:-message}

rras_peer_usable() {
    if ! "$PYTHON3_SYSTEM" -c 'import impacket.smbserver' 2>/dev/null; then
        echo "rras peer: $PYTHON3_SYSTEM cannot import impacket" \
            "(install python3-impacket)" >&2
        return 1
    fi
    return 0
}

# _rras_var NAME FIELD: print the variable name RRAS_<NAME>_<FIELD>.
_rras_var() {
    printf 'RRAS_%s_%s' "$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')" "$2"
}

_rras_get() {
    eval "printf '%s' \"\${$(_rras_var "$1" "$2"):-}\""
}

_rras_set() {
    _rs_var=$(_rras_var "$1" "$2")
    eval "$_rs_var=\$3; export $_rs_var"
}

_rras_check_name() {
    case $1 in
    '' | *[!A-Za-z0-9_]*)
        echo "rras peer: bad name '$1' (letters, digits, _)" >&2
        return 1
        ;;
    esac
    return 0
}

# _rras_launch NAME PORT [ARGS]: start the process, wait for READY.
_rras_launch() {
    _rl_name=$1 _rl_port=$2
    shift 2
    _rl_dir=$(_rras_get "$_rl_name" DIR)
    : >"$_rl_dir/stdout"
    # stderr and --log share the file (both append): start-up errors that
    # come before logging is set up land there too.
    # shellcheck disable=SC2094
    PYTHONDONTWRITEBYTECODE=1 "$PYTHON3_SYSTEM" "$RRAS_PEER_PY" \
        --port "$_rl_port" \
        --auth-file "$_rl_dir/auth" \
        --state-file "$_rl_dir/state" \
        --log "$_rl_dir/peer.log" --pipe-mode "$RRAS_PIPE_MODE" "$@" \
        >"$_rl_dir/stdout" 2>>"$_rl_dir/peer.log" &
    _rl_pid=$!
    peers_track "$_rl_pid"
    _rras_set "$_rl_name" PID "$_rl_pid"
    _rl_i=0
    while [ "$_rl_i" -lt $((RRAS_PEER_READY_TIMEOUT * 10)) ]; do
        _rl_ready=$(sed -n 's/^READY \([0-9][0-9]*\)$/\1/p' "$_rl_dir/stdout")
        if [ -n "$_rl_ready" ]; then
            _rras_set "$_rl_name" PORT "$_rl_ready"
            return 0
        fi
        if ! kill -0 "$_rl_pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
        _rl_i=$((_rl_i + 1))
    done
    echo "rras peer $_rl_name did not become ready; its log:" >&2
    sed 's/^/  | /' "$_rl_dir/peer.log" >&2
    kill "$_rl_pid" 2>/dev/null
    return 1
}

rras_peer_start() {
    _rras_check_name "${1:-}" || return 1
    _rp_name=$1
    shift
    _rp_dir="$MPRMON_TEST_TMP/$_rp_name"
    mkdir -p "$_rp_dir" || return 1
    _rp_user=${RRAS_PEER_USER:-rrasadmin}
    # Random per peer, so no test can depend on a password it did not read
    # from the auth file.
    _rp_pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
    (
        umask 077
        printf 'username = %s\npassword = Pw-%s\ndomain = WORKGROUP\n' \
            "$_rp_user" "$_rp_pw" >"$_rp_dir/auth"
    ) || return 1
    _rp_pw=
    echo running >"$_rp_dir/state"
    _rras_set "$_rp_name" DIR "$_rp_dir"
    _rras_set "$_rp_name" USER "$_rp_user"
    _rras_set "$_rp_name" AUTHFILE "$_rp_dir/auth"
    _rras_set "$_rp_name" STATEFILE "$_rp_dir/state"
    _rras_set "$_rp_name" LOG "$_rp_dir/peer.log"
    # Port 0: the peer binds a free port itself and reports it in READY, so
    # there is no window in which another process can take a picked port.
    _rras_launch "$_rp_name" 0 "$@"
}

rras_peer_restart() {
    _rras_check_name "${1:-}" || return 1
    _rr_name=$1
    shift
    _rr_port=$(_rras_get "$_rr_name" PORT)
    if [ -z "$_rr_port" ]; then
        echo "rras peer $_rr_name was never started" >&2
        return 1
    fi
    rras_peer_stop "$_rr_name" || true
    # The same port at once: the server sets SO_REUSEADDR, so sockets of the
    # old process left in TIME_WAIT do not block the bind.
    _rras_launch "$_rr_name" "$_rr_port" "$@"
}

rras_peer_set_service() {
    _rras_check_name "${1:-}" || return 1
    case ${2:-} in
    running | stopped | start_pending | stop_pending | paused | absent) ;;
    *)
        echo "rras_peer_set_service: bad state '${2:-}'" >&2
        return 1
        ;;
    esac
    _ss_file=$(_rras_get "$1" STATEFILE)
    if [ -z "$_ss_file" ]; then
        echo "rras peer $1 was never started" >&2
        return 1
    fi
    # Replace, not rewrite: the peer never reads a half-written file.
    echo "$2" >"$_ss_file.new" && mv -f "$_ss_file.new" "$_ss_file"
}

rras_peer_stop() {
    _rras_check_name "${1:-}" || return 1
    _st_pid=$(_rras_get "$1" PID)
    [ -n "$_st_pid" ] || return 0
    kill -TERM "$_st_pid" 2>/dev/null
    _st_i=0
    while kill -0 "$_st_pid" 2>/dev/null && [ "$_st_i" -lt 50 ]; do
        sleep 0.1
        _st_i=$((_st_i + 1))
    done
    if kill -0 "$_st_pid" 2>/dev/null; then
        echo "rras peer $1 ignored SIGTERM; killing it" >&2
        kill -KILL "$_st_pid" 2>/dev/null
    fi
    wait "$_st_pid" 2>/dev/null
    _st_status=$?
    _rras_set "$1" PID ""
    _st_left=
    for _st_p in $PEERS_PIDS; do
        [ "$_st_p" = "$_st_pid" ] || _st_left="$_st_left $_st_p"
    done
    PEERS_PIDS=$_st_left
    return "$_st_status"
}
