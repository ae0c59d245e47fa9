/* rpc_client.c - a DCE/RPC client association over an mpr_pipe: bind once,
 * then calls with request fragmentation and response reassembly (C706
 * ch. 12, MS-RPCE 3.3.1).  By default no authentication at the RPC level:
 * over a named pipe the SMB session carries the caller's identity (MS-RRASM
 * 2.1.1.1).  rpc_bind_auth adds NTLMSSP at the connect, integrity or privacy
 * level: a three-leg bind (bind + NEGOTIATE, bind_ack + CHALLENGE, rpc_auth3
 * + AUTHENTICATE, MS-RPCE 3.3.1.5.2) and verifiers from rpc_auth.c. */
#include "rpc_priv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detail_priv.h"
#include "rpc_auth_priv.h"
#include "spnego_priv.h"

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

/* auth_context_id of our one security context (MS-RPCE 2.2.2.11: any value
 * the client picks, the same on every PDU of the association). */
#define RPC_AUTH_CONTEXT_ID 1u

/* The bind (and its rpc_auth3) use call id 1; calls start at 2. */
#define RPC_BIND_CALL_ID 1u

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
    /* RPC-level authentication; auth.ntlm NULL: none.  auth_proven: a
     * response has come since the bind, so the server took our
     * AUTHENTICATE. */
    struct rpc_auth auth;
    int auth_proven;
    /* CLOCK_MONOTONIC milliseconds after which the current call or bind
     * starts no more reads; 0: none (a pipe without a timeout). */
    uint64_t deadline_ms;
    /* One fragment in or out; we never accept more than we offered. */
    uint8_t frag[DCERPC_MAX_FRAG_DEFAULT];
};

static uint64_t rpc_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The pipe's timeout bounds each read; a server that sends a fragment just
 * before each read would time out could still hold one call for
 * RPC_MAX_FRAGMENTS timeouts (and an honest-looking stream of empty
 * fragments takes seconds to reach that cap).  So a whole call, or bind,
 * also has a deadline: the pipe's timeout from its start.  No read begins
 * after it, so a call ends within twice the timeout at most. */
static void rpc_deadline_start(struct rpc_conn *c)
{
    c->deadline_ms =
        c->pipe->timeout_ms ? rpc_now_ms() + c->pipe->timeout_ms : 0;
}

static DWORD rpc_deadline_check(const struct rpc_conn *c)
{
    if (c->deadline_ms == 0 || rpc_now_ms() < c->deadline_ms)
        return NO_ERROR;
    detail_set("no complete answer from the server within the %u ms "
               "timeout",
               c->pipe->timeout_ms);
    return ERROR_TIMEOUT;
}

/* Read one PDU into c->frag: the 16-byte header first, then exactly the
 * rest of frag_length (a larger read on a libsmbclient pipe blocks until
 * the timeout). */
