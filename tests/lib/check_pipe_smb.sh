#!/bin/sh
# check_pipe_smb.sh - start a private smbd on loopback and run the
# check_pipe_smb suite against it (through run-test.sh, so MPRMON_VALGRIND=1
# applies).  Exits 77 (skip) when Samba cannot run here.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/samba.sh"

trap 'samba_stop; peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

samba_start
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"

"${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/lib/check_pipe_smb"
