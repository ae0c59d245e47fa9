# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/samba.sh - a private smbd on 127.0.0.1 as an SMB test peer.
#
# Source tests/peers/common.sh first, then this file:
#   . "$top_srcdir/tests/peers/common.sh"
#   . "$top_srcdir/tests/peers/samba.sh"
#   trap 'samba_stop; peers_cleanup' EXIT
#   samba_start || exit $?      # 77 = cannot run here (skip)
#
# samba_start exports SAMBA_PORT, SAMBA_USER, SAMBA_PASSWORD, SAMBA_AUTHFILE
# (a 0600 smbclient auth file), SAMBA_CONF, SAMBA_LOG, SAMBA_PID, and
# SAMBA_IPV6 (1 when smbd also listens on [::1]).  It returns 0, 1 (failed:
# smbd's log is printed) or 77 (cannot run here: skip).  Everything lives in
# $MPRMON_TEST_TMP/$SAMBA_INSTANCE.  The password is random per run and is
# handed to smbpasswd on stdin (printf is a shell builtin), never in argv.
#
# Several instances may run at once: set SAMBA_INSTANCE before each
# samba_start and copy the SAMBA_* values you need before the next one
# overwrites them.  samba_stop stops every instance this shell started.
#
# Options (environment, read by samba_start):
#   SAMBA_INSTANCE  directory name under $MPRMON_TEST_TMP (default samba).
#   SAMBA_ENCRYPT   smb.conf's "server smb encrypt" (off, if_required,
#                   desired, required); unset = Samba's default, which
#                   offers SMB3 encryption but never demands it.  With
#                   "required" smbd refuses unencrypted sessions and marks
#                   each session "encrypt data", so the client encrypts.
#   SAMBA_SVCCTL=1  also list a "RemoteAccess" service in svcctl
#                   ("svcctl list = RemoteAccess"), for MS-SCMR tests.
#                   Samba 4.17 (seen in Debian's 4.17.12 source,
#                   source3/services/svc_rcinit.c) has the start, stop and
#                   status operations of such services compiled out "due to
#                   security concerns": OpenSCManagerW and OpenServiceW
#                   succeed, QueryServiceStatus always answers
#                   WERR_ACCESS_DENIED whatever the caller's rights, and no
#                   script in MODULESDIR/svcctl is ever run.  So no script is
#                   installed, and a Samba peer can only show "access denied"
#                   (listed) or "not installed" (not listed), never running
#                   or stopped: use the impacket RRAS peer for those.
#   SAMBA_EXTRA_CONF  more [global] lines for smb.conf (one per line), e.g.
#                   "rpc start on demand helpers = no" (bench/bench_connect.sh).
#   SAMBA_USER      Unix/Samba user to use (default mprmontest; created with
#                   useradd when missing, which needs root).

: "${SAMBA_USER:=mprmontest}"

# _samba_fail MSG: report a start failure with the end of smbd's log.
_samba_fail() {
    echo "samba_start: $1" >&2
    if [ -n "${SAMBA_LOG:-}" ] && [ -f "$SAMBA_LOG" ]; then
        echo "---- last lines of $SAMBA_LOG ----" >&2
        tail -n 40 "$SAMBA_LOG" >&2
        echo "----" >&2
    fi
    return 1
}

# _samba_listening PID PORT: does process PID itself listen on
# 127.0.0.1:PORT?  Checked through /proc (the socket's inode among PID's
# descriptors), so another program that grabbed the port in the meantime is
# not taken for smbd (which then keeps running without that listener).
_samba_listening() {
    "$PYTHON3_SYSTEM" - "$1" "$2" <<'PYEOF'
import os, sys
pid, port = sys.argv[1], int(sys.argv[2])
inodes = set()
want = "0100007F:%04X" % port  # 127.0.0.1, as the kernel prints it
with open("/proc/net/tcp") as f:
    next(f)
    for line in f:
        fields = line.split()
        if fields[3] == "0A" and fields[1] == want:  # 0A: LISTEN
            inodes.add(fields[9])
try:
    fds = os.listdir("/proc/%s/fd" % pid)
except OSError:
    sys.exit(1)
for fd in fds:
    try:
        link = os.readlink("/proc/%s/fd/%s" % (pid, fd))
    except OSError:
        continue
    if link.startswith("socket:[") and link[8:-1] in inodes:
        sys.exit(0)
sys.exit(1)
PYEOF
}

