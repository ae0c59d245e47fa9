#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/subagent/test_routers_rras.sh - the routers against the RRAS test peer:
# starts three peers (normal, SCM refusing, no ROUTER pipe), then runs
# check_routers_rras (through run-test.sh, so MPRMON_VALGRIND=1 covers it)
# with the peers' ports and files in its environment.

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
rras_peer_start r2 --scm-deny || exit 1
rras_peer_start r3 --no-router || exit 1

"${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/subagent/check_routers_rras"
rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    for log in "$RRAS_R1_LOG" "$RRAS_R2_LOG" "$RRAS_R3_LOG"; do
        echo "# $log:"
        sed 's/^/#   | /' "$log" | tail -20
    done
fi
exit "$rc"
