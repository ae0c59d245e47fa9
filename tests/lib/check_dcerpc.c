/* check_dcerpc.c - byte vectors for the DCE/RPC PDU codec (lib/dcerpc.c).
 * Expected bytes are derived by hand from C706 ch. 12 and MS-RPCE 2.2.2,
 * field by field, in the comments next to them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dcerpc_priv.h"

/* DIMSVC 8f09f000-b7ed-11ce-bbd2-00001a181cad v0.0 (MS-RRASM 2.1.1.1) */
static const uint8_t dimsvc_wire[16] = {0x00, 0xf0, 0x09, 0x8f, 0xed, 0xb7,
                                        0xce, 0x11, 0xbb, 0xd2, 0x00, 0x00,
                                        0x1a, 0x18, 0x1c, 0xad};
/* NDR 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0 (C706 appendix I) */
static const uint8_t ndr_wire[16] = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c,
                                     0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00,
                                     0x2b, 0x10, 0x48, 0x60};

static struct dcerpc_syntax_id syntax(const uint8_t *wire, uint16_t maj,
                                      uint16_t min)
{
    struct dcerpc_syntax_id s;

    memcpy(s.uuid.bytes, wire, 16);
    s.ver_major = maj;
    s.ver_minor = min;
    return s;
}

START_TEST(test_uuid_from_string)
{
    struct dcerpc_uuid u;

    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8a885d04-1ceb-11c9-9fe8-08002b104860", &u),
        NO_ERROR);
    ck_assert_mem_eq(u.bytes, ndr_wire, 16);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8F09F000-B7ED-11CE-BBD2-00001A181CAD", &u),
        NO_ERROR);
    ck_assert_mem_eq(u.bytes, dimsvc_wire, 16);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8a885d04-1ceb-11c9-9fe8-08002b10486", &u),
        ERROR_INVALID_DATA);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8a885d04-1ceb-11c9-9fe8-08002b10486g", &u),
        ERROR_INVALID_DATA);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8a885d04x1ceb-11c9-9fe8-08002b104860", &u),
        ERROR_INVALID_DATA);
    ck_assert_uint_eq(dcerpc_uuid_from_string(NULL, &u), ERROR_INVALID_DATA);
}
END_TEST

