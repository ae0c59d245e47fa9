/* ntlmssp_priv.h - an NTLMSSP client (MS-NLMP): NTLMv2 with extended
 * session security and key exchange, then message signing and sealing
 * (MS-NLMP 3.4) for DCE/RPC's packet integrity and privacy levels. */
#ifndef MPRMON_NTLMSSP_PRIV_H
#define MPRMON_NTLMSSP_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "creds_priv.h"
#include "mprapi.h"

/* NTLMSSP_MESSAGE_SIGNATURE with extended session security: version,
 * checksum, sequence number (MS-NLMP 2.2.2.9.1). */
#define NTLMSSP_SIG_LEN 16u

/* NEGOTIATE flags we use, MS-NLMP 2.2.2.5. */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u

struct ntlmssp;

/*
 * A client context for creds (copied; the copy is wiped on free).  want: 0
 * (authentication only: DCE/RPC level connect), NTLMSSP_NEGOTIATE_SIGN
 * (integrity) or NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL (privacy).
 * ERROR_INVALID_PARAMETER without a user name or for other bits,
 * ERROR_NOT_ENOUGH_MEMORY.
 */
DWORD ntlmssp_client_new(const struct mpr_creds *creds, uint32_t want,
                         struct ntlmssp **out);

/*
 * Fix the inputs that are normally random or the clock (client challenge,
 * the NTLMv2 timestamp in FILETIME units, the exported session key), so the
 * MS-NLMP 4.2.4 test vectors can be reproduced.  Tests only.
 */
void ntlmssp_set_test_inputs(struct ntlmssp *n, const uint8_t client_chal[8],
                             uint64_t filetime, const uint8_t session_key[16]);

/* NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1) into a malloc'd buffer. */
DWORD ntlmssp_negotiate(struct ntlmssp *n, uint8_t **tok, size_t *tok_len);

/*
 * Parse the server's CHALLENGE_MESSAGE strictly (network input) and build
 * the AUTHENTICATE_MESSAGE (malloc'd); derives the signing and sealing keys.
 * RPC_S_PROTOCOL_ERROR (with a detail text) for a malformed challenge;
 * ERROR_ACCESS_DENIED when the server will not do what we need (NTLMv2
 * with extended session security, 128-bit keys, sealing if asked).
 */
DWORD ntlmssp_authenticate(struct ntlmssp *n, const uint8_t *chal,
                           size_t chal_len, uint8_t **tok, size_t *tok_len);

/* Outgoing (client-to-server) signature over msg (MS-NLMP 3.4.4.2). */
DWORD ntlmssp_sign(struct ntlmssp *n, const uint8_t *msg, size_t msg_len,
                   uint8_t sig[NTLMSSP_SIG_LEN]);

/*
 * Outgoing seal (MS-NLMP 3.4.3): the signature is computed over msg in
 * plain text, then data (which lies inside msg for DCE/RPC) is encrypted in
 * place.  data may be the whole msg.
 */
DWORD ntlmssp_seal(struct ntlmssp *n, uint8_t *data, size_t data_len,
                   const uint8_t *msg, size_t msg_len,
                   uint8_t sig[NTLMSSP_SIG_LEN]);

/* Incoming (server-to-client): check sig over msg.  ERROR_ACCESS_DENIED
 * when it does not match (altered message, wrong keys or order). */
DWORD ntlmssp_verify(struct ntlmssp *n, const uint8_t *msg, size_t msg_len,
                     const uint8_t sig[NTLMSSP_SIG_LEN]);

/* Incoming: decrypt data in place, then check sig over msg (which holds
 * data).  ERROR_ACCESS_DENIED on mismatch. */
DWORD ntlmssp_unseal(struct ntlmssp *n, uint8_t *data, size_t data_len,
                     const uint8_t *msg, size_t msg_len,
                     const uint8_t sig[NTLMSSP_SIG_LEN]);

/* Wipe keys and credentials, free. */
void ntlmssp_free(struct ntlmssp *n);

#endif
