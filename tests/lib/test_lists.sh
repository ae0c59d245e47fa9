#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_lists.sh - start the RRAS peers the listing calls are tested against
# and run check_lists (through run-test.sh, so MPRMON_VALGRIND=1 applies):
#   lists  interfaces, 302 connections, ports from a content file the
#          suite rewrites ($LISTS_FILE)
#   tiny   12 connections, answered in 28-byte fragments
#   deny   every DIMSVC call refused
# Pipes in $RRAS_PIPE_MODE: message (Windows) here, stream (Samba) through
# test_lists_stream.sh.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/rras.sh"

trap 'peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

rras_peer_usable || exit 77

LISTS_FILE=$MPRMON_TEST_TMP/lists.json
echo '{"generate": {"connections": 300}}' >"$LISTS_FILE"
export LISTS_FILE
rras_peer_start lists --lists-file "$LISTS_FILE" || exit 1
echo '{"generate": {"connections": 10}}' >"$MPRMON_TEST_TMP/tiny.json"
rras_peer_start tiny --lists-file "$MPRMON_TEST_TMP/tiny.json" --max-frag 28 ||
    exit 1
rras_peer_start deny --dim-deny || exit 1

echo "== check_lists, pipes in $RRAS_PIPE_MODE mode"
exec "${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/lib/check_lists"