START_TEST(test_encode_bind)
{
    static const uint8_t expect[72] = {
        /* rpc_vers 5, minor 0, PTYPE bind (11), PFC_FIRST|LAST */
        0x05, 0x00, 0x0b, 0x03,
        /* drep: little-endian, ASCII, IEEE */
        0x10, 0x00, 0x00, 0x00,
        /* frag_length 72, auth_length 0 */
        0x48, 0x00, 0x00, 0x00,
        /* call_id 1 */
        0x01, 0x00, 0x00, 0x00,
        /* max_xmit_frag 4280, max_recv_frag 4280 */
        0xb8, 0x10, 0xb8, 0x10,
        /* assoc_group_id 0 */
        0x00, 0x00, 0x00, 0x00,
        /* n_context_elem 1, reserved, reserved2 */
        0x01, 0x00, 0x00, 0x00,
        /* p_cont_id 0, n_transfer_syn 1, reserved */
        0x00, 0x00, 0x01, 0x00,
        /* abstract syntax DIMSVC, if_version 0.0 */
        0x00, 0xf0, 0x09, 0x8f, 0xed, 0xb7, 0xce, 0x11, 0xbb, 0xd2, 0x00, 0x00,
        0x1a, 0x18, 0x1c, 0xad, 0x00, 0x00, 0x00, 0x00,
        /* transfer syntax NDR, if_version 2.0 */
        0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00,
        0x2b, 0x10, 0x48, 0x60, 0x02, 0x00, 0x00, 0x00};
    struct dcerpc_syntax_id abs = syntax(dimsvc_wire, 0, 0);
    struct dcerpc_syntax_id ndr = syntax(ndr_wire, 2, 0);
    uint8_t buf[128];
    size_t len = 0;

    ck_assert_uint_eq(
        dcerpc_encode_bind(1, &abs, &ndr, 4280, 4280, buf, sizeof(buf), &len),
        NO_ERROR);
    ck_assert_uint_eq(len, sizeof(expect));
    ck_assert_mem_eq(buf, expect, sizeof(expect));
    ck_assert_uint_eq(
        dcerpc_encode_bind(1, &abs, &ndr, 4280, 4280, buf, 71, &len),
        ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

START_TEST(test_encode_request)
{
    static const uint8_t expect[28] = {
        /* 5.0, PTYPE request (0), PFC_FIRST|LAST, drep */
        0x05, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00, 0x00,
        /* frag_length 28, auth_length 0, call_id 2 */
        0x1c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        /* alloc_hint 4, p_cont_id 0, opnum 7 */
        0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00,
        /* stub */
        0x01, 0x00, 0x00, 0x00};
    static const uint8_t stub[4] = {1, 0, 0, 0};
    uint8_t buf[64];
    size_t len = 0;

    ck_assert_uint_eq(
        dcerpc_encode_request(2, 3, 4, 0, 7, stub, 4, buf, sizeof(buf), &len),
        NO_ERROR);
    ck_assert_uint_eq(len, sizeof(expect));
    ck_assert_mem_eq(buf, expect, sizeof(expect));
}
END_TEST

START_TEST(test_encode_request_middle_fragment)
{
    uint8_t stub[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t buf[64];
    size_t len = 0;

    /* no flag set: a middle fragment; alloc_hint is whatever remains */
    ck_assert_uint_eq(dcerpc_encode_request(0x01020304, 0, 1000, 0, 0x1234,
                                            stub, 8, buf, sizeof(buf), &len),
                      NO_ERROR);
    ck_assert_uint_eq(len, 32);
    ck_assert_uint_eq(buf[3], 0);
    ck_assert_uint_eq(buf[8], 32);
    ck_assert_uint_eq(buf[12], 0x04);
    ck_assert_uint_eq(buf[15], 0x01);
    ck_assert_uint_eq(buf[16], 1000 & 0xff);
    ck_assert_uint_eq(buf[17], 1000 >> 8);
    ck_assert_uint_eq(buf[22], 0x34);
    ck_assert_uint_eq(buf[23], 0x12);
    ck_assert_mem_eq(buf + 24, stub, 8);
}
END_TEST

START_TEST(test_encode_request_limits)
{
    static uint8_t big[70000];
    uint8_t buf[64];
    size_t len = 0;

    /* frag_length is 16 bits */
    ck_assert_uint_eq(dcerpc_encode_request(1, 3, 0, 0, 0, big, 65535 - 24 + 1,
                                            big, sizeof(big), &len),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(
        dcerpc_encode_request(1, 3, 0, 0, 0, big, 41, buf, sizeof(buf), &len),
        ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(
        dcerpc_encode_request(1, 3, 0, 0, 0, NULL, 1, buf, sizeof(buf), &len),
        ERROR_INVALID_PARAMETER);
    /* an object UUID would change the layout we write */
    ck_assert_uint_eq(dcerpc_encode_request(1, 0x83, 0, 0, 0, NULL, 0, buf,
                                            sizeof(buf), &len),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(
        dcerpc_encode_request(1, 3, 0, 0, 0, NULL, 0, buf, sizeof(buf), &len),
        NO_ERROR);
    ck_assert_uint_eq(len, 24);
}
END_TEST

/* A well-formed response header for the header tests. */
static void good_hdr(uint8_t *b)
{
    static const uint8_t h[16] = {5,    0, 2, 3, 0x10, 0, 0, 0,
                                  0x18, 0, 0, 0, 9,    0, 0, 0};

    memcpy(b, h, 16);
}

START_TEST(test_decode_hdr)
{
    struct dcerpc_hdr h;
    uint8_t b[16];

    good_hdr(b);
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), NO_ERROR);
    ck_assert_uint_eq(h.ptype, DCERPC_PKT_RESPONSE);
    ck_assert_uint_eq(h.pfc_flags, 3);
    ck_assert_uint_eq(h.frag_length, 24);
    ck_assert_uint_eq(h.auth_length, 0);
    ck_assert_uint_eq(h.call_id, 9);

    ck_assert_uint_eq(dcerpc_decode_hdr(b, 15, &h), RPC_S_PROTOCOL_ERROR);
    b[1] = 1; /* minor version 1 is allowed on receipt (MS-RPCE 1.7) */
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), NO_ERROR);
    b[1] = 2;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
    good_hdr(b);
    b[0] = 4;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_hdr_drep)
{
    struct dcerpc_hdr h;
    uint8_t b[16];

    good_hdr(b);
    b[4] = 0x00; /* big-endian integers */
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
    b[4] = 0x11; /* EBCDIC */
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
    b[4] = 0x10;
    b[5] = 0x01; /* VAX floats */
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_hdr_lengths)
{
    struct dcerpc_hdr h;
    uint8_t b[16];

    good_hdr(b);
    b[8] = 15; /* frag_length shorter than the header itself */
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
    b[8] = 16;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), NO_ERROR);
    /* auth_length 8 needs 16 + 8 + 8 = 32 bytes */
    b[8] = 31;
    b[10] = 8;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
    b[8] = 32;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), NO_ERROR);
    b[10] = 0xff;
    b[11] = 0xff;
    ck_assert_uint_eq(dcerpc_decode_hdr(b, 16, &h), RPC_S_PROTOCOL_ERROR);
}
END_TEST

