/* dcerpc.c - DCE/RPC connection-oriented PDU codec.
 *
 * Layouts follow The Open Group's C706 "DCE 1.1: Remote Procedure Call",
 * chapter 12 (12.6.3 common fields, 12.6.4 the PDUs), with Microsoft's
 * extensions from MS-RPCE 2.2.2.  We speak only little-endian NDR with ASCII
 * characters and IEEE floats (C706 14.1, drep 10 00 00 00), which every
 * Windows and Samba server uses; a peer that answers in another data
 * representation is treated as a protocol error rather than converted. */
#include "dcerpc_priv.h"
#include "le_priv.h"

#include <string.h>

/* C706 12.6.3.1: rpc_vers 5, rpc_vers_minor 0 (MS-RPCE 1.7 also allows
 * minor 1 on receipt; servers answer with the minor version we sent). */
#define DCERPC_VERS 5u
#define DCERPC_VERS_MINOR 0u
#define DCERPC_VERS_MINOR_MAX 1u

/* drep[0]: integer representation in the high nibble (1 = little endian),
 * character set in the low nibble (0 = ASCII); drep[1]: float format
 * (0 = IEEE), C706 14.1 figure 14-1. */
#define DCERPC_DREP_LE_ASCII 0x10u
#define DCERPC_DREP_IEEE 0x00u

/* p_syntax_id_t (C706 12.6.3.1): the UUID, then if_version as one u32 whose
 * low half is the major and high half the minor version (MS-RPCE's
 * RPC_SYNTAX_IDENTIFIER: two u16, major first). */
static void put_syntax(uint8_t *p, const struct dcerpc_syntax_id *s)
{
    memcpy(p, s->uuid.bytes, 16);
    put_u16(p + 16, s->ver_major);
    put_u16(p + 18, s->ver_minor);
}

static void get_syntax(const uint8_t *p, struct dcerpc_syntax_id *s)
{
    memcpy(s->uuid.bytes, p, 16);
    s->ver_major = get_u16(p + 16);
    s->ver_minor = get_u16(p + 18);
}

