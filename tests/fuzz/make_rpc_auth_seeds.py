#!/usr/bin/env python3
"""make_rpc_auth_seeds.py - write the seed corpus of fuzz_rpc_auth.

Each seed is one selector byte (see fuzz_rpc_auth.c) and the byte stream a
server sends for an authenticated bind and one call: a bind_ack whose
sec_trailer carries Samba 4.17's NTLMSSP CHALLENGE (taken from
corpus/ntlmssp/samba_4_17_connect), bare or in an SPNEGO NegTokenResp; for
SPNEGO an alter_context_resp with accept-completed; then a response
(without a verifier at level connect, with a 16-byte one otherwise, which
the fuzzer cannot forge, so those seeds stop at the signature check).

    python3 tests/fuzz/make_rpc_auth_seeds.py   # from the source tree
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "rpc_auth")
NDR = (bytes.fromhex("045d888aeb1cc9119fe808002b104860"), 2)


def challenge():
    with open(os.path.join(HERE, "corpus", "ntlmssp", "samba_4_17_connect"),
              "rb") as f:
        raw = f.read()
    n = raw[1] | raw[2] << 8
    return raw[3:3 + n]


def der(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    if n < 0x100:
        return bytes([tag, 0x81, n]) + body
    return bytes([tag, 0x82, n >> 8, n & 0xFF]) + body


def neg_token_resp(state, token=None):
    """RFC 4178 NegTokenResp: negState, supportedMech NTLMSSP, token."""
    body = der(0xA0, der(0x0A, bytes([state])))
    if token is not None:
        body += der(0xA1, der(0x06, bytes.fromhex("2b06010401823702020a")))
        body += der(0xA2, der(0x04, token))
    return der(0xA1, der(0x30, body))


def pdu(ptype, call_id, body, auth=None):
    """One PDU; auth = (type, level, value) appends a sec_trailer."""
    auth_len = 0
    if auth is not None:
        body += b"\0" * (-len(body) % 4)
        body += struct.pack("<BBBBI", auth[0], auth[1], 0, 0, 1) + auth[2]
        auth_len = len(auth[2])
    frag_len = 16 + len(body)
    hdr = struct.pack("<BBBB4sHHI", 5, 0, ptype, 3, b"\x10\0\0\0", frag_len,
                      auth_len, call_id)
    return hdr + body


def ack_body(sec_addr):
    body = struct.pack("<HHIH", 4280, 4280, 0x1234, len(sec_addr)) + sec_addr
    body += b"\0" * (-(16 + len(body)) % 4)
    body += struct.pack("<B3sHH", 1, b"\0\0\0", 0, 0)
    return body + NDR[0] + struct.pack("<I", NDR[1])


def response(call_id, stub, auth=None):
    body = struct.pack("<IHBB", len(stub), 0, 0, 0) + stub
    return pdu(2, call_id, body, auth)


def main():
    os.makedirs(OUT, exist_ok=True)
    chal = challenge()
    stub = struct.pack("<IIIII", 1, 4, 0x20000, 0, 0)
    for sel, name in ((0, "spnego_connect"), (1, "spnego_integrity"),
                      (2, "spnego_privacy"), (3, "winnt_connect"),
                      (4, "winnt_integrity"), (5, "winnt_privacy")):
        level = (2, 5, 6)[sel % 3]
        atype = 10 if (sel // 3) % 2 else 9
        c = bytearray(chal)
        if level == 6:
            c[20] |= 0x20  # Samba offered no NEGOTIATE_SEAL at level connect
        value = bytes(c) if atype == 10 else neg_token_resp(1, bytes(c))
        stream = pdu(12, 1, ack_body(b"\\PIPE\\ROUTER\0"),
                     (atype, level, value))
        if atype == 9:
            stream += pdu(15, 1, ack_body(b""),
                          (atype, level, neg_token_resp(0)))
        if level == 2:
            stream += response(2, stub)
        else:
            stream += response(2, stub, (atype, level, b"\1" + b"\0" * 15))
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([sel]) + stream)


if __name__ == "__main__":
    main()
