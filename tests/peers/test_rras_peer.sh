#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/test_rras_peer.sh - the RRAS test peer answers like a Windows
# router, to impacket's client, to smbclient and to libsmbclient (the stack
# libmprapi uses), and survives clients that come, go, overlap and die.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/rras.sh"
# The peer checks itself in its default, stream mode (as smbd); message
# mode (as Windows) has its own section below.
RRAS_PIPE_MODE=stream
trap peers_cleanup EXIT
trap 'exit 1' INT TERM

if ! rras_peer_usable; then
    echo "SKIP: impacket is needed for the RRAS peer"
    exit 77
fi

RRAS_CHECK="$top_srcdir/tests/peers/rras_check.py"
# check ARGS: one client-side question to a peer (see rras_check.py).
check() { timeout 60 "$PYTHON3_SYSTEM" "$RRAS_CHECK" "$@"; }
failures=0
checks=0

pass() { checks=$((checks + 1)); echo "ok $checks - $1"; }
fail() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "not ok $checks - $1"
}

# expect TITLE EXPECTED_OUTPUT COMMAND...: run a check, compare its stdout.
expect() {
    _e_title=$1 _e_want=$2
    shift 2
    _e_got=$("$@" 2>"$MPRMON_TEST_TMP/check.err")
    if [ "$_e_got" = "$_e_want" ]; then
        pass "$_e_title"
    else
        fail "$_e_title"
        echo "#   want: $_e_want"
        echo "#   got:  $_e_got"
        sed 's/^/#   | /' "$MPRMON_TEST_TMP/check.err" | tail -5
    fi
}

# expect_match TITLE PATTERN COMMAND...: stdout must match a case pattern.
expect_match() {
    _m_title=$1 _m_pat=$2
    shift 2
    _m_got=$("$@" 2>"$MPRMON_TEST_TMP/check.err")
    # shellcheck disable=SC2254
    case $_m_got in
    $_m_pat) pass "$_m_title" ;;
    *)
        fail "$_m_title"
        echo "#   want: $_m_pat"
        echo "#   got:  $_m_got"
        sed 's/^/#   | /' "$MPRMON_TEST_TMP/check.err" | tail -5
        ;;
    esac
}

# wait_log FILE TEXT SECONDS: wait until the log holds a line with TEXT.
wait_log() {
    _w_i=0
    while [ "$_w_i" -lt $(($3 * 10)) ]; do
        grep -qF -- "$2" "$1" && return 0
        sleep 0.1
        _w_i=$((_w_i + 1))
    done
    return 1
}

# --- a router with distinctive values ------------------------------------
r1_t0=$(date +%s)
rras_peer_start r1 --total-ports 42 --ports-in-use 7 --lan-only \
    --uptime-start 1000 --pptp-ports 5 --pptp-flags 1 --l2tp-ports 6 \
    --l2tp-flags 2 --sstp-ports 9 --sstp-flags 1 || exit 1
P=$RRAS_R1_PORT
AUTH=$RRAS_R1_AUTHFILE
BAD="$MPRMON_TEST_TMP/bad.auth"
(umask 077 && printf 'username = %s\npassword = not-the-password\n' \
    "$RRAS_R1_USER" >"$BAD")
NOBODY="$MPRMON_TEST_TMP/nobody.auth"
(umask 077 && printf 'username = nobody\npassword = x\n' >"$NOBODY")

expect "READY line is exactly 'READY <port>'" "READY $P" \
    cat "$RRAS_R1_DIR/stdout"

# Logon, with impacket's client.
expect "right password logs on (SMB 2.002)" "logon=ok dialect=0x202" \
    check logon "$P" "$AUTH"
expect "wrong password is refused at logon" "error=STATUS_LOGON_FAILURE" \
    check logon "$P" "$BAD"
expect "unknown user is refused at logon" "error=STATUS_LOGON_FAILURE" \
    check logon "$P" "$NOBODY"