static DWORD rpc_read_pdu(struct rpc_conn *c, struct dcerpc_hdr *hdr)
{
    DWORD rc;

    rc = rpc_deadline_check(c);
    if (rc != NO_ERROR)
        return rc;
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
    rc = rpc_deadline_check(c);
    if (rc != NO_ERROR)
        return rc;
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

/* The NTLMSSP CHALLENGE inside the bind_ack's auth_value: bare for auth
 * type 10; for 9 inside an SPNEGO NegTokenResp, which must accept our
 * NTLMSSP and ask for the next leg (RFC 4178 4.2.2). */
static DWORD rpc_unwrap_challenge(const struct rpc_conn *c,
                                  const struct dcerpc_auth *t,
                                  const uint8_t **chal, size_t *chal_len)
{
    struct spnego_resp r;
    DWORD rc;

    if (c->auth.auth_type == DCERPC_AUTHN_WINNT) {
        *chal = t->value;
        *chal_len = t->value_len;
        return NO_ERROR;
    }
    rc = spnego_parse_resp(t->value, t->value_len, &r);
    if (rc != NO_ERROR)
        return rc;
    if (r.neg_state == SPNEGO_REJECT) {
        detail_set("the server's SPNEGO rejected our NTLMSSP");
        return ERROR_ACCESS_DENIED;
    }
    if (r.neg_state != SPNEGO_ACCEPT_INCOMPLETE || !r.mech_is_ntlmssp ||
        !r.token) {
        detail_set("unexpected SPNEGO answer to our bind (negState %u, "
                   "mechanism %s, %s token)",
                   r.neg_state, r.mech_is_ntlmssp ? "NTLMSSP" : "other/none",
                   r.token ? "with" : "no");
        return RPC_S_PROTOCOL_ERROR;
    }
    *chal = r.token;
    *chal_len = r.token_len;
    return NO_ERROR;
}

static DWORD rpc_fault_to_win32(uint32_t status);

/* The sec_trailer of the PDU in c->frag must be our association's; *t gets
 * it and its auth_value. */
static DWORD rpc_own_trailer(struct rpc_conn *c, const char *pdu_name,
                             struct dcerpc_auth *t)
{
    struct dcerpc_hdr hdr;
    DWORD rc = dcerpc_decode_hdr(c->frag, sizeof(c->frag), &hdr);

    if (rc == NO_ERROR && hdr.auth_length == 0) {
        detail_set("the server answered our authenticated bind with a %s "
                   "without authentication",
                   pdu_name);
        return ERROR_ACCESS_DENIED;
    }
    if (rc == NO_ERROR)
        rc = dcerpc_decode_auth(c->frag, sizeof(c->frag), &hdr, DCERPC_HDR_LEN,
                                t);
    if (rc != NO_ERROR) {
        detail_set("malformed sec_trailer in the %s", pdu_name);
        return rc;
    }
    if (t->auth_type != c->auth.auth_type || t->auth_level != c->auth.level ||
        t->auth_context_id != c->auth.context_id) {
        detail_set("%s sec_trailer does not match our bind (auth type %u "
                   "level %u context %u)",
                   pdu_name, t->auth_type, t->auth_level,
                   (unsigned)t->auth_context_id);
        return RPC_S_PROTOCOL_ERROR;
    }
    return NO_ERROR;
}

/* SPNEGO's last word, in the alter_context_resp: accept-completed, nothing
 * more to process, and no mechListMIC (we sent no NTLMSSP MIC, so none is
 * due, and one we cannot check must not be taken on trust). */
static DWORD rpc_check_spnego_done(struct rpc_conn *c, uint32_t call_id)
{
    struct dcerpc_bind_ack ack;
    struct dcerpc_auth t;
    struct spnego_resp r;
    DWORD rc;

    rc = dcerpc_decode_alter_context_resp(c->frag, sizeof(c->frag), &ack);
    if (rc != NO_ERROR) {
        detail_set("malformed alter_context_resp from the server");
        return rc;
    }
    if (ack.hdr.call_id != call_id ||
        ack.result.result != DCERPC_BIND_ACCEPTANCE) {
        detail_set("alter_context_resp for call %u with result %u",
                   ack.hdr.call_id, ack.result.result);
        return RPC_S_PROTOCOL_ERROR;
    }
    rc = rpc_own_trailer(c, "alter_context_resp", &t);
    if (rc == NO_ERROR)
        rc = spnego_parse_resp(t.value, t.value_len, &r);
    if (rc != NO_ERROR)
        return rc;
    if (r.neg_state == SPNEGO_REJECT) {
        detail_set("the server's SPNEGO rejected our NTLMSSP authentication "
                   "(wrong user name or password?)");
        return ERROR_ACCESS_DENIED;
    }
    if (r.neg_state != SPNEGO_ACCEPT_COMPLETED || r.token_len || r.has_mic) {
        detail_set("unexpected final SPNEGO answer (negState %u, %zu-byte "
                   "token, %s mechListMIC)",
                   r.neg_state, r.token_len, r.has_mic ? "with" : "no");
        return RPC_S_PROTOCOL_ERROR;
    }
    return NO_ERROR;
}

/* SPNEGO's third leg goes in an alter_context, whose answer carries the
 * server's accept-completed (Samba refuses an rpc_auth3 that would leave
 * that token unsent: "GENSEC produced output token ... at AUTH3"). */
static DWORD rpc_bind_alter(struct rpc_conn *c,
                            const struct dcerpc_syntax_id *iface,
                            uint32_t call_id, const struct dcerpc_auth *mine,
                            const uint8_t *tok, size_t tok_len)
{
    struct dcerpc_hdr hdr;
    size_t len;
    DWORD rc;

    rc = dcerpc_encode_alter_context(
        call_id, iface, &rpc_syntax_ndr, DCERPC_MAX_FRAG_DEFAULT,
        DCERPC_MAX_FRAG_DEFAULT, c->frag, sizeof(c->frag), &len);
    if (rc == NO_ERROR)
        rc = dcerpc_append_auth(c->frag, sizeof(c->frag), &len, 0, mine, tok,
                                tok_len);
    if (rc == NO_ERROR)
        rc = pipe_write_all(c->pipe, c->frag, len);
    if (rc == NO_ERROR)
        rc = rpc_read_pdu(c, &hdr);
    if (rc != NO_ERROR)
        return rc;
    if (hdr.ptype == DCERPC_PKT_FAULT) {
        struct dcerpc_fault f;

        rc = dcerpc_decode_fault(c->frag, sizeof(c->frag), &f);
        if (rc != NO_ERROR) {
            detail_set("malformed fault PDU from the server");
            return rc;
        }
        detail_set("the server refused our NTLMSSP authentication (fault "
                   "0x%08x): wrong user name or password, or the account "
                   "may not log on",
                   f.status);
        /* Samba 4.17 answers a wrong password with RPC_S_SEC_PKG_ERROR,
         * Windows with access denied. */
        return f.status == DCERPC_NCA_S_FAULT_ACCESS_DENIED ||
                       f.status == DCERPC_FAULT_SEC_PKG_ERROR
                   ? ERROR_ACCESS_DENIED
                   : rpc_fault_to_win32(f.status);
    }
    if (hdr.ptype != DCERPC_PKT_ALTER_CONTEXT_RESP)
        return rpc_unexpected(hdr.ptype, "alter_context");
    return rpc_check_spnego_done(c, call_id);
}

/* Leg 2 of the authenticated bind: the bind_ack's sec_trailer must be ours,
 * and its auth_value carries the server's CHALLENGE.  Leg 3 carries our
 * AUTHENTICATE: in an rpc_auth3 for bare NTLMSSP (MS-RPCE 3.3.1.5.2; no
 * reply comes to it), in an alter_context for SPNEGO. */
static DWORD rpc_bind_leg3(struct rpc_conn *c,
                           const struct dcerpc_syntax_id *iface,
                           uint32_t call_id)
{
    struct dcerpc_auth t;
    const uint8_t *chal = NULL;
    uint8_t *tok = NULL, *wrapped = NULL;
    size_t tok_len = 0, chal_len = 0, wrapped_len = 0, len;
    DWORD rc;

    rc = rpc_own_trailer(c, "bind_ack", &t);
    if (rc == NO_ERROR)
        rc = rpc_unwrap_challenge(c, &t, &chal, &chal_len);
    if (rc == NO_ERROR)
        rc = ntlmssp_authenticate(c->auth.ntlm, chal, chal_len, &tok, &tok_len);
    if (rc == NO_ERROR && c->auth.auth_type == DCERPC_AUTHN_GSS_NEGOTIATE) {
        rc = spnego_wrap_resp(tok, tok_len, &wrapped, &wrapped_len);
        free(tok);
        tok = wrapped;
        tok_len = wrapped_len;
    }
    if (rc != NO_ERROR) {
        free(tok);
        return rc;
    }
    struct dcerpc_auth mine = {.auth_type = c->auth.auth_type,
                               .auth_level = c->auth.level,
                               .auth_context_id = c->auth.context_id};
    if (c->auth.auth_type == DCERPC_AUTHN_GSS_NEGOTIATE) {
        rc = rpc_bind_alter(c, iface, call_id, &mine, tok, tok_len);
        free(tok);
        if (rc == NO_ERROR)
            c->auth_proven = 1;
        return rc;
    }
    rc = dcerpc_encode_auth3(call_id, c->frag, sizeof(c->frag), &len);
    if (rc == NO_ERROR)
        rc = dcerpc_append_auth(c->frag, sizeof(c->frag), &len, 0, &mine, tok,
                                tok_len);
    free(tok);
    if (rc == NO_ERROR)
        rc = pipe_write_all(c->pipe, c->frag, len);
    return rc;
}

/* Our first token: NTLMSSP NEGOTIATE, wrapped in SPNEGO for auth type 9. */
static DWORD rpc_first_token(struct rpc_conn *c, uint8_t **tok, size_t *tok_len)
{
    uint8_t *raw = NULL;
    size_t raw_len = 0;
    DWORD rc = ntlmssp_negotiate(c->auth.ntlm, &raw, &raw_len);

    if (rc != NO_ERROR || c->auth.auth_type == DCERPC_AUTHN_WINNT) {
        *tok = raw;
        *tok_len = raw_len;
        return rc;
    }
    rc = spnego_wrap_init(raw, raw_len, tok, tok_len);
    free(raw);
    return rc;
}

/* The bind exchange; c->auth.ntlm set: authenticated. */
static DWORD rpc_do_bind(struct rpc_conn *c,
                         const struct dcerpc_syntax_id *iface)
{
    const uint32_t call_id = RPC_BIND_CALL_ID;
    struct dcerpc_hdr hdr;
    size_t len;
    DWORD rc;

    c->next_call_id = call_id + 1;
    rpc_deadline_start(c);
    rc = dcerpc_encode_bind(call_id, iface, &rpc_syntax_ndr,
                            DCERPC_MAX_FRAG_DEFAULT, DCERPC_MAX_FRAG_DEFAULT,
                            c->frag, sizeof(c->frag), &len);
    if (rc == NO_ERROR && c->auth.ntlm) {
        struct dcerpc_auth t = {.auth_type = c->auth.auth_type,
                                .auth_level = c->auth.level,
                                .auth_context_id = c->auth.context_id};
        uint8_t *tok = NULL;
        size_t tok_len = 0;

        rc = rpc_first_token(c, &tok, &tok_len);
        if (rc == NO_ERROR)
            rc = dcerpc_append_auth(c->frag, sizeof(c->frag), &len, 0, &t, tok,
                                    tok_len);
        free(tok);
    }
    if (rc == NO_ERROR)
        rc = pipe_write_all(c->pipe, c->frag, len);
    if (rc == NO_ERROR)
        rc = rpc_read_pdu(c, &hdr);
    if (rc != NO_ERROR)
        return rc;
    if (hdr.ptype == DCERPC_PKT_BIND_NAK)
        return rpc_check_bind_nak(c, call_id);
    if (hdr.ptype != DCERPC_PKT_BIND_ACK)
        return rpc_unexpected(hdr.ptype, "bind");
    rc = rpc_check_bind_ack(c, call_id);
    if (rc == NO_ERROR && c->auth.ntlm)
        rc = rpc_bind_leg3(c, iface, call_id);
    return rc;
}

static DWORD rpc_bind_common(struct mpr_pipe *pipe,
                             const struct dcerpc_syntax_id *iface,
                             const struct mpr_creds *creds, uint8_t level,
                             uint8_t auth_type, struct rpc_conn **out)
{
    struct rpc_conn *c;
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
    if (creds) {
        c->auth.auth_type = auth_type;
        c->auth.level = level;
        c->auth.context_id = RPC_AUTH_CONTEXT_ID;
        uint32_t want = 0;

        if (level == DCERPC_AUTHN_LEVEL_PKT_INTEGRITY)
            want = NTLMSSP_NEGOTIATE_SIGN;
        else if (level == DCERPC_AUTHN_LEVEL_PKT_PRIVACY)
            want = NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL;
        rc = ntlmssp_client_new(creds, want, &c->auth.ntlm);
        if (rc != NO_ERROR) {
            rpc_close(c);
            return rc;
        }
    }
    rc = rpc_do_bind(c, iface);
    if (rc != NO_ERROR) {
        rpc_close(c);
        return rc;
    }
    *out = c;
    return NO_ERROR;
}

DWORD rpc_bind(struct mpr_pipe *pipe, const struct dcerpc_syntax_id *iface,
               struct rpc_conn **out)
{
    return rpc_bind_common(pipe, iface, NULL, 0, 0, out);
}

DWORD rpc_bind_auth_type(struct mpr_pipe *pipe,
                         const struct dcerpc_syntax_id *iface,
                         const struct mpr_creds *creds, DWORD level,
                         DWORD auth_type, struct rpc_conn **out)
{
    if (level != DCERPC_AUTHN_LEVEL_CONNECT &&
        level != DCERPC_AUTHN_LEVEL_PKT_INTEGRITY &&
        level != DCERPC_AUTHN_LEVEL_PKT_PRIVACY) {
        pipe_close(pipe);
        detail_set("RPC authentication level %u is not one of 2, 5, 6",
                   (unsigned)level);
        return ERROR_INVALID_PARAMETER;
    }
    if (!creds || (auth_type != DCERPC_AUTHN_WINNT &&
                   auth_type != DCERPC_AUTHN_GSS_NEGOTIATE)) {
        pipe_close(pipe);
        return ERROR_INVALID_PARAMETER;
    }
    return rpc_bind_common(pipe, iface, creds, (uint8_t)level,
                           (uint8_t)auth_type, out);
}

DWORD rpc_bind_auth(struct mpr_pipe *pipe, const struct dcerpc_syntax_id *iface,
                    const struct mpr_creds *creds, DWORD level,
                    struct rpc_conn **out)
{
    /* MS-RRASM 2.1.1.1: DIMSVC clients MUST specify SPNEGO. */
    return rpc_bind_auth_type(pipe, iface, creds, level,
                              DCERPC_AUTHN_GSS_NEGOTIATE, out);
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
    size_t room = (size_t)c->max_xmit_frag - DCERPC_REQUEST_HDR_LEN -
                  (c->auth.ntlm ? RPC_AUTH_MAX_OVERHEAD : 0);
    /* With a verifier, whole 16-byte blocks, so that only the last
     * fragment needs auth padding. */
    size_t chunk = room & ~(size_t)(c->auth.ntlm ? 15 : 7);
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
        if (rc == NO_ERROR && c->auth.ntlm)
            rc = rpc_auth_protect_request(&c->auth, c->frag, sizeof(c->frag),
                                          &len);
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
            /* rpc_auth3 has no answer when it succeeds; a server that
             * rejects the AUTHENTICATE (wrong password, unknown user)
             * answers it with a fault for the bind's call id, which we
             * read here, in place of the first call's response (Samba
             * then disconnects). */
            if (c->auth.ntlm && f.hdr.call_id == RPC_BIND_CALL_ID) {
                detail_set("the server refused our NTLMSSP authentication "
                           "(fault 0x%08x): wrong user name or password, or "
                           "the account may not log on",
                           f.status);
                rc = ERROR_ACCESS_DENIED;
                goto broken;
            }
            /* Samba instead answers the first request after a refused
             * AUTHENTICATE with nca_proto_error (Windows with access
             * denied), then disconnects.  Before any response has proven
             * the authentication, take either as the refusal. */
            if (c->auth.ntlm && !c->auth_proven &&
                (f.status == DCERPC_NCA_PROTO_ERROR ||
                 f.status == DCERPC_NCA_S_FAULT_ACCESS_DENIED)) {
                detail_set("the server refused the first call after our "
                           "NTLMSSP authentication (fault 0x%08x): most "
                           "likely it rejected the credentials (wrong user "
                           "name or password)",
                           f.status);
                rc = ERROR_ACCESS_DENIED;
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
            (r.hdr.auth_length != 0 && !c->auth.ntlm) ||
            first != (nfrag == 0)) {
            detail_set("response fragment %u out of place (call %u, "
                       "expected %u; context %u; flags 0x%02x; auth %u)",
                       nfrag, r.hdr.call_id, call_id, r.p_cont_id,
                       r.hdr.pfc_flags, r.hdr.auth_length);
            rc = RPC_S_PROTOCOL_ERROR;
            goto broken;
        }
        if (c->auth.ntlm) {
            size_t pad;

            /* Verified (and for privacy decrypted in place, so r.stub now
             * reads plain text) before a byte of it is used. */
            rc = rpc_auth_check_response(&c->auth, c->frag, &r.hdr, &pad);
            if (rc != NO_ERROR)
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
    c->auth_proven = 1;
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
    rpc_deadline_start(c);

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
    ntlmssp_free(c->auth.ntlm);
    free(c);
}
