#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mprmon-probe against the RRAS peer, as an operator or a script runs it: the
# text line and the --json objects (read back with Python's json module) for
# a running router, a stopped one, a LAN-only one and a closed port; exit
# codes 0/1/2 as --help and mprmon-probe(1) promise them; clear messages for
# credentials files that cannot be used, with no password on any output.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/rras.sh"
trap peers_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

probe=$top_builddir/cli/mprmon-probe
out=$MPRMON_TEST_TMP/out
err=$MPRMON_TEST_TMP/err
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
# run WANT_STATUS ARGS...: run the probe, stdout in $out, stderr in $err.
run() {
    _r_want=$1
    shift
    "$probe" "$@" >"$out" 2>"$err"
    _r_status=$?
    if [ "$_r_status" -ne "$_r_want" ]; then
        fail "$(printf 'mprmon-probe %s exited %s, expected %s' "$*" "$_r_status" "$_r_want")"
        sed 's/^/  out| /' "$out"
        sed 's/^/  err| /' "$err"
        return 1
    fi
    printf 'ok: mprmon-probe %s -> %s\n' "$*" "$_r_status"
    return 0
}
# json_check PYTHON-EXPR: every line of $out is one JSON object; the list of
# them is `rows`; the expression must be true.
json_check() {
    if ! "$PYTHON3_SYSTEM" -c 'import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert all(isinstance(r, dict) for r in rows)
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(rows, indent=1))
sys.exit(0 if ok else 1)' "$out" "$1"; then
        fail "JSON check: $1"
        return 1
    fi
    echo "ok: $1"
}
# no_secret FILE...: the peer's password must appear in no output.
no_secret() {
    _ns_pw=$(sed -n 's/^password = //p' "$RRAS_R1_AUTHFILE")
    for _ns_f in "$@"; do
        if grep -qF "$_ns_pw" "$_ns_f"; then
            fail "the password appears in $_ns_f"
        fi
    done
}

rras_peer_usable || exit 77
rras_peer_start r1 --total-ports 8 --ports-in-use 3 --uptime-start 5000 ||
    exit 1
rras_peer_start r2 --lan-only || exit 1
rras_peer_set_service r2 stopped || exit 1
closed=$(closed_port) # nothing listens there
r1="127.0.0.1:$RRAS_R1_PORT"
r2="127.0.0.1:$RRAS_R2_PORT"

# Text: one line, code, name, text, service state and ports.
run 0 -A "$RRAS_R1_AUTHFILE" "$r1" &&
    if ! grep -Eq "^$r1 +0 NO_ERROR +[0-9.]+ms  .*service=running  uptime=[0-9]+s ports=3/8 lan-only=no\$" "$out"; then
        fail "unexpected text line: $(cat "$out")"
    fi
no_secret "$out" "$err"

# JSON Lines: three servers, three objects in argument order; any failure
# makes the status 1.  -p applies to the bare name after it.
run 1 --json -A "$RRAS_R1_AUTHFILE" "$r1" -A "$RRAS_R2_AUTHFILE" "$r2" \
    -t 2000 -p "$closed" 127.0.0.1
json_check 'len(rows) == 3'
json_check '[r["server"] for r in rows] == ["'"$r1"'", "'"$r2"'", "127.0.0.1"]'
json_check 'rows[0]["code"] == 0 and rows[0]["name"] == "NO_ERROR" and rows[0]["detail"] == ""'
json_check 'isinstance(rows[0]["time_ms"], float) and rows[0]["time_ms"] >= 0'
json_check 'rows[0]["service"] == {"state": "running", "code": 0, "name": "NO_ERROR", "current_state": 4}'
json_check 'rows[0]["info"]["code"] == 0 and rows[0]["info"]["total_ports"] == 8 and rows[0]["info"]["ports_in_use"] == 3'
json_check 'rows[0]["info"]["uptime"] >= 5000 and rows[0]["info"]["lan_only"] is False'
json_check 'rows[1]["code"] == 0 and rows[1]["service"]["state"] == "stopped" and rows[1]["service"]["current_state"] == 1'
json_check 'rows[1]["info"]["lan_only"] is True'
json_check 'rows[2]["code"] == 1722 and rows[2]["name"] == "RPC_S_SERVER_UNAVAILABLE"'
json_check 'rows[2]["text"] == "The RPC server is unavailable." and rows[2]["detail"] != ""'
json_check 'rows[2]["service"]["state"] == "unreachable" and rows[2]["info"] is None'
no_secret "$out" "$err"

# --connect-only: service and info not asked, null in JSON.
run 0 -j -c -A "$RRAS_R1_AUTHFILE" "$r1"
json_check 'rows[0]["code"] == 0 and rows[0]["service"] is None and rows[0]["info"] is None'

# The lists: -I -C -P print every interface, connection and port of the
# peer's default content as indented lines and as JSON arrays; a router
# with more connections than one page holds comes back whole.
run 0 -A "$RRAS_R1_AUTHFILE" -I -C -P "$r1" &&
    for want in \
        '^  interface Branch-Lyon +full-router unreachable +enabled unreachable=connection-failure last-error=678 ERROR_NO_ANSWER$' \
        '^  connection CORP.alice interface=alice type=client duration=120s address=10.8.0.50 bytes-in=8192 bytes-out=4096$' \
        '^  port VPN3-1 +vpn +listening +calls=0 device=WAN Miniport \(L2TP\)$'; do
        grep -Eq "$want" "$out" || fail "no line matching $want in: $(cat "$out")"
    done
