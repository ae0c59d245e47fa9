/* rpc_auth_priv.h - DCE/RPC verifiers with NTLMSSP: protecting request PDUs
 * and checking response PDUs at the connect, integrity and privacy levels
 * (MS-RPCE 3.3.1.5.2, 2.2.2.11; MS-NLMP 3.4). */
#ifndef MPRMON_RPC_AUTH_PRIV_H
#define MPRMON_RPC_AUTH_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "dcerpc_priv.h"
#include "ntlmssp_priv.h"

/* The stub is padded to this before the sec_trailer (Windows and Samba
 * pad to 16 so that sealed stubs are block-sized). */
#define RPC_AUTH_PAD_ALIGN 16u

/* Most bytes rpc_auth_protect_request adds to a request PDU. */
#define RPC_AUTH_MAX_OVERHEAD                                                  \
    (RPC_AUTH_PAD_ALIGN - 1 + DCERPC_SEC_TRAILER_LEN + NTLMSSP_SIG_LEN)

struct rpc_auth {
    struct ntlmssp *ntlm;
    uint8_t auth_type;   /* DCERPC_AUTHN_WINNT or _GSS_NEGOTIATE (NTLM in
                          * SPNEGO: the verifiers are NTLMSSP's either way) */
    uint8_t level;       /* DCERPC_AUTHN_LEVEL_* */
    uint32_t context_id; /* auth_context_id of this association */
};

/*
 * buf[0..*len) holds an encoded request PDU (24-byte header, stub): at the
 * integrity and privacy levels append pad, sec_trailer and the NTLMSSP
 * signature (sealing the stub and pad for privacy).  Level connect sends
 * requests without a verifier (as Windows and Samba do).
 */
DWORD rpc_auth_protect_request(struct rpc_auth *a, uint8_t *buf, size_t cap,
                               size_t *len);

/*
 * Check a response PDU (pdu[0..hdr->frag_length), header in *hdr) and, for
 * privacy, decrypt its stub in place.  On success *pad is the
 * auth_pad_length to drop from the end of the stub.  Errors (each with a
 * detail text): RPC_S_PROTOCOL_ERROR for a missing or mismatched
 * sec_trailer and for a signature that does not verify ("signature check
 * failed": an altered PDU).
 */
DWORD rpc_auth_check_response(struct rpc_auth *a, uint8_t *pdu,
                              const struct dcerpc_hdr *hdr, size_t *pad);

#endif
