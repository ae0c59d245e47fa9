#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_api_samba.sh - the public API against real Samba servers (and the
# impacket RRAS peer for what Samba cannot show), through check_api_samba
# (run via run-test.sh, so MPRMON_VALGRIND=1 applies to it):
#
#   plain  smbd with Samba's default "server smb encrypt" (offers SMB3
#          encryption, never demands it) and "svcctl list = RemoteAccess"
#   enc    smbd with "server smb encrypt = required"
#   r1     the impacket RRAS peer: SMB dialect 2.0.2, cannot encrypt
#
# 1. check_api_samba (main): connect and MprmonQueryServiceState at every
#    encryption level; Samba's svcctl answers as a real SCM.
# 2. The wire: for each level, one service query while dumpcap records the
#    loopback port; the capture must show SMB2 TRANSFORM headers (0xFD 'S'
#    'M' 'B') and neither the pipe name nor the svcctl interface UUID in
#    clear when the session is encrypted, and the DCE/RPC bind in clear when
#    it is not.  Skipped (said so) when dumpcap cannot capture here.
# 3. check_api_samba (required): MPRMON_ENCRYPTION_REQUIRED against a peer
#    that cannot encrypt (SMB 2.0.2) must be refused (ERROR_ACCESS_DENIED,
#    detail naming encryption); against a server that offers encryption it
#    asks for it and gets it, and no RPC PDU may leave in clear.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/samba.sh"
. "$top_srcdir/tests/peers/rras.sh"

WIRE_PID=""
wire_stop() {
    if [ -n "$WIRE_PID" ]; then
        kill -INT "$WIRE_PID" 2>/dev/null
        wait "$WIRE_PID" 2>/dev/null
        WIRE_PID=""
    fi
}
trap 'wire_stop; samba_stop; peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

CHECK="$top_builddir/tests/lib/check_api_samba"
FAILED=0
fail() {
    echo "FAIL: $*"
    FAILED=1
}

rras_peer_usable || exit 77

SAMBA_INSTANCE=plain SAMBA_SVCCTL=1 samba_start
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
SAMBA_PLAIN_PORT=$SAMBA_PORT
SAMBA_PLAIN_AUTHFILE=$SAMBA_AUTHFILE

SAMBA_INSTANCE=enc SAMBA_ENCRYPT=required samba_start || exit 1
SAMBA_ENC_PORT=$SAMBA_PORT
SAMBA_ENC_AUTHFILE=$SAMBA_AUTHFILE
export SAMBA_PLAIN_PORT SAMBA_PLAIN_AUTHFILE SAMBA_ENC_PORT SAMBA_ENC_AUTHFILE

rras_peer_start r1 || exit 1

run_check() {
    API_SAMBA_RUN=$1 "${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" "$CHECK"
}

# ---- 1. what the library does today ----
echo "== check_api_samba: main"
run_check main || fail "check_api_samba (main)"

# ---- 2. the wire ----
# wire_start PORT FILE: record 127.0.0.1:PORT into FILE with dumpcap; waits
# until the capture runs.  Returns 1 when this machine cannot capture.
wire_start() {
    dumpcap -q -i lo -f "tcp port $1" -w "$2" \
        >"$2.out" 2>&1 </dev/null &
    WIRE_PID=$!
    _ws_i=0
    while [ "$_ws_i" -lt 100 ]; do
        if ! kill -0 "$WIRE_PID" 2>/dev/null; then
            WIRE_PID=""
            return 1
        fi
        # dumpcap writes the pcapng header once it captures.
        [ -s "$2" ] && return 0
        sleep 0.05
        _ws_i=$((_ws_i + 1))
    done
    wire_stop
    return 1
}

# wire_counts FILE: print "transform=N clear_smb2=N pipe_name=N svcctl_uuid=N"
# from the raw bytes of the capture, independently of any dissector.
wire_counts() {
    "$PYTHON3_SYSTEM" - "$1" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
svcctl_uuid = bytes.fromhex("81bb7a364498f135ad3298f038001003")  # LE, MS-SCMR
print("transform=%d clear_smb2=%d pipe_name=%d svcctl_uuid=%d service=%d" % (
    data.count(b"\xfdSMB"), data.count(b"\xfeSMB"),
    data.count("svcctl".encode("utf-16-le")), data.count(svcctl_uuid),
    data.count("RemoteAccess".encode("utf-16-le"))))
PYEOF
}

# wire_case NAME PORT AUTHFILE LEVEL RC: capture one service query; sets
# WIRE_RESULT to the counts, or returns 1 when the query failed.
wire_case() {
    _wc_pcap=$MPRMON_TEST_TMP/wire-$1.pcapng
    wire_start "$2" "$_wc_pcap" || return 2
    API_WIRE_PORT=$2 API_WIRE_AUTHFILE=$3 API_WIRE_LEVEL=$4 API_WIRE_RC=$5 \
        API_WIRE_RPC_AUTH=${API_WIRE_RPC_AUTH:-0} \
        run_check wire >"$MPRMON_TEST_TMP/wire-$1.out" 2>&1
    _wc_rc=$?
    sleep 0.3 # let the last frames reach the capture
    wire_stop
    WIRE_RESULT=$(wire_counts "$_wc_pcap")
    echo "  $1 ($4): $WIRE_RESULT"
    if [ "$_wc_rc" -ne 0 ]; then
        cat "$MPRMON_TEST_TMP/wire-$1.out"
        return 1
    fi
    return 0
}