# Logon, with Samba's own client (same libsmb stack as libsmbclient).
if command -v smbclient >/dev/null 2>&1; then
    if timeout 30 smbclient -p "$P" -A "$AUTH" '//127.0.0.1/IPC$' -c '' \
        >"$MPRMON_TEST_TMP/smbclient.out" 2>&1; then
        pass "smbclient logs on to IPC\$ with the auth file"
    else
        fail "smbclient logs on to IPC\$ with the auth file"
        sed 's/^/#   | /' "$MPRMON_TEST_TMP/smbclient.out"
    fi
    if timeout 30 smbclient -p "$P" -A "$BAD" '//127.0.0.1/IPC$' -c '' \
        >"$MPRMON_TEST_TMP/smbclient.out" 2>&1; then
        fail "smbclient is refused with a wrong password"
    elif grep -q NT_STATUS_LOGON_FAILURE "$MPRMON_TEST_TMP/smbclient.out"; then
        pass "smbclient is refused with a wrong password"
    else
        fail "smbclient is refused with a wrong password (for that reason)"
        sed 's/^/#   | /' "$MPRMON_TEST_TMP/smbclient.out"
    fi
else
    echo "# smbclient not installed: its two checks skipped"
fi

# RMprAdminServerGetInfo, decoded strictly by the client.
expect_match "level 0 = MPR_SERVER_0 with the configured values" \
    "status=0 lan_only=1 uptime=* total_ports=42 ports_in_use=7" \
    check dim "$P" "$AUTH" 0
# dwUpTime counts from --uptime-start since the peer started: at most the
# seconds this test has measured since then (the checks above can take a
# minute on a loaded machine; no fixed allowance).
up0=$(printf '%s\n' "$_m_got" | sed -n 's/.* uptime=\([0-9]*\) .*/\1/p')
up0_max=$((1000 + $(date +%s) - r1_t0 + 1))
if [ -n "$up0" ] && [ "$up0" -ge 1000 ] && [ "$up0" -le "$up0_max" ]; then
    pass "dwUpTime counts from --uptime-start ($up0, at most $up0_max)"
else
    fail "dwUpTime counts from --uptime-start ('$up0', 1000..$up0_max)"
fi
expect "level 1 = MPR_SERVER_1 (PPTP, L2TP)" \
    "status=0 pptp_ports=5 pptp_flags=1 l2tp_ports=6 l2tp_flags=2" \
    check dim "$P" "$AUTH" 1
expect "level 2 = MPR_SERVER_2 (PPTP, L2TP, SSTP)" \
    "status=0 pptp_ports=5 pptp_flags=1 l2tp_ports=6 l2tp_flags=2 sstp_ports=9 sstp_flags=1" \
    check dim "$P" "$AUTH" 2
expect "unknown level -> ERROR_INVALID_LEVEL, empty container" \
    "status=124 size=0" check dim "$P" "$AUTH" 3
expect "unknown opnum -> fault nca_op_rng_error" \
    "fault=nca_s_op_rng_error" check opnum "$P" "$AUTH" 7

up1=$(check dim "$P" "$AUTH" 0 | sed -n 's/.* uptime=\([0-9]*\) .*/\1/p')
sleep 2
up2=$(check dim "$P" "$AUTH" 0 | sed -n 's/.* uptime=\([0-9]*\) .*/\1/p')
if [ -n "$up1" ] && [ -n "$up2" ] && [ "$up2" -gt "$up1" ]; then
    pass "dwUpTime grows ($up1 -> $up2)"
else
    fail "dwUpTime grows ('$up1' -> '$up2')"
fi

# Through libsmbclient itself.
expect_match "libsmbclient: open ROUTER, bind, level 0" \
    "status=0 lan_only=1 uptime=* total_ports=42 ports_in_use=7" \
    check smbc "$P" "$AUTH" 0