samba_start() {
    if ! command -v smbd >/dev/null 2>&1 || ! command -v smbpasswd >/dev/null 2>&1; then
        echo "samba_start: smbd/smbpasswd not installed" >&2
        return 77
    fi
    if ! id "$SAMBA_USER" >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "samba_start: Unix user $SAMBA_USER missing and not root to create it" >&2
            return 77
        fi
        # -M: no home; parallel tests may race to create it, so re-check.
        useradd -M -s /usr/sbin/nologin "$SAMBA_USER" 2>/dev/null ||
            id "$SAMBA_USER" >/dev/null 2>&1 ||
            { echo "samba_start: useradd $SAMBA_USER failed" >&2; return 1; }
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "samba_start: smbd needs root here" >&2
        return 77
    fi

    _sd=$MPRMON_TEST_TMP/${SAMBA_INSTANCE:-samba}
    case ${SAMBA_INSTANCE:-samba} in
    */* | .*)
        echo "samba_start: bad SAMBA_INSTANCE '$SAMBA_INSTANCE'" >&2
        return 1
        ;;
    esac
    mkdir -p "$_sd/private" "$_sd/lock" "$_sd/state" "$_sd/cache" \
        "$_sd/pid" "$_sd/ncalrpc" || return 1
    chmod 0700 "$_sd/private"
    SAMBA_CONF=$_sd/smb.conf
    SAMBA_LOG=$_sd/log.smbd
    SAMBA_PORT=$(pick_port) || return 1

    # Listen on ::1 too when this machine has IPv6 loopback, so IPv6
    # literals can be tested (SAMBA_IPV6=1 tells the tests).
    _ss_ifaces=127.0.0.1
    SAMBA_IPV6=0
    if "$PYTHON3_SYSTEM" -c 'import socket,sys
s = socket.socket(socket.AF_INET6); s.bind(("::1", int(sys.argv[1])))' "$SAMBA_PORT" 2>/dev/null; then
        _ss_ifaces="127.0.0.1 ::1"
        SAMBA_IPV6=1
    fi

    _ss_svcctl=""
    if [ "${SAMBA_SVCCTL:-0}" = 1 ]; then
        _ss_svcctl="svcctl list = RemoteAccess"
    fi
    _ss_encrypt=""
    case ${SAMBA_ENCRYPT:-} in
    '') ;;
    off | if_required | desired | required)
        _ss_encrypt="server smb encrypt = $SAMBA_ENCRYPT"
        ;;
    *)
        echo "samba_start: bad SAMBA_ENCRYPT '$SAMBA_ENCRYPT'" >&2
        return 1
        ;;
    esac

    cat >"$SAMBA_CONF" <<EOF || return 1
[global]
    server role = standalone server
    workgroup = MPRMONTEST
    netbios name = MPRMONTEST
    smb ports = $SAMBA_PORT
    interfaces = $_ss_ifaces
    bind interfaces only = yes
    disable netbios = yes
    private dir = $_sd/private
    lock directory = $_sd/lock
    state directory = $_sd/state
    cache directory = $_sd/cache
    pid directory = $_sd/pid
    ncalrpc dir = $_sd/ncalrpc
    passdb backend = tdbsam:$_sd/private/passdb.tdb
    log file = $SAMBA_LOG
    logging = file
    log level = 1
    max log size = 0
    map to guest = never
    load printers = no
    printing = bsd
    printcap name = /dev/null
    disable spoolss = yes
    usershare max shares = 0
    $_ss_svcctl
    $_ss_encrypt
    ${SAMBA_EXTRA_CONF:-}
EOF

    SAMBA_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    [ -n "$SAMBA_PASSWORD" ] || return 1
    if ! printf '%s\n%s\n' "$SAMBA_PASSWORD" "$SAMBA_PASSWORD" |
        smbpasswd -c "$SAMBA_CONF" -s -a "$SAMBA_USER" >"$_sd/smbpasswd.out" 2>&1; then
        cat "$_sd/smbpasswd.out" >&2
        _samba_fail "smbpasswd -a $SAMBA_USER failed"
        return 1
    fi

    SAMBA_AUTHFILE=$_sd/auth
    (
        umask 077
        printf 'username = %s\npassword = %s\ndomain = MPRMONTEST\n' \
            "$SAMBA_USER" "$SAMBA_PASSWORD" >"$SAMBA_AUTHFILE"
    ) || return 1

    # The port was only free when picked: another test's server may have
    # bound it since.  Then this smbd cannot listen; stop it, take another
    # port and start again.
    _ss_try=1
    while :; do
        _samba_launch "$_sd"
        _ss_rc=$?
        [ "$_ss_rc" = 2 ] && [ "$_ss_try" -lt 5 ] || break
        echo "samba_start: port $SAMBA_PORT was taken, trying another" >&2
        _samba_stop_one "$SAMBA_PID" "$_sd"
        wait "$SAMBA_PID" 2>/dev/null
        peers_untrack "$SAMBA_PID"
        _SAMBA_STARTED=$(printf '%s' "$_SAMBA_STARTED" | grep -v "^$SAMBA_PID "; echo x)
        _SAMBA_STARTED=${_SAMBA_STARTED%x}
        SAMBA_PORT=$(pick_port) || return 1
        sed -i "s/^    smb ports = .*/    smb ports = $SAMBA_PORT/" "$SAMBA_CONF" || return 1
        mv -f "$SAMBA_LOG" "$SAMBA_LOG.port-taken.$_ss_try" 2>/dev/null
        _ss_try=$((_ss_try + 1))
    done
    [ "$_ss_rc" = 2 ] && _ss_rc=1
    return "$_ss_rc"
}

