/* rpc_client.c - a DCE/RPC client association over an mpr_pipe: bind once,
 * then calls with request fragmentation and response reassembly (C706
 * ch. 12, MS-RPCE 3.3.1).  No authentication at the RPC level: over a named
 * pipe the SMB session carries the caller's identity (MS-RRASM 2.1.1.1). */
#include "rpc_priv.h"

#include <stdlib.h>
#include <string.h>

#include "detail_priv.h"

/* A server that streams fragments forever must not keep us reading forever:
 * RPC_MAX_RESPONSE bounds the bytes, this bounds fragments that carry few
 * or no bytes.  At the smallest legal fragment size (1432) a full
 * RPC_MAX_RESPONSE needs 746 fragments. */
#define RPC_MAX_FRAGMENTS 2048u

/* The first buffer for a response is sized from alloc_hint, which the peer
 * chooses; it is only a hint, so never trust it beyond this. */
#define RPC_ALLOC_HINT_CAP (64u * 1024u)

/* Our presentation context id: we offer exactly one. */
#define RPC_CONTEXT_ID 0u

const struct dcerpc_syntax_id rpc_iface_dimsvc = {
    {{0x00, 0xf0, 0x09, 0x8f, 0xed, 0xb7, 0xce, 0x11, 0xbb, 0xd2, 0x00, 0x00,
      0x1a, 0x18, 0x1c, 0xad}},
    0,
    0};

const struct dcerpc_syntax_id rpc_iface_svcctl = {
    {{0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35, 0xad, 0x32, 0x98, 0xf0,
      0x38, 0x00, 0x10, 0x03}},
    2,
    0};

const struct dcerpc_syntax_id rpc_syntax_ndr = {
    {{0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00,
      0x2b, 0x10, 0x48, 0x60}},
    2,
    0};

/* One association; calls on it must not overlap (the caller serializes). */
struct rpc_conn {
    struct mpr_pipe *pipe;
    uint32_t next_call_id;
    uint16_t max_xmit_frag; /* largest fragment we send (negotiated) */
    /* Set after a transport or protocol failure: the byte stream may be
     * mid-PDU, so no later call can trust what it reads. */
    int broken;
    /* One fragment in or out; we never accept more than we offered. */
    uint8_t frag[DCERPC_MAX_FRAG_DEFAULT];
};

/* Read one PDU into c->frag: the 16-byte header first, then exactly the
 * rest of frag_length (a larger read on a libsmbclient pipe blocks until
 * the timeout). */
static DWORD rpc_read_pdu(struct rpc_conn *c, struct dcerpc_hdr *hdr)
{
    DWORD rc;

    rc = pipe_read_exact(c->pipe, c->frag, DCERPC_HDR_LEN);
    if (rc != NO_ERROR)
        return rc;
    rc = dcerpc_decode_hdr(c->frag, DCERPC_HDR_LEN, hdr);
    if (rc != NO_ERROR) {
        detail_set("malformed DCE/RPC header from the server (version %u.%u, "
                   "data representation %02x %02x, frag_length %u)",
                   c->frag[0], c->frag[1], c->frag[4], c->frag[5],
                   (unsigned)(c->frag[8] | c->frag[9] << 8));
        return rc;
    }
    /* C706 12.6.3.1: the peer must not exceed the max_recv_frag we offered
     * in the bind. */
    if (hdr->frag_length > sizeof(c->frag)) {
        detail_set("server sent a %u-byte fragment; we accept at most %zu",
                   hdr->frag_length, sizeof(c->frag));
        return RPC_S_PROTOCOL_ERROR;
    }
    if (hdr->frag_length == DCERPC_HDR_LEN)
        return NO_ERROR;
    return pipe_read_exact(c->pipe, c->frag + DCERPC_HDR_LEN,
                           hdr->frag_length - DCERPC_HDR_LEN);
}

