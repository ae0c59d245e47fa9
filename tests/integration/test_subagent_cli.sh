#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mprmon-subagent's command line: --help, --version, bad options, and a bad
# configuration refused at start with a FILE:LINE message and exit 1.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"
bin=$top_builddir/subagent/mprmon-subagent
if [ ! -x "$bin" ]; then
    echo "FAIL: $bin not built"
    exit 1
fi
# run ARGS...: sets out (stdout+stderr) and rc.
run() {
    out=$("$bin" "$@" 2>&1)
    rc=$?
}

run --help
[ "$rc" = 0 ] || fail "--help exit $rc"
case $out in *"Usage: mprmon-subagent"*"-x SOCKET"*"-c FILE"*) ;;
*) fail "--help text: $out" ;; esac

run -h
[ "$rc" = 0 ] || fail "-h exit $rc"

run --version
[ "$rc" = 0 ] || fail "--version exit $rc"
printf '%s\n' "$out" | grep -Eqx 'mprmon-subagent [0-9]+\.[0-9]+\.[0-9]+.*' ||
    fail "--version: $out"

run --no-such-option
[ "$rc" = 1 ] || fail "bad option exit $rc"

run -f extra-argument
[ "$rc" = 1 ] || fail "stray argument exit $rc"

missing=$MPRMON_TEST_TMP/missing.conf
run -f -c "$missing"
[ "$rc" = 1 ] || fail "missing config exit $rc"
case $out in *"$missing"*) ;; *) fail "missing config message: $out" ;; esac

bad=$MPRMON_TEST_TMP/bad.conf
printf 'trap-rate 5\n\nno-such-key 1\n' >"$bad"
run -f -c "$bad"
[ "$rc" = 1 ] || fail "bad config exit $rc"
case $out in *"$bad:3:"*) ;; *) fail "bad config message lacks $bad:3: $out" ;; esac

run -f -L x -c "$bad"
[ "$rc" = 1 ] || fail "bad -L exit $rc"
case $out in *"bad -Lx"*) ;; *) fail "bad -L message: $out" ;; esac

finish