expect "libsmbclient: level 2" \
    "status=0 pptp_ports=5 pptp_flags=1 l2tp_ports=6 l2tp_flags=2 sstp_ports=9 sstp_flags=1" \
    check smbc "$P" "$AUTH" 2
expect "libsmbclient: 5 pipe opens on one cached SMB session" \
    "status=0 pptp_ports=5 pptp_flags=1 l2tp_ports=6 l2tp_flags=2" \
    check smbc "$P" "$AUTH" 1 5
expect "libsmbclient: wrong password -> EACCES" "error=smbc_open:errno=13" \
    check smbc "$P" "$BAD" 0

expect "a pipe read shorter than the PDU succeeds (stream mode, as smbd)" \
    "first=STATUS_SUCCESS rest=52 whole=68" check shortread "$P" "$AUTH"

# The RemoteAccess service, driven by the state file.
expect "service running -> SERVICE_RUNNING (4)" "state=4 type=0x20" \
    check svc "$P" "$AUTH"
expect "service names are case-insensitive" "state=4 type=0x20" \
    check svc "$P" "$AUTH" remoteACCESS
rras_peer_set_service r1 stopped
expect "state file 'stopped' -> SERVICE_STOPPED (1)" "state=1 type=0x20" \
    check svc "$P" "$AUTH"
rras_peer_set_service r1 start_pending
expect "state file 'start_pending' -> SERVICE_START_PENDING (2)" \
    "state=2 type=0x20" check svc "$P" "$AUTH"
rras_peer_set_service r1 absent
expect "state file 'absent' -> ERROR_SERVICE_DOES_NOT_EXIST (1060)" \
    "error=open_service:1060" check svc "$P" "$AUTH"
rras_peer_set_service r1 running
expect "another service -> ERROR_SERVICE_DOES_NOT_EXIST (1060)" \
    "error=open_service:1060" check svc "$P" "$AUTH" Spooler
expect "pipe names are case-insensitive, as on Windows" "pipe=ok" \
    check pipe "$P" "$AUTH" router
expect "an unknown pipe -> STATUS_NO_SUCH_FILE" "error=STATUS_NO_SUCH_FILE" \
    check pipe "$P" "$AUTH" spoolss
expect "DIMSVC bind on the svcctl pipe is rejected" \
    "bind=rejected provider_rejection; abstract_syntax_not_supported" \
    check wrongbind "$P" "$AUTH"

# Many clients: one after another, then at the same time.
i=0
ok=0
while [ $i -lt 8 ]; do
    out=$(check dim "$P" "$AUTH" 1 2>/dev/null)
    [ "$out" = "status=0 pptp_ports=5 pptp_flags=1 l2tp_ports=6 l2tp_flags=2" ] &&
        ok=$((ok + 1))
    i=$((i + 1))
done
if [ $ok -eq 8 ]; then
    pass "8 successive clients answered"
else
    fail "8 successive clients answered (only $ok)"
fi

# A client holds ROUTER open, bound, and idle while others come and go.
# Not through check(): $! must be the client itself, which we kill.
"$PYTHON3_SYSTEM" "$RRAS_CHECK" hang "$P" "$AUTH" >"$MPRMON_TEST_TMP/hang.out" 2>&1 &
hang_pid=$!
i=0
while ! grep -q hanging "$MPRMON_TEST_TMP/hang.out" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
for i in 1 2 3 4 5; do
    (check dim "$P" "$AUTH" 2 >"$MPRMON_TEST_TMP/par.$i" 2>&1) &
    eval "par_$i=\$!"
done
ok=0
for i in 1 2 3 4 5; do
    eval "wait \$par_$i"
    grep -q '^status=0 pptp_ports=5 ' "$MPRMON_TEST_TMP/par.$i" && ok=$((ok + 1))
done
if [ $ok -eq 5 ]; then
    pass "5 concurrent clients answered beside an idle one"
else
    fail "5 concurrent clients answered beside an idle one (only $ok)"
fi

