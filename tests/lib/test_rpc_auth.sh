#!/bin/sh
# test_rpc_auth.sh - start a private smbd on loopback and run the
# check_rpc_auth suite (authenticated, signed and sealed DCE/RPC on its
# srvsvc pipe) against it, through run-test.sh so MPRMON_VALGRIND=1
# applies.  Then, when tshark and text2pcap are installed, record a bind and
# two calls at integrity and privacy, with SPNEGO (auth type 9) and bare
# NTLMSSP (10), and have tshark decode them: it must see our NTLMSSP
# messages in bind / bind_ack / alter_context (9) or auth3 (10), and the
# verifiers with the right auth type, level and context, and report nothing
# malformed and no expert warnings.  Exits 77 (skip) when Samba cannot run
# here.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/samba.sh"

trap 'samba_stop; peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

samba_start
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
# Samba refuses level connect on srvsvc by policy ("dcesrv_request: restrict
# auth_level_connect access to [srvsvc]") unless this is set.  The RPC
# servers (samba-dcerpcd, rpcd_*) start at the first RPC and read smb.conf
# then, so appending before any call is enough.
printf '    allow dcerpc auth level connect = yes\n' >>"$SAMBA_CONF"
# 120 shares make the NetrShareEnum answer span several fragments, each
# signed or sealed on its own; check_rpc_auth expects at least 120.
i=0
while [ "$i" -lt 120 ]; do
    printf '[mprmonshare%03d]\n    path = %s\n    comment = share %03d for a response of several fragments\n' \
        "$i" "$MPRMON_TEST_TMP" "$i" >>"$SAMBA_CONF"
    i=$((i + 1))
done

"${SHELL:-/bin/sh}" "$top_srcdir/tests/run-test.sh" \
    "$top_builddir/tests/lib/check_rpc_auth" || exit 1

TSHARK=$(command -v tshark 2>/dev/null)
TEXT2PCAP=$(command -v text2pcap 2>/dev/null)
if [ -z "$TSHARK" ] || [ -z "$TEXT2PCAP" ]; then
    echo "note: tshark/text2pcap not installed; PDU decoding not checked"
    exit 0
fi
# A private profile: the user's Wireshark preferences must not change what
# we see.
HOME="$MPRMON_TEST_TMP"
XDG_CONFIG_HOME="$MPRMON_TEST_TMP"
export HOME XDG_CONFIG_HOME

fail() {
    echo "FAIL: $*"
    exit 1
}

dump="$MPRMON_TEST_TMP/rpcauth"
RPC_AUTH_PDU_DUMP=$dump CK_RUN_CASE=dump "$top_builddir/tests/lib/check_rpc_auth" ||
    fail "recording the authenticated PDUs"
for run in 9.5 9.6 10.5 10.6; do
    type=${run%.*}
    level=${run#*.}
    pcap="$dump.$run.pcap"
    # -D: the dump's I/O lines give the direction; -T: TCP to port 135,
    # where tshark's DCE/RPC dissector looks.
    "$TEXT2PCAP" -q -D -T 49731,135 "$dump.$run" "$pcap" ||
        fail "text2pcap $run"
    fields="$dump.$run.fields"
    "$TSHARK" -n -r "$pcap" -Y dcerpc -T fields -E separator=' ' \
        -e dcerpc.pkt_type -e dcerpc.cn_call_id -e dcerpc.auth_type \
        -e dcerpc.auth_level -e dcerpc.auth_ctx_id -e ntlmssp.messagetype \
        >"$fields" 2>"$dump.tshark.err" || fail "tshark -T fields"
    cat "$fields"
    # bind + NEGOTIATE, bind_ack + CHALLENGE, then auth3 + AUTHENTICATE
    # (10) or alter_context + AUTHENTICATE and its answer (9), then two
    # request/response pairs with verifiers (context 1).
    # tshark shows SPNEGO's mechToken as bytes (no NTLMSSP message type):
    # check its mechTypes instead, and the server's accept-completed.
    if [ "$type" = 9 ]; then
        leg1="11 1 9 $level 1 "
        leg3="14 1 9 $level 1 0x00000003
15 1 9 $level 1 "
        for filter in 'dcerpc.pkt_type == 11 && spnego.MechType == 1.3.6.1.4.1.311.2.2.10 && spnego.mechToken' \
            'dcerpc.pkt_type == 15 && spnego.negResult == 0'; do
            [ "$("$TSHARK" -n -r "$pcap" -Y "$filter" 2>/dev/null | wc -l)" = 1 ] ||
                fail "tshark did not find: $filter"
        done
    else
        leg1="11 1 10 $level 1 0x00000001"
        leg3="16 1 10 $level 1 0x00000003"
    fi
    echo "$leg3" | while IFS= read -r want; do
        grep -qx -- "$want" "$fields" || fail "tshark did not decode: $want"
    done || exit 1
    for want in "$leg1" \
        "12 1 $type $level 1 0x00000002" "0 2 $type $level 1 " \
        "2 2 $type $level 1 " "0 3 $type $level 1 " "2 3 $type $level 1 "; do
        grep -qx -- "$want" "$fields" || fail "tshark did not decode: $want"
    done
    # The NetrServerGetInfo answer is readable at integrity (not sealed).
    if [ "$level" = 5 ]; then
        "$TSHARK" -n -r "$pcap" -Y 'srvsvc.srvsvc_NetSrvInfo101.server_name == "MPRMONTEST"' \
            2>/dev/null | grep -q NetSrvGetInfo ||
            fail "tshark did not read the signed response"
    fi
    bad=$("$TSHARK" -n -r "$pcap" \
        -Y '_ws.malformed || _ws.expert.severity >= "Warning"' 2>/dev/null)
    [ -z "$bad" ] || fail "tshark complains about $run: $bad"
done
echo "tshark decoded the authenticated PDUs (auth types 9, 10; levels 5, 6) cleanly"
exit 0