/* Samba's answer to a bind for DIMSVC on its srvsvc pipe (FACTS.md):
 * provider_rejection, abstract_syntax_not_supported. */
static const uint8_t samba_reject[68] = {
    /* 5.0 bind_ack (12), PFC_FIRST|LAST, drep, frag_length 68, auth 0 */
    0x05, 0x00, 0x0c, 0x03, 0x10, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
    /* call_id 1 */
    0x01, 0x00, 0x00, 0x00,
    /* max_xmit_frag 4280, max_recv_frag 4280, assoc_group_id 0x53f0 */
    0xb8, 0x10, 0xb8, 0x10, 0xf0, 0x53, 0x00, 0x00,
    /* sec_addr: length 13, "\PIPE\srvsvc\0" (offsets 26..38) */
    0x0d, 0x00, '\\', 'P', 'I', 'P', 'E', '\\', 's', 'r', 'v', 's', 'v', 'c',
    0x00,
    /* pad to offset 40 */
    0x00,
    /* n_results 1, reserved, reserved2 */
    0x01, 0x00, 0x00, 0x00,
    /* result provider_rejection (2), reason abstract syntax (1) */
    0x02, 0x00, 0x01, 0x00,
    /* transfer syntax: nil UUID, version 0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

START_TEST(test_decode_bind_ack_reject)
{
    struct dcerpc_bind_ack a;

    ck_assert_uint_eq(
        dcerpc_decode_bind_ack(samba_reject, sizeof(samba_reject), &a),
        NO_ERROR);
    ck_assert_uint_eq(a.hdr.call_id, 1);
    ck_assert_uint_eq(a.max_xmit_frag, 4280);
    ck_assert_uint_eq(a.max_recv_frag, 4280);
    ck_assert_uint_eq(a.assoc_group_id, 0x53f0);
    ck_assert_uint_eq(a.sec_addr_len, 13);
    ck_assert_ptr_eq(a.sec_addr, samba_reject + 26);
    ck_assert_str_eq((const char *)a.sec_addr, "\\PIPE\\srvsvc");
    ck_assert_uint_eq(a.n_results, 1);
    ck_assert_uint_eq(a.result.result, DCERPC_BIND_PROVIDER_REJECTION);
    ck_assert_uint_eq(a.result.reason,
                      DCERPC_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED);
}
END_TEST

START_TEST(test_decode_bind_ack_accept)
{
    uint8_t b[60];
    struct dcerpc_bind_ack a;

    /* empty secondary address (impacket's rejection shape): the length
     * field ends at 26, padded to 28 */
    memset(b, 0, sizeof(b));
    memcpy(b, samba_reject, 24);
    b[8] = 56;
    b[24] = 0;
    b[25] = 0;
    b[28] = 1;
    b[32] = 0; /* acceptance */
    memcpy(b + 36, ndr_wire, 16);
    b[52] = 2;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, 56, &a), NO_ERROR);
    ck_assert_ptr_null(a.sec_addr);
    ck_assert_uint_eq(a.result.result, DCERPC_BIND_ACCEPTANCE);
    ck_assert_mem_eq(a.result.transfer_syntax.uuid.bytes, ndr_wire, 16);
    ck_assert_uint_eq(a.result.transfer_syntax.ver_major, 2);
    ck_assert_uint_eq(a.result.transfer_syntax.ver_minor, 0);
    /* bytes past frag_length are not ours */
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, sizeof(b), &a), NO_ERROR);
}
END_TEST

