/* spnego.c - SPNEGO tokens around NTLMSSP (RFC 4178; MS-SPNG), in DER
 * (ITU-T X.690 clause 10) by hand: the structures are three levels deep and
 * we build or accept only the few forms listed in spnego_priv.h. */
#include "spnego_priv.h"

#include <stdlib.h>
#include <string.h>

#include "detail_priv.h"

/* DER tags. */
#define DER_OCTET_STRING 0x04u
#define DER_OID 0x06u
#define DER_ENUMERATED 0x0au
#define DER_SEQUENCE 0x30u
#define DER_APPLICATION_0 0x60u
#define DER_CONTEXT(n) (0xa0u + (n))

/* 1.3.6.1.5.5.2 (SPNEGO) and 1.3.6.1.4.1.311.2.2.10 (NTLMSSP), encoded. */
static const uint8_t oid_spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
static const uint8_t oid_ntlmssp[] = {0x2b, 0x06, 0x01, 0x04, 0x01,
                                      0x82, 0x37, 0x02, 0x02, 0x0a};

/* Our tokens fit in 64 KiB (a DCE/RPC PDU is at most that). */
#define SPNEGO_MAX 65535u

/* Bytes of a DER length field for n. */
static size_t len_size(size_t n)
{
    return n < 0x80 ? 1 : n < 0x100 ? 2 : 3;
}

/* Write tag + length of a TLV with n content bytes; returns the header
 * size. */
static size_t put_hdr(uint8_t *p, uint8_t tag, size_t n)
{
    p[0] = tag;
    if (n < 0x80) {
        p[1] = (uint8_t)n;
        return 2;
    }
    if (n < 0x100) {
        p[1] = 0x81;
        p[2] = (uint8_t)n;
        return 3;
    }
    p[1] = 0x82;
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    return 4;
}

static size_t tlv_size(size_t n)
{
    return 1 + len_size(n) + n;
}

DWORD spnego_wrap_init(const uint8_t *tok, size_t tok_len, uint8_t **out,
                       size_t *out_len)
{
    size_t mech_list, mech_types, mech_token, seq, init, total, off = 0;
    uint8_t *m;

    if ((!tok && tok_len) || !out || !out_len || tok_len > SPNEGO_MAX)
        return ERROR_INVALID_PARAMETER;
    /* MechTypeList ::= SEQUENCE OF OID; NegTokenInit ::= SEQUENCE {
     * [0] mechTypes, [2] mechToken OCTET STRING }. */
    mech_list = tlv_size(sizeof(oid_ntlmssp));
    mech_types = tlv_size(tlv_size(mech_list));
    mech_token = tlv_size(tlv_size(tok_len));
    seq = tlv_size(mech_types + mech_token);
    init = tlv_size(seq);
    total = tlv_size(tlv_size(sizeof(oid_spnego)) + init);
    if (total > SPNEGO_MAX)
        return ERROR_INVALID_PARAMETER;
    m = malloc(total);
    if (!m)
        return ERROR_NOT_ENOUGH_MEMORY;
    off += put_hdr(m + off, DER_APPLICATION_0,
                   tlv_size(sizeof(oid_spnego)) + init);
    off += put_hdr(m + off, DER_OID, sizeof(oid_spnego));
    memcpy(m + off, oid_spnego, sizeof(oid_spnego));
    off += sizeof(oid_spnego);
    off += put_hdr(m + off, DER_CONTEXT(0), seq);
    off += put_hdr(m + off, DER_SEQUENCE, mech_types + mech_token);
    off += put_hdr(m + off, DER_CONTEXT(0), tlv_size(mech_list));
    off += put_hdr(m + off, DER_SEQUENCE, mech_list);
    off += put_hdr(m + off, DER_OID, sizeof(oid_ntlmssp));
    memcpy(m + off, oid_ntlmssp, sizeof(oid_ntlmssp));
    off += sizeof(oid_ntlmssp);
    off += put_hdr(m + off, DER_CONTEXT(2), tlv_size(tok_len));
    off += put_hdr(m + off, DER_OCTET_STRING, tok_len);
    if (tok_len)
        memcpy(m + off, tok, tok_len);
    off += tok_len;
    *out = m;
    *out_len = off;
    return NO_ERROR;
}

DWORD spnego_wrap_resp(const uint8_t *tok, size_t tok_len, uint8_t **out,
                       size_t *out_len)
{
    size_t resp_tok, seq, total, off = 0;
    uint8_t *m;

    if ((!tok && tok_len) || !out || !out_len || tok_len > SPNEGO_MAX)
        return ERROR_INVALID_PARAMETER;
    /* NegotiationToken ::= CHOICE { ..., negTokenResp [1] NegTokenResp };
     * NegTokenResp ::= SEQUENCE { ..., [2] responseToken OCTET STRING }. */
    resp_tok = tlv_size(tlv_size(tok_len));
    seq = tlv_size(resp_tok);
    total = tlv_size(seq);
    if (total > SPNEGO_MAX)
        return ERROR_INVALID_PARAMETER;
    m = malloc(total);
    if (!m)
        return ERROR_NOT_ENOUGH_MEMORY;
    off += put_hdr(m + off, DER_CONTEXT(1), seq);
    off += put_hdr(m + off, DER_SEQUENCE, resp_tok);
    off += put_hdr(m + off, DER_CONTEXT(2), tlv_size(tok_len));
    off += put_hdr(m + off, DER_OCTET_STRING, tok_len);
    if (tok_len)
        memcpy(m + off, tok, tok_len);
    off += tok_len;
    *out = m;
    *out_len = off;
    return NO_ERROR;
}