run 0 -j -A "$RRAS_R1_AUTHFILE" -I -C -P "$r1"
json_check '[i["name"] for i in rows[0]["interfaces"]["entries"]] == ["Internal", "Loopback", "Ethernet", "Branch-Paris", "Branch-Lyon"]'
json_check 'rows[0]["interfaces"]["entries"][4]["state_name"] == "unreachable" and rows[0]["interfaces"]["entries"][4]["last_error"] == 678'
json_check 'rows[0]["connections"]["entries"][1]["user"] == "alice" and rows[0]["connections"]["entries"][1]["statistics"]["bytes_in"] == 8192'
json_check 'len(rows[0]["ports"]["entries"]) == 4 and rows[0]["ports"]["entries"][0]["condition_name"] == "authenticated"'
run 0 -j -A "$RRAS_R1_AUTHFILE" "$r1"
json_check 'rows[0]["interfaces"] is None and rows[0]["connections"] is None and rows[0]["ports"] is None'
echo '{"generate": {"connections": 1500}}' >"$MPRMON_TEST_TMP/big.json"
rras_peer_start big --lists-file "$MPRMON_TEST_TMP/big.json" || exit 1
run 0 -j -A "$RRAS_BIG_AUTHFILE" -C "127.0.0.1:$RRAS_BIG_PORT"
json_check 'len(rows[0]["connections"]["entries"]) == 1502 and len(set(c["handle"] for c in rows[0]["connections"]["entries"])) == 1502'
# A lying server: the list says so, the rest of the line stands.
echo '{"hostile": {"list": "ports", "mode": "count-lies"}}' >"$MPRMON_TEST_TMP/big.json.new"
mv "$MPRMON_TEST_TMP/big.json.new" "$MPRMON_TEST_TMP/big.json"
run 0 -j -A "$RRAS_BIG_AUTHFILE" -I -P "127.0.0.1:$RRAS_BIG_PORT"
json_check 'rows[0]["ports"]["name"] == "RPC_X_BAD_STUB_DATA" and rows[0]["ports"]["entries"] is None and "malformed" in rows[0]["ports"]["detail"]'
json_check 'len(rows[0]["interfaces"]["entries"]) == 5 and rows[0]["info"]["code"] == 0'

# A name that needs escaping reaches the JSON intact: a quote, a backslash
# and a byte that is not UTF-8 (it becomes U+FFFD).
bad_name=$(printf 'a"b\\c\377')
run 1 -j "$bad_name" >/dev/null
json_check 'rows[0]["server"] == "a\"b\\c\ufffd" and rows[0]["code"] == 87 and rows[0]["time_ms"] is None'

# Wrong password: the server refuses the logon, ERROR_ACCESS_DENIED (5).
wrong=$MPRMON_TEST_TMP/wrong.auth
(umask 077 && printf 'username = %s\npassword = not-the-password\ndomain = WORKGROUP\n' \
    "$RRAS_R1_USER" >"$wrong")
run 1 -j -A "$wrong" "$r1"
json_check 'rows[0]["code"] == 5 and rows[0]["name"] == "ERROR_ACCESS_DENIED"'

# Credentials files that cannot be used: status 2 before any server is
# probed (no output line), and a message that names the file and the reason.
loose=$MPRMON_TEST_TMP/loose.auth
cp "$RRAS_R1_AUTHFILE" "$loose"
chmod 644 "$loose"
if run 2 -A "$loose" "$r1"; then
    [ -s "$out" ] && fail "a server was probed despite the bad file: $(cat "$out")"
    grep -q "^mprmon-probe: credentials file $loose: mode 0644 .*group or others" "$err" ||
        fail "unclear message for a 0644 file: $(cat "$err")"
fi
no_secret "$out" "$err"
if run 2 -A "$MPRMON_TEST_TMP/missing.auth" "$r1"; then
    grep -q "^mprmon-probe: credentials file $MPRMON_TEST_TMP/missing.auth: No such file" "$err" ||
        fail "unclear message for a missing file: $(cat "$err")"
fi
garbage=$MPRMON_TEST_TMP/garbage.auth
(umask 077 && printf 'this is not an auth file\n' >"$garbage")
if run 2 -A "$garbage" "$r1"; then
    grep -q "^mprmon-probe: credentials file $garbage: line 1: " "$err" ||
        fail "unclear message for a malformed file: $(cat "$err")"
fi

# Usage errors: 2, with a message on stderr and nothing on stdout.
run 2
# expect_err WANT_STATUS TEXT ARGS...: the status, and TEXT on stderr.
expect_err() {
    _ee_status=$1 _ee_text=$2
    shift 2
    if run "$_ee_status" "$@"; then
        grep -qF -- "$_ee_text" "$err" || fail "no '$_ee_text' on stderr: $(cat "$err")"
        [ -s "$out" ] && fail "stdout not empty: $(cat "$out")"
    fi
}
expect_err 2 "bad port '0'" -p 0 "$r1"
expect_err 2 "bad timeout 'abc'" -t abc "$r1"
expect_err 2 "bad encryption 'maybe'" -e maybe "$r1"
expect_err 2 "unrecognized option" --no-such-option "$r1"
expect_err 2 "--json must come before the first server" \
    -A "$RRAS_R1_AUTHFILE" "$r1" --json "$r2"
if run 0 --help; then
    grep -q -- "--json" "$out" && grep -q "^Exit status: 0" "$out" ||
        fail "--help does not document --json and the exit status"
fi
if run 0 --version; then
    grep -Eq '^mprmon-probe [0-9]' "$out" || fail "bad --version: $(cat "$out")"
fi

[ "$fails" -eq 0 ] || {
    echo "$fails check(s) failed"
    exit 1
}
echo "all mprmon-probe checks passed"
