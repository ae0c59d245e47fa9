#!/bin/sh
# tshark_pdus.sh - does an independent DCE/RPC implementation (Wireshark's
# dissector) read the PDUs lib/rpc_client.c emits as we mean them?
# tests/lib/rpc_pcap_writer runs the real client (bind to DIMSVC, a small
# request, a request in three fragments) into a pcap; tshark must decode
# bind/request with the right UUID, call ids, flags and opnum, reassemble
# the fragments, and report nothing malformed and no expert warnings.
# Skips (77) without tshark.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/peers/common.sh"
trap peers_cleanup EXIT

TSHARK=$(command -v tshark 2>/dev/null) || {
    echo "SKIP: tshark is not installed"
    exit 77
}
writer="$top_builddir/tests/lib/rpc_pcap_writer"
if [ ! -x "$writer" ]; then
    echo "FAIL: $writer not built (make check builds it)"
    exit 1
fi
pcap="$MPRMON_TEST_TMP/pdus.pcap"
# A private profile: the user's Wireshark preferences must not change what
# we see.
HOME="$MPRMON_TEST_TMP"
XDG_CONFIG_HOME="$MPRMON_TEST_TMP"
export HOME XDG_CONFIG_HOME

fail() {
    echo "FAIL: $*"
    exit 1
}

"$writer" "$pcap" || fail "rpc_pcap_writer"

fields="$MPRMON_TEST_TMP/fields.txt"
"$TSHARK" -n -r "$pcap" -Y dcerpc -T fields -E separator=' ' \
    -e dcerpc.pkt_type -e dcerpc.cn_call_id -e dcerpc.cn_flags \
    -e dcerpc.cn_frag_len -e dcerpc.cn_bind_to_uuid -e dcerpc.opnum \
    >"$fields" 2>"$MPRMON_TEST_TMP/tshark.err" || fail "tshark -T fields"
cat "$fields"

# Every expected PDU, as "ptype call_id flags frag_len [uuid] [opnum]"
# (tshark shows the opnum on each fragment of a request).
expect() {
    grep -qx -- "$1" "$fields" || fail "tshark did not decode: $1"
}
expect "11 1 0x03 72 8f09f000-b7ed-11ce-bbd2-00001a181cad "
expect "12 1 0x03 60  "
expect "0 2 0x03 28  0"
# 10000 stub bytes at max_xmit_frag 4280: 4256 + 4256 + 1488
expect "0 3 0x01 4280  0"
expect "0 3 0x00 4280  0"
expect "0 3 0x02 1512  0"
[ "$(grep -c '^0 ' "$fields")" -eq 4 ] || fail "expected 4 request PDUs"

# The fragments must have been reassembled into one request: the last one
# lists all three frames.
"$TSHARK" -n -r "$pcap" -Y 'dcerpc.pkt_type == 0 && dcerpc.cn_call_id == 3' \
    -T fields -e dcerpc.fragment >"$MPRMON_TEST_TMP/reasm.txt" \
    2>/dev/null || fail "tshark reassembly query"
grep -Eqx '[0-9]+,[0-9]+,[0-9]+' "$MPRMON_TEST_TMP/reasm.txt" ||
    fail "fragments of call 3 not reassembled into one PDU"

"$TSHARK" -n -r "$pcap" -V >"$MPRMON_TEST_TMP/verbose.txt" 2>&1 ||
    fail "tshark -V"
if grep -qi 'malformed' "$MPRMON_TEST_TMP/verbose.txt"; then
    grep -i -B5 'malformed' "$MPRMON_TEST_TMP/verbose.txt"
    fail "tshark reports a malformed packet"
fi
"$TSHARK" -n -r "$pcap" -q -z expert,warn >"$MPRMON_TEST_TMP/expert.txt" 2>&1 ||
    fail "tshark -z expert"
if grep -Eq '^(Errors|Warns) \(' "$MPRMON_TEST_TMP/expert.txt"; then
    cat "$MPRMON_TEST_TMP/expert.txt"
    fail "tshark reports expert warnings or errors"
fi
echo "PASS: tshark decodes bind, requests and fragments as intended"