static DWORD rpc_check_bind_ack(struct rpc_conn *c, uint32_t call_id)
{
    struct dcerpc_bind_ack ack;
    DWORD rc;

    rc = dcerpc_decode_bind_ack(c->frag, sizeof(c->frag), &ack);
    if (rc != NO_ERROR) {
        detail_set("malformed bind_ack from the server");
        return rc;
    }
    if (ack.hdr.call_id != call_id) {
        detail_set("bind_ack for call %u, expected %u", ack.hdr.call_id,
                   call_id);
        return RPC_S_PROTOCOL_ERROR;
    }
    switch (ack.result.result) {
    case DCERPC_BIND_ACCEPTANCE:
        break;
    case DCERPC_BIND_USER_REJECTION:
    case DCERPC_BIND_PROVIDER_REJECTION:
        /* The interface or NDR is not served here (C706 12.6.3.1 reasons
         * 1 and 2; Windows and Samba answer provider_rejection). */
        detail_set("bind rejected (result %u, reason %u%s)", ack.result.result,
                   ack.result.reason,
                   ack.result.reason ==
                           DCERPC_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED
                       ? ": interface not served on this pipe"
                       : "");
        return RPC_S_UNKNOWN_IF;
    default:
        /* negotiate_ack answers a bind-time feature offer we never made
         * (MS-RPCE 3.3.1.5.3). */
        detail_set("bind_ack with unexpected result %u", ack.result.result);
        return RPC_S_PROTOCOL_ERROR;
    }
    if (!dcerpc_syntax_equal(&ack.result.transfer_syntax, &rpc_syntax_ndr)) {
        detail_set("server accepted a transfer syntax we did not offer");
        return RPC_S_PROTOCOL_ERROR;
    }
    /* The server's receive limit bounds what we send; one below C706's
     * MUST_RECV_FRAG_SIZE could not carry a request. */
    if (ack.max_recv_frag < DCERPC_MIN_FRAG) {
        detail_set("server max_recv_frag %u is below the minimum %u",
                   ack.max_recv_frag, DCERPC_MIN_FRAG);
        return RPC_S_PROTOCOL_ERROR;
    }
    c->max_xmit_frag = ack.max_recv_frag < DCERPC_MAX_FRAG_DEFAULT
                           ? ack.max_recv_frag
                           : (uint16_t)DCERPC_MAX_FRAG_DEFAULT;
    return NO_ERROR;
}

static DWORD rpc_check_bind_nak(struct rpc_conn *c, uint32_t call_id)
{
    struct dcerpc_bind_nak nak;
    DWORD rc;

    rc = dcerpc_decode_bind_nak(c->frag, sizeof(c->frag), &nak);
    if (rc != NO_ERROR) {
        detail_set("malformed bind_nak from the server");
        return rc;
    }
    if (nak.hdr.call_id != call_id) {
        detail_set("bind_nak for call %u, expected %u", nak.hdr.call_id,
                   call_id);
        return RPC_S_PROTOCOL_ERROR;
    }
    detail_set("bind refused with bind_nak, reason %u", nak.reject_reason);
    switch (nak.reject_reason) {
    case DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED:
    case DCERPC_NAK_INVALID_CHECKSUM:
        /* MS-RPCE 2.2.2.5: the security layer refused us. */
        return ERROR_ACCESS_DENIED;
    default:
        return RPC_S_UNKNOWN_IF;
    }
}

static DWORD rpc_unexpected(uint8_t ptype, const char *answering)
{
    detail_set("unexpected DCE/RPC PDU type %u in answer to a %s", ptype,
               answering);
    return RPC_S_PROTOCOL_ERROR;
}

DWORD rpc_bind(struct mpr_pipe *pipe, const struct dcerpc_syntax_id *iface,
               struct rpc_conn **out)
{
    const uint32_t call_id = 1;
    struct dcerpc_hdr hdr;
    struct rpc_conn *c;
    size_t len;
    DWORD rc;

