#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_check_mode.sh - mprmon-subagent -n -c FILE checks a configuration and
# every auth file it names, as the daemon would load them, and exits 0 or 1
# with FILE:LINE messages; it never connects to snmpd or to a router.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
trap peers_cleanup EXIT

SUBAGENT="$top_builddir/subagent/mprmon-subagent"
FAILED=0
fail() {
    echo "FAIL: $*"
    FAILED=1
}

T=$MPRMON_TEST_TMP
auth=$T/gw.auth
(umask 077 && printf 'username = monitor\npassword = pw-not-shown\n' >"$auth")

# conf NAME ADDRESS AUTH: a one-router configuration; prints its path.
conf() {
    printf 'concurrency 4\nrouter 1 {\n    name gw\n    address %s\n    auth-file %s\n}\n' \
        "$2" "$3" >"$T/$1.conf"
    printf '%s\n' "$T/$1.conf"
}

# expect NAME RC WORDS ARGS...: run -n, check the exit status and that the
# output holds WORDS (and never the password).
expect() {
    _e_name=$1 _e_rc=$2 _e_words=$3
    shift 3
    "$SUBAGENT" -n "$@" >"$T/out" 2>&1 </dev/null
    _e_got=$?
    echo "  $_e_name: rc $_e_got: $(head -c 300 "$T/out")"
    if [ "$_e_got" -ne "$_e_rc" ]; then
        fail "$_e_name: exit status $_e_got, expected $_e_rc"
    elif ! grep -qF -- "$_e_words" "$T/out"; then
        fail "$_e_name: output lacks '$_e_words'"
    elif grep -q "pw-not-shown" "$T/out"; then
        fail "$_e_name: the password was printed"
    else
        echo "ok: $_e_name"
    fi
}

good=$(conf good gw.example.net "$auth")
expect "a good configuration" 0 "configuration OK, 1 routers" -c "$good"

c=$(conf num localhost.123 "$auth")
expect "address localhost.123" 1 "$c:4: address 'localhost.123'" -c "$c"
c=$(conf hex 0x7f000001 "$auth")
expect "address 0x7f000001" 1 "$c:4: address '0x7f000001'" -c "$c"

chmod 640 "$auth"
expect "group-readable auth file" 1 "$good:5: auth-file $auth: mode 0640" -c "$good"
chmod 600 "$auth"

printf 'username = monitor\npasword = pw-not-shown\n' >"$auth"
expect "malformed auth file" 1 "$good:5: auth-file $auth: line 2: unknown key" -c "$good"
printf 'username = monitor\npassword = pw-not-shown\n' >"$auth"

printf 'concurrency 2\nrouter 1 {\n    name gw\n\0' >"$T/nul.conf"
expect "NUL byte" 1 "$T/nul.conf:4: contains a NUL byte" -c "$T/nul.conf"

expect "missing configuration" 1 "$T/none.conf" -c "$T/none.conf"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    chown nobody "$auth"
    expect "auth file owned by another user" 1 "owned by uid $(id -u nobody)" -c "$good"
    chown 0 "$auth"
    # As -u nobody, root's 0600 auth file cannot be read: said now, not at
    # the first probe.
    chmod 755 "$T"
    chmod 644 "$good"
    expect "-u nobody cannot read root's auth file" 1 "Permission denied" -u nobody -c "$good"
    # The user's own file is right for the user: checked as the user.
    chown nobody "$auth"
    expect "-u nobody with nobody's own auth file" 0 "configuration OK" -u nobody -c "$good"
    chown 0 "$auth"
else
    echo "SKIP: owner and -u checks need root and a user 'nobody'"
fi

exit "$FAILED"
