/* rpc_auth.c - request and response verifiers for DCE/RPC over NTLMSSP.
 *
 * MS-RPCE 2.2.2.11: an authenticated PDU ends with the stub padded to 16
 * bytes, an 8-byte sec_trailer and the auth_value (here the 16-byte
 * NTLMSSP signature); auth_length in the header counts the auth_value.
 * With NTLMSSP's extended session security the signature covers the whole
 * PDU from the header through the sec_trailer (MS-RPCE 3.3.1.5.2.2), while
 * sealing encrypts only the stub and its pad. */
#include "rpc_auth_priv.h"

#include <string.h>

#include "detail_priv.h"

DWORD rpc_auth_protect_request(struct rpc_auth *a, uint8_t *buf, size_t cap,
                               size_t *len)
{
    struct dcerpc_auth t = {0};
    size_t stub_len, pad, signed_len;
    DWORD rc;

    if (!a || !buf || !len || *len < DCERPC_REQUEST_HDR_LEN)
        return ERROR_INVALID_PARAMETER;
    if (a->level == DCERPC_AUTHN_LEVEL_CONNECT)
        return NO_ERROR;
    stub_len = *len - DCERPC_REQUEST_HDR_LEN;
    pad = (RPC_AUTH_PAD_ALIGN - stub_len % RPC_AUTH_PAD_ALIGN) %
          RPC_AUTH_PAD_ALIGN;
    t.auth_type = a->auth_type;
    t.auth_level = a->level;
    t.auth_context_id = a->context_id;
    rc = dcerpc_append_auth(buf, cap, len, pad, &t, NULL, NTLMSSP_SIG_LEN);
    if (rc != NO_ERROR)
        return rc;
    signed_len = *len - NTLMSSP_SIG_LEN;
    if (a->level == DCERPC_AUTHN_LEVEL_PKT_PRIVACY)
        return ntlmssp_seal(a->ntlm, buf + DCERPC_REQUEST_HDR_LEN,
                            stub_len + pad, buf, signed_len, buf + signed_len);
    return ntlmssp_sign(a->ntlm, buf, signed_len, buf + signed_len);
}

DWORD rpc_auth_check_response(struct rpc_auth *a, uint8_t *pdu,
                              const struct dcerpc_hdr *hdr, size_t *pad)
{
    struct dcerpc_auth t;
    size_t signed_len;
    DWORD rc;

    if (!a || !pdu || !hdr || !pad)
        return ERROR_INVALID_PARAMETER;
    *pad = 0;
    if (hdr->auth_length == 0) {
        /* Level connect: servers send no verifier; at the higher levels
         * a response without one is a downgrade we must not accept. */
        if (a->level == DCERPC_AUTHN_LEVEL_CONNECT)
            return NO_ERROR;
        detail_set("response without the signature that authentication "
                   "level %u requires",
                   a->level);
        return RPC_S_PROTOCOL_ERROR;
    }
    rc = dcerpc_decode_auth(pdu, hdr->frag_length, hdr, DCERPC_RESPONSE_HDR_LEN,
                            &t);
    if (rc != NO_ERROR) {
        detail_set("malformed sec_trailer in a response");
        return rc;
    }
    if (t.auth_type != a->auth_type || t.auth_level != a->level ||
        t.auth_context_id != a->context_id) {
        detail_set("response sec_trailer does not match the association "
                   "(auth type %u level %u context %u; expected %u, %u, %u)",
                   t.auth_type, t.auth_level, (unsigned)t.auth_context_id,
                   a->auth_type, a->level, (unsigned)a->context_id);
        return RPC_S_PROTOCOL_ERROR;
    }
    if (a->level == DCERPC_AUTHN_LEVEL_CONNECT) {
        /* Nothing is signed at this level; the value is not checked. */
        *pad = t.auth_pad_length;
        return NO_ERROR;
    }
    if (t.value_len != NTLMSSP_SIG_LEN) {
        detail_set("response verifier is %u bytes, expected %u", t.value_len,
                   NTLMSSP_SIG_LEN);
        return RPC_S_PROTOCOL_ERROR;
    }
    signed_len = (size_t)hdr->frag_length - NTLMSSP_SIG_LEN;
    if (a->level == DCERPC_AUTHN_LEVEL_PKT_PRIVACY)
        rc = ntlmssp_unseal(a->ntlm, pdu + DCERPC_RESPONSE_HDR_LEN,
                            t.trailer_off - DCERPC_RESPONSE_HDR_LEN, pdu,
                            signed_len, t.value);
    else
        rc = ntlmssp_verify(a->ntlm, pdu, signed_len, t.value);
    if (rc == ERROR_ACCESS_DENIED) {
        detail_set("signature check failed on a %s response (call %u): "
                   "the PDU was altered on the way",
                   a->level == DCERPC_AUTHN_LEVEL_PKT_PRIVACY ? "sealed"
                                                              : "signed",
                   (unsigned)hdr->call_id);
        return RPC_S_PROTOCOL_ERROR;
    }
    if (rc != NO_ERROR)
        return rc;
    *pad = t.auth_pad_length;
    return NO_ERROR;
}