    if (!pipe)
        return ERROR_INVALID_PARAMETER;
    if (!iface || !out) {
        pipe_close(pipe);
        return ERROR_INVALID_PARAMETER;
    }
    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (!c) {
        pipe_close(pipe);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    c->pipe = pipe;
    c->next_call_id = call_id + 1;

    rc = dcerpc_encode_bind(call_id, iface, &rpc_syntax_ndr,
                            DCERPC_MAX_FRAG_DEFAULT, DCERPC_MAX_FRAG_DEFAULT,
                            c->frag, sizeof(c->frag), &len);
    if (rc == NO_ERROR)
        rc = pipe_write_all(c->pipe, c->frag, len);
    if (rc == NO_ERROR)
        rc = rpc_read_pdu(c, &hdr);
    if (rc == NO_ERROR) {
        if (hdr.ptype == DCERPC_PKT_BIND_ACK)
            rc = rpc_check_bind_ack(c, call_id);
        else if (hdr.ptype == DCERPC_PKT_BIND_NAK)
            rc = rpc_check_bind_nak(c, call_id);
        else
            rc = rpc_unexpected(hdr.ptype, "bind");
    }
    if (rc != NO_ERROR) {
        rpc_close(c);
        return rc;
    }
    *out = c;
    return NO_ERROR;
}

/*
 * Fault status -> Windows code, per MS-RPCE 3.1.1.5.5 where our public
 * header has the code, else the nearest one we have:
 *
 *   nca_unk_if            0x1c010003 -> RPC_S_UNKNOWN_IF            1717
 *   nca_op_rng_error      0x1c010002 -> RPC_S_PROCNUM_OUT_OF_RANGE  1745
 *   nca_proto_error       0x1c01000b -> RPC_S_PROTOCOL_ERROR        1728
 *   nca_rpc_version_mismatch
 *                         0x1c000008 -> RPC_S_PROTOCOL_ERROR        1728
 *   nca_s_fault_cancel    0x1c00000d -> RPC_S_CALL_CANCELLED        1818
 *   nca_s_fault_invalid_tag / _invalid_bound (NDR the server could not
 *                         unmarshal)  -> RPC_X_BAD_STUB_DATA         1783
 *   nca_s_fault_context_mismatch
 *                         0x1c00001a -> ERROR_INVALID_HANDLE           6
 *                                       (RPC_X_SS_CONTEXT_MISMATCH is 6)
 *   any other 0x1c...... (nca_*)     -> RPC_S_CALL_FAILED           1726
 *   0 (MS-RPCE 3.3.3.5.1: a server MUST NOT send it)
 *                                    -> RPC_S_PROTOCOL_ERROR        1728
 *   1..0xffff: already a Win32 code, passed through; this covers access
 *              denied (5, MS-RPCE 3.2.3.5.1) and nca_s_fault_ndr
 *              (0x6f7 = RPC_X_BAD_STUB_DATA)
 *   anything else (NTSTATUS, HRESULT) -> RPC_S_CALL_FAILED          1726
 */
static DWORD rpc_fault_to_win32(uint32_t status)
{
    switch (status) {
    case DCERPC_NCA_UNK_IF:
        return RPC_S_UNKNOWN_IF;
    case DCERPC_NCA_OP_RNG_ERROR:
        return RPC_S_PROCNUM_OUT_OF_RANGE;
    case DCERPC_NCA_PROTO_ERROR:
    case DCERPC_NCA_RPC_VERSION_MISMATCH:
        return RPC_S_PROTOCOL_ERROR;
    case DCERPC_NCA_S_FAULT_CANCEL:
        return RPC_S_CALL_CANCELLED;
    case DCERPC_NCA_S_FAULT_INVALID_TAG:
    case DCERPC_NCA_S_FAULT_INVALID_BOUND:
        return RPC_X_BAD_STUB_DATA;
    case DCERPC_NCA_S_FAULT_CONTEXT_MISMATCH:
        return ERROR_INVALID_HANDLE;
    case 0:
        return RPC_S_PROTOCOL_ERROR;
    default:
        break;
    }
    if (status <= 0xffffu)
        return status;
    return RPC_S_CALL_FAILED;
}

static DWORD rpc_send_request(struct rpc_conn *c, uint32_t call_id,
                              uint16_t opnum, const uint8_t *req,
                              size_t req_len)
{
    /* Stub bytes per fragment: what fits after the request header, kept a
     * multiple of 8 so no NDR primitive straddles two fragments. */
    size_t chunk =
        ((size_t)c->max_xmit_frag - DCERPC_REQUEST_HDR_LEN) & ~(size_t)7;
    size_t off = 0;

    do {
        size_t n = req_len - off < chunk ? req_len - off : chunk;
        uint8_t flags = 0;
        size_t len;
        DWORD rc;

        if (off == 0)
            flags |= DCERPC_PFC_FIRST_FRAG;
        if (off + n == req_len)
            flags |= DCERPC_PFC_LAST_FRAG;
        /* alloc_hint: the stub bytes still to come, this fragment's
         * included (C706 12.6.3.1). */
        rc = dcerpc_encode_request(call_id, flags, (uint32_t)(req_len - off),
                                   RPC_CONTEXT_ID, opnum, req ? req + off : req,
                                   n, c->frag, sizeof(c->frag), &len);
        if (rc == NO_ERROR)
            rc = pipe_write_all(c->pipe, c->frag, len);
        if (rc != NO_ERROR)
            return rc;
        off += n;
    } while (off < req_len);
    return NO_ERROR;
}

/* Append a fragment's stub to the growing response buffer. */
static DWORD rpc_append(uint8_t **buf, size_t *cap, size_t *len,
                        const struct dcerpc_response *r)
{
    size_t need;

    if (r->stub_len > RPC_MAX_RESPONSE - *len)
        return RPC_S_PROTOCOL_ERROR;
    need = *len + r->stub_len;
    if (need > *cap) {
        size_t ncap = *cap ? *cap : 4096;
        uint8_t *nbuf;

        if (*len == 0 && r->alloc_hint > ncap)
            ncap = r->alloc_hint < RPC_ALLOC_HINT_CAP ? r->alloc_hint
                                                      : RPC_ALLOC_HINT_CAP;
        while (ncap < need)
            ncap *= 2;
        if (ncap > RPC_MAX_RESPONSE)
            ncap = RPC_MAX_RESPONSE;
        nbuf = realloc(*buf, ncap);
        if (!nbuf)
            return ERROR_NOT_ENOUGH_MEMORY;
        *buf = nbuf;
        *cap = ncap;
    }
    if (r->stub_len)
        memcpy(*buf + *len, r->stub, r->stub_len);
    *len = need;
    return NO_ERROR;
}

/* Read response fragments for call_id until the last one, or a fault. */
static DWORD rpc_recv_response(struct rpc_conn *c, uint32_t call_id,
                               uint8_t **out, size_t *out_len)
{
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    unsigned nfrag;
    DWORD rc;

    for (nfrag = 0;; nfrag++) {
        struct dcerpc_hdr hdr;
        struct dcerpc_response r;
        int first;

        if (nfrag == RPC_MAX_FRAGMENTS) {
            detail_set("response still unfinished after %u fragments", nfrag);
            rc = RPC_S_PROTOCOL_ERROR;
            goto broken;
        }
        rc = rpc_read_pdu(c, &hdr);
        if (rc != NO_ERROR)
            goto broken;
        if (hdr.ptype == DCERPC_PKT_FAULT) {
            struct dcerpc_fault f;

            rc = dcerpc_decode_fault(c->frag, sizeof(c->frag), &f);
            if (rc != NO_ERROR) {
                detail_set("malformed fault PDU from the server");
                goto broken;
            }
            /* A server that could not parse our PDU cannot know its call
             * id and answers with 0. */
            if (f.hdr.call_id != call_id && f.hdr.call_id != 0) {
                detail_set("fault for call %u, expected %u", f.hdr.call_id,
                           call_id);
                rc = RPC_S_PROTOCOL_ERROR;
                goto broken;
            }
            free(buf);
            detail_set("server fault, status 0x%08x", f.status);
            return rpc_fault_to_win32(f.status);
        }
        if (hdr.ptype != DCERPC_PKT_RESPONSE) {
            rc = rpc_unexpected(hdr.ptype, "request");
            goto broken;
        }
        rc = dcerpc_decode_response(c->frag, sizeof(c->frag), &r);
        if (rc != NO_ERROR) {
            detail_set("malformed response PDU from the server");
            goto broken;
        }
        /* Same call, our context, no verifier we never asked for, and the
         * fragments in order. */
        first = (r.hdr.pfc_flags & DCERPC_PFC_FIRST_FRAG) != 0;
        if (r.hdr.call_id != call_id || r.p_cont_id != RPC_CONTEXT_ID ||
            r.hdr.auth_length != 0 || first != (nfrag == 0)) {
            detail_set("response fragment %u out of place (call %u, "
                       "expected %u; context %u; flags 0x%02x; auth %u)",
                       nfrag, r.hdr.call_id, call_id, r.p_cont_id,
                       r.hdr.pfc_flags, r.hdr.auth_length);
            rc = RPC_S_PROTOCOL_ERROR;
            goto broken;
        }
        rc = rpc_append(&buf, &cap, &len, &r);
        if (rc == RPC_S_PROTOCOL_ERROR)
            detail_set("response larger than %u bytes", RPC_MAX_RESPONSE);
        if (rc != NO_ERROR)
            goto broken;
        if (r.hdr.pfc_flags & DCERPC_PFC_LAST_FRAG)
            break;
    }
    *out = buf;
    *out_len = len;
    return NO_ERROR;

broken:
    free(buf);
    c->broken = 1;
    return rc;
}

DWORD rpc_call(struct rpc_conn *c, uint16_t opnum, const uint8_t *req,
               size_t req_len, uint8_t **resp, size_t *resp_len)
{
    uint32_t call_id;
    DWORD rc;

    if (!c || !resp || !resp_len || (!req && req_len) || req_len > UINT32_MAX)
        return ERROR_INVALID_PARAMETER;
    *resp = NULL;
    *resp_len = 0;
    /* The caller should reconnect: the stream is out of step. */
    if (c->broken)
        return RPC_S_CALL_FAILED;
    call_id = c->next_call_id++;
    if (c->next_call_id == 0)
        c->next_call_id = 1;

    rc = rpc_send_request(c, call_id, opnum, req, req_len);
    if (rc != NO_ERROR) {
        c->broken = 1;
        return rc;
    }
    return rpc_recv_response(c, call_id, resp, resp_len);
}

void rpc_close(struct rpc_conn *c)
{
    if (!c)
        return;
    pipe_close(c->pipe);
    free(c);
}
