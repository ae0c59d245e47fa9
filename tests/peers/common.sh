# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/common.sh - shared helpers for starting test peers on loopback.
# Source it from a test script.  Every peer lives under $MPRMON_TEST_TMP and
# is stopped by peers_cleanup (install it with: trap peers_cleanup EXIT).

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export top_srcdir top_builddir PYTHON3_SYSTEM

MPRMON_TEST_TMP=${MPRMON_TEST_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/mprmon-test.XXXXXX")}
export MPRMON_TEST_TMP
PEERS_PIDS=""

# pick_port: print a TCP port on 127.0.0.1 that is free now.
pick_port() {
    "$PYTHON3_SYSTEM" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# closed_port: print a TCP port on 127.0.0.1 where connects are refused,
# for as long as this test runs.  A port that is merely free when picked
# can be bound by any other test running alongside before it is used (a
# peer binding port 0 gets whatever the kernel hands out), and a "closed"
# router would then reach a live server.  So a small process keeps the port
# bound without listening (connects to it are refused, no one else can bind
# it) until this shell ($$, the same in a $(...) subshell) has exited.
closed_port() {
    "$PYTHON3_SYSTEM" -c 'import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
# Hold nothing else the test had open (pipes someone reads to the end).
keep = s.fileno()
os.closerange(3, keep)
os.closerange(keep + 1, 65536)
owner = int(sys.argv[1])
while True:
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        break
    except PermissionError:
        pass
    time.sleep(0.5)' "$$" &
}

# wait_port PORT [SECONDS]: wait until something listens on 127.0.0.1:PORT.
wait_port() {
    _wp_port=$1; _wp_limit=${2:-20}; _wp_i=0
    while [ "$_wp_i" -lt $((_wp_limit * 10)) ]; do
        if "$PYTHON3_SYSTEM" -c 'import socket,sys
s = socket.socket(); s.settimeout(0.2)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$_wp_port"; then
            return 0
        fi
        sleep 0.1; _wp_i=$((_wp_i + 1))
    done
    echo "peer on port $_wp_port did not start within ${_wp_limit}s" >&2
    return 1
}

# peers_track PID: remember a process to stop at cleanup.
peers_track() { PEERS_PIDS="$PEERS_PIDS $1"; }

# peers_untrack PID: forget a process that is gone (so that cleanup never
# signals whatever process gets its pid next).
peers_untrack() {
    _pu_left=
    for _pu_p in $PEERS_PIDS; do
        [ "$_pu_p" = "$1" ] || _pu_left="$_pu_left $_pu_p"
    done
    PEERS_PIDS=$_pu_left
}

peers_cleanup() {
    for _pc_pid in $PEERS_PIDS; do kill "$_pc_pid" 2>/dev/null; done
    sleep 0.2
    for _pc_pid in $PEERS_PIDS; do kill -9 "$_pc_pid" 2>/dev/null; done
    PEERS_PIDS=""
    if [ -z "${MPRMON_KEEP_TMP:-}" ]; then rm -rf "$MPRMON_TEST_TMP"; fi
}
