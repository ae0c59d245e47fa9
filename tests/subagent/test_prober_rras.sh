#!/bin/sh
# tests/subagent/test_prober_rras.sh - the prober against the RRAS test peer:
# starts one peer, then runs check_prober_rras (through run-test.sh, so
# MPRMON_VALGRIND=1 covers it) with the peer's port and files in its
# environment.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/rras.sh"
trap peers_cleanup EXIT
trap 'exit 1' INT TERM

if ! rras_peer_usable; then
    echo "SKIP: impacket is needed for the RRAS peer"
    exit 77
fi
rras_peer_start r1 --total-ports 8 --ports-in-use 3 || exit 1

"${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/subagent/check_prober_rras"
rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    echo "# the peer's log:"
    sed 's/^/#   | /' "$RRAS_R1_LOG" | tail -40
fi
exit "$rc"