# Kill the idle client: its pipe must be released, and service go on.
before=$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")
kill -9 "$hang_pid" 2>/dev/null
wait "$hang_pid" 2>/dev/null
i=0
while [ "$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")" -le "$before" ] &&
    [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ "$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")" -gt "$before" ] &&
    tail -n 20 "$RRAS_R1_LOG" | grep -q 'ROUTER: client gone (active 0)'; then
    pass "a killed client's pipe is released (no DCE/RPC thread left)"
else
    fail "a killed client's pipe is released (no DCE/RPC thread left)"
    grep 'ROUTER: client' "$RRAS_R1_LOG" | tail -5 | sed 's/^/#   | /'
fi
expect "a client after the killed one is answered" "state=4 type=0x20" \
    check svc "$P" "$AUTH"

# A libsmbclient client that reads more than the reply holds waits for its
# timeout and leaves; the peer must notice and let the pipe go.
before=$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")
expect "libsmbclient over-long read times out (ETIMEDOUT)" \
    "read=-1 errno=110" check overread "$P" "$AUTH"
if wait_log "$RRAS_R1_LOG" "pipe read abandoned: the client went away" 10 &&
    i=0 && while [ "$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")" -le "$before" ] &&
        [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
    [ "$(grep -c 'ROUTER: client gone' "$RRAS_R1_LOG")" -gt "$before" ]; then
    pass "a pending pipe read is dropped when its client leaves"
else
    fail "a pending pipe read is dropped when its client leaves"
    tail -n 8 "$RRAS_R1_LOG" | sed 's/^/#   | /'
fi

# Secrets: the password is in no argv and no log line; no NTLM hashes logged.
pw=$(sed -n 's/^password = //p' "$AUTH")
if [ -n "$pw" ] && ! tr '\0' ' ' <"/proc/$RRAS_R1_PID/cmdline" | grep -qF -- "$pw" &&
    ! grep -qF -- "$pw" "$RRAS_R1_LOG" &&
    ! grep -qE '::[^:]*:[0-9a-f]{16}:[0-9a-f]{32}:' "$RRAS_R1_LOG"; then
    pass "password not in argv or log, no NTLM response logged"
else
    fail "password not in argv or log, no NTLM response logged"
fi

# Restart on the same port: uptime starts again, the account still works.
rras_peer_restart r1 --total-ports 42 || exit 1
expect "restarted peer is on the same port" "$P" printf '%s' "$RRAS_R1_PORT"
expect_match "restarted peer: uptime restarts from 0" \
    "status=0 lan_only=0 uptime=[0-9] total_ports=42 ports_in_use=0" \
    check dim "$P" "$AUTH" 0

# SIGTERM ends it cleanly.
if rras_peer_stop r1; then
    pass "SIGTERM: peer exits with status 0"
else
    fail "SIGTERM: peer exits with status 0"
fi

# --- a machine without RRAS, whose SCM denies us --------------------------
rras_peer_start r2 --no-router --scm-deny || exit 1
expect "--no-router: opening ROUTER fails (no such pipe)" \
    "error=STATUS_NO_SUCH_FILE" check pipe "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE" ROUTER
expect "--no-router: libsmbclient sees ENOENT" "error=smbc_open:errno=2" \
    check smbc "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE" 0
expect "--no-router: svcctl is still there" "pipe=ok" \
    check pipe "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE" svcctl
expect "--scm-deny: OpenSCManagerW -> ERROR_ACCESS_DENIED (5)" \
    "error=open_scm:5" check svc "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE"

# --- a slow router: a client killed mid-call must not wedge it ------------
rras_peer_start r3 --delay 1 || exit 1
"$PYTHON3_SYSTEM" "$RRAS_CHECK" dim "$RRAS_R3_PORT" "$RRAS_R3_AUTHFILE" 0 \
    >/dev/null 2>&1 &
mid_pid=$!
wait_log "$RRAS_R3_LOG" "RMprAdminServerGetInfo level 0" 15
kill -9 "$mid_pid" 2>/dev/null
wait "$mid_pid" 2>/dev/null
expect_match "client after one killed mid-call is answered" \
    "status=0 lan_only=0 uptime=* total_ports=384 ports_in_use=0" \
    check dim "$RRAS_R3_PORT" "$RRAS_R3_AUTHFILE" 0

# --- responses split into many fragments --------------------------------
rras_peer_start r4 --max-frag 28 --levels 0,2 || exit 1
expect "fragmented level 2 answer, impacket client" \
    "status=0 pptp_ports=128 pptp_flags=3 l2tp_ports=128 l2tp_flags=3 sstp_ports=128 sstp_flags=1" \
    check dim "$RRAS_R4_PORT" "$RRAS_R4_AUTHFILE" 2
expect "fragmented level 2 answer, libsmbclient" \
    "status=0 pptp_ports=128 pptp_flags=3 l2tp_ports=128 l2tp_flags=3 sstp_ports=128 sstp_flags=1" \
    check smbc "$RRAS_R4_PORT" "$RRAS_R4_AUTHFILE" 2
expect "fragmented SCMR answers" "state=4 type=0x20" \
    check svc "$RRAS_R4_PORT" "$RRAS_R4_AUTHFILE"
expect "--levels 0,2: level 1 -> ERROR_INVALID_LEVEL" "status=124 size=0" \
    check dim "$RRAS_R4_PORT" "$RRAS_R4_AUTHFILE" 1
rras_peer_stop r4

rras_peer_start r6 --dim-deny || exit 1
expect "--dim-deny: RMprAdminServerGetInfo -> ERROR_ACCESS_DENIED (5)" \
    "status=5 size=0" check dim "$RRAS_R6_PORT" "$RRAS_R6_AUTHFILE" 0
rras_peer_stop r6

# --- Windows' message-mode pipes -------------------------------------------
rras_peer_start r5 --pipe-mode message --max-frag 28 || exit 1
expect "message mode: a short read gets STATUS_BUFFER_OVERFLOW, then the rest" \
    "first=STATUS_BUFFER_OVERFLOW rest=52" \
    check shortread "$RRAS_R5_PORT" "$RRAS_R5_AUTHFILE"
expect "message mode: fragmented answer, impacket client" \
    "status=0 pptp_ports=128 pptp_flags=3 l2tp_ports=128 l2tp_flags=3 sstp_ports=128 sstp_flags=1" \
    check dim "$RRAS_R5_PORT" "$RRAS_R5_AUTHFILE" 2
# Not a check of the peer: how libsmbclient copes with Windows-like pipes
# (it reads 16 bytes, then the rest; see the peer's --pipe-mode help).
echo "# note: libsmbclient on a message-mode pipe:" \
    "$(check smbc "$RRAS_R5_PORT" "$RRAS_R5_AUTHFILE" 0 2>&1 | tail -1)"
rras_peer_stop r5

# --- bad start-up input gets a clear error, not a traceback ---------------
echo bogus >"$MPRMON_TEST_TMP/bad.state"
if "$PYTHON3_SYSTEM" "$top_srcdir/tests/peers/rras_peer.py" --port 0 \
    --auth-file "$AUTH" --state-file "$MPRMON_TEST_TMP/bad.state" \
    >/dev/null 2>"$MPRMON_TEST_TMP/bad.err"; then
    fail "a bad state file is refused at start"
elif grep -q "unknown state 'bogus'" "$MPRMON_TEST_TMP/bad.err" &&
    ! grep -q Traceback "$MPRMON_TEST_TMP/bad.err"; then
    pass "a bad state file is refused at start"
else
    fail "a bad state file is refused at start (with a clear message)"
    sed 's/^/#   | /' "$MPRMON_TEST_TMP/bad.err"
fi

echo "# $checks checks, $failures failed"
[ $failures -eq 0 ]