# _samba_launch DIR: start smbd with SAMBA_CONF and wait until it listens on
# SAMBA_PORT.  Returns 0, 1 (failed), or 2 (the port was taken).
_samba_launch() {
    _sd=$1
    setsid smbd -F --no-process-group -s "$SAMBA_CONF" </dev/null >"$_sd/smbd.out" 2>&1 &
    SAMBA_PID=$!
    peers_track "$SAMBA_PID"
    # For samba_stop: one "pid dir" line per instance.
    _SAMBA_STARTED="${_SAMBA_STARTED:-}$SAMBA_PID $_sd
"

    # Poll quickly (smbd is up in well under a second) and stop early if it
    # died, so a broken config fails fast with its log.  The deadline is
    # generous and in seconds, not polls: on a machine busy with a parallel
    # valgrind check, start-up can take several seconds.
    _ss_end=$(($(date +%s) + 30))
    while [ "$(date +%s)" -le "$_ss_end" ]; do
        if ! kill -0 "$SAMBA_PID" 2>/dev/null; then
            cat "$_sd/smbd.out" >&2
            _samba_fail "smbd exited during start-up"
            return 1
        fi
        # smbd keeps running when one of its sockets cannot be opened.
        if grep -q "open_socket_in failed" "$SAMBA_LOG" 2>/dev/null; then
            _samba_fail "smbd could not listen on 127.0.0.1:$SAMBA_PORT"
            return 2
        fi
        if _samba_listening "$SAMBA_PID" "$SAMBA_PORT"; then
            export SAMBA_PORT SAMBA_USER SAMBA_PASSWORD SAMBA_AUTHFILE SAMBA_CONF SAMBA_LOG SAMBA_PID SAMBA_IPV6
            return 0
        fi
        sleep 0.05
    done
    _samba_fail "smbd did not listen on 127.0.0.1:$SAMBA_PORT within 30 s"
}

# samba_stop: stop every smbd this shell started and the RPC helpers each
# started.  smbd runs in its own session (setsid) because on shutdown it
# signals its whole process group, which would otherwise be the test's.
# samba-dcerpcd daemonises into a session of its own and outlives smbd, so it
# is stopped through its pid file (its process group holds the rpcd_*
# workers).  Safe to call twice.
samba_stop() {
    printf '%s' "${_SAMBA_STARTED:-}" | while read -r _sst_pid _sst_dir; do
        [ -n "$_sst_pid" ] && _samba_stop_one "$_sst_pid" "$_sst_dir"
    done
    _SAMBA_STARTED=""
    SAMBA_PID=""
}

# _samba_stop_one PID DIR: stop one instance.
_samba_stop_one() {
    kill "$1" 2>/dev/null
    _sso_i=0
    while kill -0 "$1" 2>/dev/null && [ "$_sso_i" -lt 40 ]; do
        sleep 0.05
        _sso_i=$((_sso_i + 1))
    done
    kill -9 "$1" 2>/dev/null
    _sso_pidf=$2/pid/samba-dcerpcd.pid
    if [ -f "$_sso_pidf" ]; then
        _sso_dpid=$(tr -cd '0-9' <"$_sso_pidf")
        # Only a samba-dcerpcd still using this instance's config, never a
        # recycled pid.
        if [ -n "$_sso_dpid" ] &&
            tr '\0' ' ' <"/proc/$_sso_dpid/cmdline" 2>/dev/null |
            grep -qF "$2/smb.conf"; then
            kill -- "-$_sso_dpid" 2>/dev/null || kill "$_sso_dpid" 2>/dev/null
        fi
    fi
}