wire_value() {
    printf '%s\n' "$WIRE_RESULT" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

wire_show() {
    tshark -n -r "$MPRMON_TEST_TMP/wire-$1.pcapng" -d "tcp.port==$2,nbss" \
        2>/dev/null | grep -v ' TCP ' | head -40
}

# Encrypted: TRANSFORM frames, and nothing of the pipe or the RPC in clear.
expect_encrypted() {
    if [ "$(wire_value transform)" -gt 0 ] && [ "$(wire_value pipe_name)" -eq 0 ] &&
        [ "$(wire_value svcctl_uuid)" -eq 0 ]; then
        return 0
    fi
    fail "$1: the session was not encrypted on the wire"
    wire_show "$1" "$2"
}

echo "== the wire (dumpcap on lo)"
WIRE_OK=1
if ! command -v dumpcap >/dev/null 2>&1; then
    echo "SKIP wire: dumpcap is not installed (Debian: wireshark-common / tshark)"
    WIRE_OK=0
else
    # 1060 = ERROR_SERVICE_DOES_NOT_EXIST (enc lists no RemoteAccess),
    # 5 = ERROR_ACCESS_DENIED (Samba refuses QueryServiceStatus on plain).
    for level in off if-available required; do
        wire_case "enc-$level" "$SAMBA_ENC_PORT" "$SAMBA_ENC_AUTHFILE" \
            "$level" 1060
        case $? in
        0) expect_encrypted "enc-$level" "$SAMBA_ENC_PORT" ;;
        2)
            echo "SKIP wire: dumpcap cannot capture on lo here (needs root or capture rights)"
            WIRE_OK=0
            break
            ;;
        *) fail "enc-$level: the service query gave the wrong answer" ;;
        esac
    done
fi
if [ "$WIRE_OK" = 1 ]; then
    # OFF on a server that does not demand encryption: in clear, and the
    # capture can tell (so the encrypted verdicts above are not vacuous).
    if wire_case plain-off "$SAMBA_PLAIN_PORT" "$SAMBA_PLAIN_AUTHFILE" off 5; then
        if [ "$(wire_value transform)" -ne 0 ] || [ "$(wire_value svcctl_uuid)" -eq 0 ]; then
            fail "plain-off: expected the DCE/RPC bind in clear and no TRANSFORM"
            wire_show plain-off "$SAMBA_PLAIN_PORT"
        fi
    else
        fail "plain-off: the service query gave the wrong answer"
    fi
    # IF_AVAILABLE on the same server: asked for, and given.
    if wire_case plain-if-available "$SAMBA_PLAIN_PORT" "$SAMBA_PLAIN_AUTHFILE" \
        if-available 5; then
        expect_encrypted plain-if-available "$SAMBA_PLAIN_PORT"
    else
        fail "plain-if-available: the service query gave the wrong answer"
    fi
fi

# DCE/RPC signing (5) and sealing (6) on a clear SMB session: the service
# name in OpenServiceW's stub shows on the wire when only signed, never
# when sealed; Samba's SCM answers both (so bind and calls verified).
if [ "$WIRE_OK" = 1 ]; then
    for auth in 5 6; do
        if API_WIRE_RPC_AUTH=$auth wire_case "plain-rpc-auth-$auth" \
            "$SAMBA_PLAIN_PORT" "$SAMBA_PLAIN_AUTHFILE" off 5; then
            seen=$(wire_value service)
            if [ "$auth" = 5 ] && [ "$seen" -eq 0 ]; then
                fail "rpc-auth integrity: the stub should travel signed, in clear"
            elif [ "$auth" = 6 ] && [ "$seen" -ne 0 ]; then
                fail "rpc-auth privacy: the service name left in clear"
            fi
        else
            fail "rpc-auth level $auth: the service query gave the wrong answer"
        fi
    done
fi

# ---- 3. REQUIRED must be enforced ----
echo "== check_api_samba: required"
run_check required
[ $? -eq 0 ] || fail "check_api_samba (required)"
if [ "$WIRE_OK" = 1 ]; then
    # Asked for and given: encrypted on the wire.
    if wire_case plain-required "$SAMBA_PLAIN_PORT" "$SAMBA_PLAIN_AUTHFILE" \
        required 5; then
        expect_encrypted plain-required "$SAMBA_PLAIN_PORT"
    else
        fail "plain-required: the service query gave the wrong answer"
    fi
fi

[ "$FAILED" = 0 ] && echo "PASS: test_api_samba"
exit "$FAILED"
