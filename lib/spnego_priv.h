/* spnego_priv.h - the SPNEGO wrapping (RFC 4178, MS-SPNG) of NTLMSSP tokens
 * for DCE/RPC auth type 9 (RPC_C_AUTHN_GSS_NEGOTIATE), which MS-RRASM
 * 2.1.1.1 requires of DIMSVC clients.  We offer exactly one mechanism,
 * NTLMSSP, and send no mechListMIC (our NTLMSSP sends no MIC, so none is
 * required: MS-SPNG 3.1.5.1).  Strict DER: definite, minimal lengths, no
 * trailing bytes; everything from the network is bounds-checked. */
#ifndef MPRMON_SPNEGO_PRIV_H
#define MPRMON_SPNEGO_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

/* negState values, RFC 4178 4.2.2. */
#define SPNEGO_ACCEPT_COMPLETED 0u
#define SPNEGO_ACCEPT_INCOMPLETE 1u
#define SPNEGO_REJECT 2u
#define SPNEGO_REQUEST_MIC 3u
#define SPNEGO_NEG_STATE_ABSENT 0xffu

/* InitialContextToken with NegTokenInit {mechTypes = [NTLMSSP], mechToken =
 * tok} (RFC 4178 4.2.1), malloc'd into *out. */
DWORD spnego_wrap_init(const uint8_t *tok, size_t tok_len, uint8_t **out,
                       size_t *out_len);

/* NegTokenResp {responseToken = tok} (RFC 4178 4.2.2), malloc'd. */
DWORD spnego_wrap_resp(const uint8_t *tok, size_t tok_len, uint8_t **out,
                       size_t *out_len);

/* A parsed NegTokenResp; pointers into the input. */
struct spnego_resp {
    uint8_t neg_state;    /* SPNEGO_NEG_STATE_ABSENT when absent */
    int mech_is_ntlmssp;  /* supportedMech present and NTLMSSP */
    int has_mech;         /* supportedMech present */
    const uint8_t *token; /* responseToken, NULL when absent */
    size_t token_len;
    int has_mic; /* mechListMIC present */
};

/* Parse a NegTokenResp strictly.  RPC_S_PROTOCOL_ERROR (with a detail text)
 * for anything that is not one. */
DWORD spnego_parse_resp(const uint8_t *in, size_t len, struct spnego_resp *out);

#endif