/* Read one TLV at in[*off..end): its tag must be tag; *c, *clen: its
 * contents.  DER: definite length, minimal encoding (X.690 10.1). */
static int get_tlv(const uint8_t *in, size_t end, size_t *off, uint8_t tag,
                   const uint8_t **c, size_t *clen)
{
    size_t p = *off, n;

    if (end - p < 2 || in[p] != tag)
        return 0;
    p++;
    if (in[p] < 0x80) {
        n = in[p++];
    } else if (in[p] == 0x81) {
        if (end - p < 2 || in[p + 1] < 0x80)
            return 0;
        n = in[p + 1];
        p += 2;
    } else if (in[p] == 0x82) {
        if (end - p < 3 || in[p + 1] == 0)
            return 0;
        n = (size_t)in[p + 1] << 8 | in[p + 2];
        p += 3;
    } else {
        return 0; /* indefinite (0x80) or longer than we ever need */
    }
    if (n > end - p)
        return 0;
    *c = in + p;
    *clen = n;
    *off = p + n;
    return 1;
}

/* Is the next TLV at in[off] of this tag? */
static int next_is(const uint8_t *in, size_t end, size_t off, uint8_t tag)
{
    return off < end && in[off] == tag;
}

static DWORD resp_error(const char *why)
{
    detail_set("malformed SPNEGO NegTokenResp from the server: %s", why);
    return RPC_S_PROTOCOL_ERROR;
}

DWORD spnego_parse_resp(const uint8_t *in, size_t len, struct spnego_resp *out)
{
    const uint8_t *c, *s, *v;
    size_t clen, slen, vlen, off = 0, soff = 0, voff;

    if (!out || (!in && len))
        return ERROR_INVALID_PARAMETER;
    memset(out, 0, sizeof(*out));
    out->neg_state = SPNEGO_NEG_STATE_ABSENT;
    if (!get_tlv(in, len, &off, DER_CONTEXT(1), &c, &clen) || off != len)
        return resp_error("not a negTokenResp");
    off = 0;
    if (!get_tlv(c, clen, &off, DER_SEQUENCE, &s, &slen) || off != clen)
        return resp_error("no SEQUENCE");
    /* [0] negState ENUMERATED */
    if (next_is(s, slen, soff, DER_CONTEXT(0))) {
        if (!get_tlv(s, slen, &soff, DER_CONTEXT(0), &v, &vlen))
            return resp_error("bad negState");
        voff = 0;
        if (!get_tlv(v, vlen, &voff, DER_ENUMERATED, &c, &clen) ||
            voff != vlen || clen != 1 || c[0] > SPNEGO_REQUEST_MIC)
            return resp_error("bad negState");
        out->neg_state = c[0];
    }
    /* [1] supportedMech OID */
    if (next_is(s, slen, soff, DER_CONTEXT(1))) {
        if (!get_tlv(s, slen, &soff, DER_CONTEXT(1), &v, &vlen))
            return resp_error("bad supportedMech");
        voff = 0;
        if (!get_tlv(v, vlen, &voff, DER_OID, &c, &clen) || voff != vlen ||
            clen == 0)
            return resp_error("bad supportedMech");
        out->has_mech = 1;
        out->mech_is_ntlmssp =
            clen == sizeof(oid_ntlmssp) && memcmp(c, oid_ntlmssp, clen) == 0;
    }
    /* [2] responseToken OCTET STRING */
    if (next_is(s, slen, soff, DER_CONTEXT(2))) {
        if (!get_tlv(s, slen, &soff, DER_CONTEXT(2), &v, &vlen))
            return resp_error("bad responseToken");
        voff = 0;
        if (!get_tlv(v, vlen, &voff, DER_OCTET_STRING, &c, &clen) ||
            voff != vlen)
            return resp_error("bad responseToken");
        out->token = c;
        out->token_len = clen;
    }
    /* [3] mechListMIC OCTET STRING */
    if (next_is(s, slen, soff, DER_CONTEXT(3))) {
        if (!get_tlv(s, slen, &soff, DER_CONTEXT(3), &v, &vlen))
            return resp_error("bad mechListMIC");
        voff = 0;
        if (!get_tlv(v, vlen, &voff, DER_OCTET_STRING, &c, &clen) ||
            voff != vlen)
            return resp_error("bad mechListMIC");
        out->has_mic = 1;
    }
    /* Fields come in tag order, once each, and nothing else follows. */
    if (soff != slen)
        return resp_error("unexpected or out-of-order field");
    return NO_ERROR;
}
