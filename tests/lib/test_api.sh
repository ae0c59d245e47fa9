#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_api.sh - start the real peers the public API is tested against and run
# the check_api suite (through run-test.sh, so MPRMON_VALGRIND=1 applies):
#   rras      the impacket RRAS peer, RemoteAccess running, known info values
#   norouter  an RRAS peer without \PIPE\ROUTER (a machine without RRAS)
#   scmdeny   an RRAS peer whose SCM refuses OpenSCManagerW
#   Samba     a real smbd: no ROUTER pipe; its svcctl is a real SCM
#   a closed port (picked, then left unbound)
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/samba.sh"
. "$top_srcdir/tests/peers/rras.sh"

trap 'samba_stop; peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

rras_peer_usable || exit 77
samba_start
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"

PEER_INFO="--total-ports 12 --ports-in-use 5 --uptime-start 1000 --pptp-ports 4 --l2tp-ports 6 --sstp-ports 2"
# shellcheck disable=SC2086 # PEER_INFO is a list of arguments
rras_peer_start rras $PEER_INFO || exit 1
# The same answers in fragments of the smallest size and of Windows' usual
# 4280 bytes (rras answers in 5840, the most Windows offers).
# shellcheck disable=SC2086
rras_peer_start tiny $PEER_INFO --max-frag 28 || exit 1
# shellcheck disable=SC2086
rras_peer_start frag4280 $PEER_INFO --max-frag 4280 || exit 1
rras_peer_start norouter --no-router || exit 1
rras_peer_start scmdeny --scm-deny || exit 1
# Binds, then stalls every answer on ROUTER half-way through its PDU.
rras_peer_start stall --hostile stall-mid-pdu --hostile-pipe ROUTER || exit 1

# A credentials file with the right user and a wrong password.
API_BAD_AUTH=$MPRMON_TEST_TMP/wrong.auth
(umask 077 && printf 'username = %s\npassword = %s\n' "$RRAS_RRAS_USER" \
    "not-the-password" >"$API_BAD_AUTH")

API_CLOSED_PORT=$(closed_port)
export API_BAD_AUTH API_CLOSED_PORT
export API_EXPECT_TOTAL_PORTS=12 API_EXPECT_PORTS_IN_USE=5 \
    API_EXPECT_UPTIME_MIN=1000 API_EXPECT_PPTP=4 API_EXPECT_L2TP=6 \
    API_EXPECT_SSTP=2

status=0
"${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/lib/check_api" || status=1
# Deadlines are judged on a native run; the run through run-test.sh (under
# valgrind with MPRMON_VALGRIND=1) judges memory.
echo "== check_async, native"
MPRMON_VALGRIND=0 "${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/lib/check_async" || status=1
if [ "${MPRMON_VALGRIND:-0}" = 1 ]; then
    echo "== check_async, under valgrind"
    "${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
        "$top_builddir/tests/lib/check_async" || status=1
fi
exit "$status"