static void put_hdr(uint8_t *p, uint8_t ptype, uint8_t flags,
                    uint16_t frag_length, uint32_t call_id)
{
    p[0] = DCERPC_VERS;
    p[1] = DCERPC_VERS_MINOR;
    p[2] = ptype;
    p[3] = flags;
    p[4] = DCERPC_DREP_LE_ASCII;
    p[5] = DCERPC_DREP_IEEE;
    p[6] = 0;
    p[7] = 0;
    put_u16(p + 8, frag_length);
    put_u16(p + 10, 0); /* set by dcerpc_append_auth when authenticated */
    put_u32(p + 12, call_id);
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

DWORD dcerpc_uuid_from_string(const char *s, struct dcerpc_uuid *out)
{
    /* The first three groups are integers, sent little-endian (C706
     * appendix A, NDR encoding of uuid_t); the last two are bytes. */
    static const int order[16] = {3, 2, 1,  0,  5,  4,  7,  6,
                                  8, 9, 10, 11, 12, 13, 14, 15};
    uint8_t raw[16];
    size_t i, n = 0;

    if (!s || !out || strlen(s) != 36)
        return ERROR_INVALID_DATA;
    for (i = 0; i < 36;) {
        int hi, lo;

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return ERROR_INVALID_DATA;
            i++;
            continue;
        }
        hi = hex_nibble(s[i]);
        lo = hex_nibble(s[i + 1]);
        if (hi < 0 || lo < 0)
            return ERROR_INVALID_DATA;
        raw[n++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    for (i = 0; i < 16; i++)
        out->bytes[i] = raw[order[i]];
    return NO_ERROR;
}

int dcerpc_syntax_equal(const struct dcerpc_syntax_id *a,
                        const struct dcerpc_syntax_id *b)
{
    return memcmp(a->uuid.bytes, b->uuid.bytes, 16) == 0 &&
           a->ver_major == b->ver_major && a->ver_minor == b->ver_minor;
}

DWORD dcerpc_decode_hdr(const uint8_t *buf, size_t len, struct dcerpc_hdr *out)
{
    struct dcerpc_hdr h;

    if (!buf || !out || len < DCERPC_HDR_LEN)
        return RPC_S_PROTOCOL_ERROR;
    h.rpc_vers = buf[0];
    h.rpc_vers_minor = buf[1];
    h.ptype = buf[2];
    h.pfc_flags = buf[3];
    memcpy(h.drep, buf + 4, 4);
    h.frag_length = get_u16(buf + 8);
    h.auth_length = get_u16(buf + 10);
    h.call_id = get_u32(buf + 12);

    if (h.rpc_vers != DCERPC_VERS || h.rpc_vers_minor > DCERPC_VERS_MINOR_MAX)
        return RPC_S_PROTOCOL_ERROR;
    if (h.drep[0] != DCERPC_DREP_LE_ASCII || h.drep[1] != DCERPC_DREP_IEEE)
        return RPC_S_PROTOCOL_ERROR;
    if (h.frag_length < DCERPC_HDR_LEN)
        return RPC_S_PROTOCOL_ERROR;
    /* An auth verifier comes with its 8-byte sec_trailer (MS-RPCE
     * 2.2.2.11); both must fit after the header. */
    if (h.auth_length != 0 && (size_t)h.auth_length + DCERPC_SEC_TRAILER_LEN >
                                  (size_t)h.frag_length - DCERPC_HDR_LEN)
        return RPC_S_PROTOCOL_ERROR;
    *out = h;
    return NO_ERROR;
}

static DWORD encode_bind_like(uint8_t ptype, uint32_t call_id,
                              const struct dcerpc_syntax_id *abstract,
                              const struct dcerpc_syntax_id *transfer,
                              uint16_t max_xmit_frag, uint16_t max_recv_frag,
                              uint8_t *buf, size_t cap, size_t *out_len)
{
    uint8_t *p;

    if (!abstract || !transfer || !buf || !out_len)
        return ERROR_INVALID_PARAMETER;
    if (cap < DCERPC_BIND_LEN)
        return ERROR_INSUFFICIENT_BUFFER;
    put_hdr(buf, ptype, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG,
            DCERPC_BIND_LEN, call_id);
    p = buf + DCERPC_HDR_LEN;
    /* C706 12.6.4.3 rpcconn_bind_hdr_t */
    put_u16(p, max_xmit_frag);
    put_u16(p + 2, max_recv_frag);
    put_u32(p + 4, 0); /* assoc_group_id: 0 asks for a new group */
    /* p_cont_list_t: n_context_elem, reserved, reserved2 */
    p[8] = 1;
    p[9] = 0;
    put_u16(p + 10, 0);
    /* p_cont_elem_t: p_cont_id, n_transfer_syn, reserved, syntaxes */
    put_u16(p + 12, 0);
    p[14] = 1;
    p[15] = 0;
    put_syntax(p + 16, abstract);
    put_syntax(p + 36, transfer);
    *out_len = DCERPC_BIND_LEN;
    return NO_ERROR;
}

DWORD dcerpc_encode_bind(uint32_t call_id,
                         const struct dcerpc_syntax_id *abstract,
                         const struct dcerpc_syntax_id *transfer,
                         uint16_t max_xmit_frag, uint16_t max_recv_frag,
                         uint8_t *buf, size_t cap, size_t *out_len)
{
    return encode_bind_like(DCERPC_PKT_BIND, call_id, abstract, transfer,
                            max_xmit_frag, max_recv_frag, buf, cap, out_len);
}

/* alter_context has the bind's layout (C706 12.6.4.1). */
DWORD dcerpc_encode_alter_context(uint32_t call_id,
                                  const struct dcerpc_syntax_id *abstract,
                                  const struct dcerpc_syntax_id *transfer,
                                  uint16_t max_xmit_frag,
                                  uint16_t max_recv_frag, uint8_t *buf,
                                  size_t cap, size_t *out_len)
{
    return encode_bind_like(DCERPC_PKT_ALTER_CONTEXT, call_id, abstract,
                            transfer, max_xmit_frag, max_recv_frag, buf, cap,
                            out_len);
}

DWORD dcerpc_encode_request(uint32_t call_id, uint8_t pfc_flags,
                            uint32_t alloc_hint, uint16_t p_cont_id,
                            uint16_t opnum, const uint8_t *stub,
                            size_t stub_len, uint8_t *buf, size_t cap,
                            size_t *out_len)
{
    size_t total;

    if (!buf || !out_len || (!stub && stub_len))
        return ERROR_INVALID_PARAMETER;
    /* We never send an object UUID, so that flag would lie about the
     * layout (C706 12.6.4.9). */
    if (pfc_flags & DCERPC_PFC_OBJECT_UUID)
        return ERROR_INVALID_PARAMETER;
    if (stub_len > UINT16_MAX - DCERPC_REQUEST_HDR_LEN)
        return ERROR_INVALID_PARAMETER;
    total = DCERPC_REQUEST_HDR_LEN + stub_len;
    if (cap < total)
        return ERROR_INSUFFICIENT_BUFFER;
    put_hdr(buf, DCERPC_PKT_REQUEST, pfc_flags, (uint16_t)total, call_id);
    /* C706 12.6.4.9 rpcconn_request_hdr_t */
    put_u32(buf + 16, alloc_hint);
    put_u16(buf + 20, p_cont_id);
    put_u16(buf + 22, opnum);
    if (stub_len)
        memcpy(buf + DCERPC_REQUEST_HDR_LEN, stub, stub_len);
    *out_len = total;
    return NO_ERROR;
}

/* Common checks for a received PDU: a valid header of the expected type, a
 * frag_length the buffer really holds and that covers the fixed part.  Sets
 * *body_end to where the authentication trailer (if any) starts. */
static DWORD decode_pdu_start(const uint8_t *pdu, size_t len, uint8_t ptype,
                              size_t fixed_len, struct dcerpc_hdr *hdr,
                              size_t *body_end)
{
    DWORD rc = dcerpc_decode_hdr(pdu, len, hdr);

    if (rc != NO_ERROR)
        return rc;
    if (hdr->ptype != ptype)
        return RPC_S_PROTOCOL_ERROR;
    if (hdr->frag_length > len)
        return RPC_S_PROTOCOL_ERROR;
    *body_end = hdr->frag_length;
    if (hdr->auth_length)
        *body_end -= (size_t)hdr->auth_length + DCERPC_SEC_TRAILER_LEN;
    if (*body_end < fixed_len)
        return RPC_S_PROTOCOL_ERROR;
    return NO_ERROR;
}

static DWORD decode_ack_like(uint8_t ptype, const uint8_t *pdu, size_t len,
                             struct dcerpc_bind_ack *out)
{
    struct dcerpc_bind_ack a;
    size_t end, off;
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    memset(&a, 0, sizeof(a));
    /* C706 12.6.4.4 rpcconn_bind_ack_hdr_t: max_xmit_frag, max_recv_frag,
     * assoc_group_id, sec_addr (port_any_t: u16 length + bytes), pad to a
     * 4-byte boundary, p_result_list_t. */
    rc = decode_pdu_start(pdu, len, ptype, DCERPC_HDR_LEN + 10, &a.hdr, &end);
    if (rc != NO_ERROR)
        return rc;
    a.max_xmit_frag = get_u16(pdu + 16);
    a.max_recv_frag = get_u16(pdu + 18);
    a.assoc_group_id = get_u32(pdu + 20);
    a.sec_addr_len = get_u16(pdu + 24);
    off = 26;
    if (a.sec_addr_len > end - off)
        return RPC_S_PROTOCOL_ERROR;
    if (a.sec_addr_len) {
        /* port_spec is a NUL-terminated string (C706 12.6.3.1). */
        if (pdu[off + a.sec_addr_len - 1] != 0)
            return RPC_S_PROTOCOL_ERROR;
        a.sec_addr = pdu + off;
    }
    off += a.sec_addr_len;
    off += (4 - off % 4) % 4; /* the pad the sender inserted */
    if (off > end || end - off < 4)
        return RPC_S_PROTOCOL_ERROR;
    a.n_results = pdu[off];
    off += 4; /* n_results, reserved, reserved2 */
    if (a.n_results == 0 || (size_t)a.n_results * 24 > end - off)
        return RPC_S_PROTOCOL_ERROR;
    /* p_result_t: result, reason, transfer_syntax (24 bytes each); we
     * proposed one context, so the first result is the one that counts. */
    a.result.result = get_u16(pdu + off);
    a.result.reason = get_u16(pdu + off + 2);
    get_syntax(pdu + off + 4, &a.result.transfer_syntax);
    *out = a;
    return NO_ERROR;
}

DWORD dcerpc_decode_bind_ack(const uint8_t *pdu, size_t len,
                             struct dcerpc_bind_ack *out)
{
    return decode_ack_like(DCERPC_PKT_BIND_ACK, pdu, len, out);
}

/* alter_context_resp has the bind_ack's layout (C706 12.6.4.2). */
DWORD dcerpc_decode_alter_context_resp(const uint8_t *pdu, size_t len,
                                       struct dcerpc_bind_ack *out)
{
    return decode_ack_like(DCERPC_PKT_ALTER_CONTEXT_RESP, pdu, len, out);
}

DWORD dcerpc_decode_bind_nak(const uint8_t *pdu, size_t len,
                             struct dcerpc_bind_nak *out)
{
    struct dcerpc_bind_nak n;
    size_t end;
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    memset(&n, 0, sizeof(n));
    /* C706 12.6.4.5 rpcconn_bind_nak_hdr_t: provider_reject_reason, then
     * p_rt_versions_supported_t (u8 count, count x {major, minor}).  Some
     * servers stop after the reason; anything after the list (MS-RPCE's
     * signature and extended error) is not ours to check. */
    rc = decode_pdu_start(pdu, len, DCERPC_PKT_BIND_NAK, DCERPC_HDR_LEN + 2,
                          &n.hdr, &end);
    if (rc != NO_ERROR)
        return rc;
    n.reject_reason = get_u16(pdu + 16);
    if (end > 18) {
        n.n_versions = pdu[18];
        if ((size_t)n.n_versions * 2 > end - 19)
            return RPC_S_PROTOCOL_ERROR;
    }
    *out = n;
    return NO_ERROR;
}

DWORD dcerpc_decode_response(const uint8_t *pdu, size_t len,
                             struct dcerpc_response *out)
{
    struct dcerpc_response r;
    size_t end;
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    memset(&r, 0, sizeof(r));
    /* C706 12.6.4.10 rpcconn_response_hdr_t: alloc_hint, p_cont_id,
     * cancel_count, reserved, then the stub. */
    rc = decode_pdu_start(pdu, len, DCERPC_PKT_RESPONSE,
                          DCERPC_RESPONSE_HDR_LEN, &r.hdr, &end);
    if (rc != NO_ERROR)
        return rc;
    r.alloc_hint = get_u32(pdu + 16);
    r.p_cont_id = get_u16(pdu + 20);
    r.cancel_count = pdu[22];
    r.stub = pdu + DCERPC_RESPONSE_HDR_LEN;
    r.stub_len = end - DCERPC_RESPONSE_HDR_LEN;
    if (r.hdr.auth_length) {
        /* sec_trailer.auth_pad_length counts padding at the end of the stub
         * (MS-RPCE 2.2.2.11); it must lie inside the stub. */
        uint8_t pad = pdu[end + 2];

        if (pad > r.stub_len)
            return RPC_S_PROTOCOL_ERROR;
        r.stub_len -= pad;
    }
    *out = r;
    return NO_ERROR;
}

DWORD dcerpc_decode_fault(const uint8_t *pdu, size_t len,
                          struct dcerpc_fault *out)
{
    struct dcerpc_fault f;
    size_t end;
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    memset(&f, 0, sizeof(f));
    /* C706 12.6.4.7 rpcconn_fault_hdr_t: alloc_hint, p_cont_id,
     * cancel_count, reserved, status, reserved2 (MS-RPCE 2.2.2.8: the
     * status field alone carries the error).  reserved2 is not required:
     * impacket's DCERPCServer ends its faults after status. */
    rc = decode_pdu_start(pdu, len, DCERPC_PKT_FAULT, DCERPC_FAULT_MIN_LEN,
                          &f.hdr, &end);
    if (rc != NO_ERROR)
        return rc;
    f.alloc_hint = get_u32(pdu + 16);
    f.p_cont_id = get_u16(pdu + 20);
    f.cancel_count = pdu[22];
    f.status = get_u32(pdu + 24);
    *out = f;
    return NO_ERROR;
}

DWORD dcerpc_append_auth(uint8_t *buf, size_t cap, size_t *len, size_t pad,
                         const struct dcerpc_auth *a, const uint8_t *value,
                         size_t value_len)
{
    size_t total;
    uint8_t *p;

    if (!buf || !len || !a || *len < DCERPC_HDR_LEN || pad > UINT8_MAX ||
        value_len > UINT16_MAX)
        return ERROR_INVALID_PARAMETER;
    total = *len + pad + DCERPC_SEC_TRAILER_LEN + value_len;
    if (total > UINT16_MAX)
        return ERROR_INVALID_PARAMETER;
    if (total > cap)
        return ERROR_INSUFFICIENT_BUFFER;
    p = buf + *len;
    memset(p, 0, pad);
    p += pad;
    /* MS-RPCE 2.2.2.11: auth_type, auth_level, auth_pad_length,
     * auth_reserved, auth_context_id. */
    p[0] = a->auth_type;
    p[1] = a->auth_level;
    p[2] = (uint8_t)pad;
    p[3] = 0;
    put_u32(p + 4, a->auth_context_id);
    p += DCERPC_SEC_TRAILER_LEN;
    if (value)
        memcpy(p, value, value_len);
    else
        memset(p, 0, value_len);
    put_u16(buf + 8, (uint16_t)total);
    put_u16(buf + 10, (uint16_t)value_len);
    *len = total;
    return NO_ERROR;
}

DWORD dcerpc_encode_auth3(uint32_t call_id, uint8_t *buf, size_t cap,
                          size_t *out_len)
{
    if (!buf || !out_len)
        return ERROR_INVALID_PARAMETER;
    if (cap < DCERPC_AUTH3_HDR_LEN)
        return ERROR_INSUFFICIENT_BUFFER;
    put_hdr(buf, DCERPC_PKT_AUTH3, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG,
            DCERPC_AUTH3_HDR_LEN, call_id);
    /* MS-RPCE 2.2.2.10: four bytes of padding (where C706 keeps the frag
     * sizes); Windows sends zeros. */
    memset(buf + DCERPC_HDR_LEN, 0, 4);
    *out_len = DCERPC_AUTH3_HDR_LEN;
    return NO_ERROR;
}

DWORD dcerpc_decode_auth(const uint8_t *pdu, size_t len,
                         const struct dcerpc_hdr *hdr, size_t body_start,
                         struct dcerpc_auth *out)
{
    size_t off;

    if (!pdu || !hdr || !out)
        return ERROR_INVALID_PARAMETER;
    /* dcerpc_decode_hdr checked that trailer and value fit frag_length. */
    if (hdr->auth_length == 0 || hdr->frag_length > len)
        return RPC_S_PROTOCOL_ERROR;
    off = (size_t)hdr->frag_length - hdr->auth_length - DCERPC_SEC_TRAILER_LEN;
    if (off < body_start)
        return RPC_S_PROTOCOL_ERROR;
    out->auth_type = pdu[off];
    out->auth_level = pdu[off + 1];
    out->auth_pad_length = pdu[off + 2];
    out->auth_context_id = get_u32(pdu + off + 4);
    if (out->auth_pad_length > off - body_start)
        return RPC_S_PROTOCOL_ERROR;
    out->trailer_off = off;
    out->value = pdu + off + DCERPC_SEC_TRAILER_LEN;
    out->value_len = hdr->auth_length;
    return NO_ERROR;
}