START_TEST(test_decode_bind_ack_malformed)
{
    uint8_t b[sizeof(samba_reject) + 64];
    struct dcerpc_bind_ack a;
    size_t n = sizeof(samba_reject);

    /* every truncation of the buffer */
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(dcerpc_decode_bind_ack(samba_reject, i, &a),
                          RPC_S_PROTOCOL_ERROR);
    /* frag_length claims less than the results need */
    for (size_t fl = 16; fl < n; fl++) {
        memcpy(b, samba_reject, n);
        b[8] = (uint8_t)fl;
        ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a),
                          RPC_S_PROTOCOL_ERROR);
    }
    /* n_results 0 */
    memcpy(b, samba_reject, n);
    b[40] = 0;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* n_results 2 with room for one */
    b[40] = 2;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* n_results 255, frag_length lying about bytes we do not have */
    memcpy(b, samba_reject, n);
    b[40] = 255;
    b[8] = 0xff;
    b[9] = 0x7f;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* sec_addr length past the end */
    memcpy(b, samba_reject, n);
    b[24] = 0xf0;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    b[24] = 0xff;
    b[25] = 0xff;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* sec_addr not NUL-terminated */
    memcpy(b, samba_reject, n);
    b[38] = 'x';
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* an auth trailer eating into the results */
    memcpy(b, samba_reject, n);
    b[10] = 8;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* a different PDU type */
    memcpy(b, samba_reject, n);
    b[2] = DCERPC_PKT_BIND_NAK;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    /* big-endian answer */
    memcpy(b, samba_reject, n);
    b[4] = 0;
    ck_assert_uint_eq(dcerpc_decode_bind_ack(b, n, &a), RPC_S_PROTOCOL_ERROR);
    ck_assert_uint_eq(dcerpc_decode_bind_ack(NULL, 0, &a),
                      RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_bind_nak)
{
    /* reason 4 (protocol version not supported), versions {5.0} */
    uint8_t b[24] = {5, 0, 13, 3, 0x10, 0, 0, 0, 21, 0, 0, 0,
                     7, 0, 0,  0, 4,    0, 1, 5, 0,  0, 0, 0};
    struct dcerpc_bind_nak n;

    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 21, &n), NO_ERROR);
    ck_assert_uint_eq(n.reject_reason, 4);
    ck_assert_uint_eq(n.n_versions, 1);
    ck_assert_uint_eq(n.hdr.call_id, 7);
    /* a bare reason, no version list */
    b[8] = 18;
    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 18, &n), NO_ERROR);
    ck_assert_uint_eq(n.n_versions, 0);
    /* too short for the reason */
    b[8] = 17;
    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 24, &n), RPC_S_PROTOCOL_ERROR);
    /* the version count lies */
    b[8] = 21;
    b[18] = 2;
    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 24, &n), RPC_S_PROTOCOL_ERROR);
    b[8] = 23;
    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 24, &n), NO_ERROR);
    /* frag_length beyond the bytes */
    ck_assert_uint_eq(dcerpc_decode_bind_nak(b, 22, &n), RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_response)
{
    uint8_t b[40] = {/* 5.0 response, FIRST|LAST, frag_length 28, call 3 */
                     5, 0, 2, 3, 0x10, 0, 0, 0, 28, 0, 0, 0, 3, 0, 0, 0,
                     /* alloc_hint 4, p_cont_id 0, cancel_count 0, rsvd */
                     4, 0, 0, 0, 0, 0, 0, 0,
                     /* stub */
                     0xde, 0xad, 0xbe, 0xef};
    struct dcerpc_response r;

    ck_assert_uint_eq(dcerpc_decode_response(b, 28, &r), NO_ERROR);
    ck_assert_uint_eq(r.hdr.call_id, 3);
    ck_assert_uint_eq(r.alloc_hint, 4);
    ck_assert_uint_eq(r.p_cont_id, 0);
    ck_assert_ptr_eq(r.stub, b + 24);
    ck_assert_uint_eq(r.stub_len, 4);
    /* frag_length longer than the buffer */
    ck_assert_uint_eq(dcerpc_decode_response(b, 27, &r), RPC_S_PROTOCOL_ERROR);
    /* header only: no room for alloc_hint etc. */
    b[8] = 23;
    ck_assert_uint_eq(dcerpc_decode_response(b, 28, &r), RPC_S_PROTOCOL_ERROR);
    /* empty stub is fine */
    b[8] = 24;
    ck_assert_uint_eq(dcerpc_decode_response(b, 28, &r), NO_ERROR);
    ck_assert_uint_eq(r.stub_len, 0);
    /* a fault is not a response */
    b[2] = DCERPC_PKT_FAULT;
    ck_assert_uint_eq(dcerpc_decode_response(b, 28, &r), RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_response_auth)
{
    /* stub of 4 bytes + 4 bytes of auth padding, then sec_trailer (auth
     * type 10, level 6, pad 4) and an 8-byte verifier */
    uint8_t b[48] = {5,  0, 2, 3, 0x10, 0, 0, 0, 48, 0, 8, 0, 3, 0, 0, 0,
                     8,  0, 0, 0, 0,    0, 0, 0, 1,  2, 3, 4, 0, 0, 0, 0,
                     10, 6, 4, 0, 0,    0, 0, 0, 9,  9, 9, 9, 9, 9, 9, 9};
    struct dcerpc_response r;

    ck_assert_uint_eq(dcerpc_decode_response(b, 48, &r), NO_ERROR);
    ck_assert_uint_eq(r.stub_len, 4);
    ck_assert_ptr_eq(r.stub, b + 24);
    /* padding longer than the stub area */
    b[34] = 9;
    ck_assert_uint_eq(dcerpc_decode_response(b, 48, &r), RPC_S_PROTOCOL_ERROR);
    /* verifier length reaching into the response header */
    b[34] = 0;
    b[10] = 17;
    ck_assert_uint_eq(dcerpc_decode_response(b, 48, &r), RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_decode_fault)
{
    uint8_t b[32] = {/* 5.0 fault, FIRST|LAST|DID_NOT_EXECUTE, len 32 */
                     5, 0, 3, 0x23, 0x10, 0, 0, 0, 32, 0, 0, 0, 5, 0, 0, 0,
                     /* alloc_hint 32, p_cont_id 0, cancel 0, reserved */
                     32, 0, 0, 0, 0, 0, 0, 0,
                     /* status nca_op_rng_error 0x1c010002, reserved2 */
                     0x02, 0x00, 0x01, 0x1c, 0, 0, 0, 0};
    struct dcerpc_fault f;

    ck_assert_uint_eq(dcerpc_decode_fault(b, 32, &f), NO_ERROR);
    ck_assert_uint_eq(f.status, DCERPC_NCA_OP_RNG_ERROR);
    ck_assert_uint_eq(f.hdr.call_id, 5);
    ck_assert_uint_eq(f.hdr.pfc_flags & DCERPC_PFC_DID_NOT_EXECUTE,
                      DCERPC_PFC_DID_NOT_EXECUTE);
    /* impacket's 28-byte fault, without reserved2 */
    b[8] = 28;
    ck_assert_uint_eq(dcerpc_decode_fault(b, 28, &f), NO_ERROR);
    ck_assert_uint_eq(f.status, 0x1c010002);
    /* cut inside status */
    b[8] = 27;
    ck_assert_uint_eq(dcerpc_decode_fault(b, 32, &f), RPC_S_PROTOCOL_ERROR);
    b[8] = 32;
    ck_assert_uint_eq(dcerpc_decode_fault(b, 31, &f), RPC_S_PROTOCOL_ERROR);
}
END_TEST

static Suite *dcerpc_suite(void)
{
    Suite *s = suite_create("dcerpc");
    TCase *enc = tcase_create("encode");
    TCase *dec = tcase_create("decode");

    tcase_add_test(enc, test_uuid_from_string);
    tcase_add_test(enc, test_encode_bind);
    tcase_add_test(enc, test_encode_request);
    tcase_add_test(enc, test_encode_request_middle_fragment);
    tcase_add_test(enc, test_encode_request_limits);
    suite_add_tcase(s, enc);
    tcase_add_test(dec, test_decode_hdr);
    tcase_add_test(dec, test_decode_hdr_drep);
    tcase_add_test(dec, test_decode_hdr_lengths);
    tcase_add_test(dec, test_decode_bind_ack_reject);
    tcase_add_test(dec, test_decode_bind_ack_accept);
    tcase_add_test(dec, test_decode_bind_ack_malformed);
    tcase_add_test(dec, test_decode_bind_nak);
    tcase_add_test(dec, test_decode_response);
    tcase_add_test(dec, test_decode_response_auth);
    tcase_add_test(dec, test_decode_fault);
    suite_add_tcase(s, dec);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dcerpc_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
