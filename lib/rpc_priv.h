/* rpc_priv.h - a DCE/RPC client association over an mpr_pipe. */
#ifndef MPRMON_RPC_PRIV_H
#define MPRMON_RPC_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "dcerpc_priv.h"
#include "creds_priv.h"
#include "pipe_priv.h"

/* Largest reassembled response we accept; bigger -> RPC_S_PROTOCOL_ERROR. */
#define RPC_MAX_RESPONSE (1u << 20)

struct rpc_conn;

/* Well-known interfaces (MS-RRASM 2.1.1.1, MS-SCMR 2.1). */
extern const struct dcerpc_syntax_id rpc_iface_dimsvc; /* 8f09f000-b7ed-11ce-bbd2-00001a181cad v0.0 */
extern const struct dcerpc_syntax_id rpc_iface_svcctl; /* 367abb81-9844-35f1-ad32-98f038001003 v2.0 */
extern const struct dcerpc_syntax_id rpc_syntax_ndr;   /* 8a885d04-1ceb-11c9-9fe8-08002b104860 v2 */

/*
 * Bind iface over pipe (NDR transfer syntax).  Takes ownership of pipe in all
 * cases (closes it on failure).  Errors: RPC_S_UNKNOWN_IF (bind rejected for
 * the interface/syntax, or bind_nak), ERROR_ACCESS_DENIED (bind_nak for
 * authentication), RPC_S_PROTOCOL_ERROR (malformed answer), transport codes.
 */
DWORD rpc_bind(struct mpr_pipe *pipe, const struct dcerpc_syntax_id *iface,
               struct rpc_conn **out);

/*
 * rpc_bind with NTLMSSP authentication inside SPNEGO (auth type 9,
 * RPC_C_AUTHN_GSS_NEGOTIATE, as MS-RRASM 2.1.1.1 requires for DIMSVC) at
 * level 2 (connect), 5 (packet integrity: every request and response PDU
 * signed) or 6 (packet privacy: stubs also sealed).  creds: those of the SMB
 * session.  Takes ownership of pipe.  Besides rpc_bind's codes:
 * ERROR_INVALID_PARAMETER (another level, no user name), ERROR_ACCESS_DENIED
 * (the server will not negotiate NTLMv2 with extended session security and
 * 128-bit keys, or sealing for level 6).  A wrong password is not seen here:
 * rpc_auth3 has no answer when it succeeds (MS-RPCE 3.3.1.5.2), so the
 * refusal comes as a fault in place of the first call's response (Samba 4.17:
 * nca_proto_error for that request; others fault the auth3 itself or answer
 * access denied) and that rpc_call returns ERROR_ACCESS_DENIED with a detail
 * naming the likely cause.  Servers may also refuse a level by
 * policy (Samba refuses connect on most interfaces unless "allow dcerpc auth
 * level connect = yes"): the call's fault is ERROR_ACCESS_DENIED.  Responses
 * whose signature does not verify fail with RPC_S_PROTOCOL_ERROR and the
 * detail "signature check failed ...".
 */
DWORD rpc_bind_auth(struct mpr_pipe *pipe,
                    const struct dcerpc_syntax_id *iface,
                    const struct mpr_creds *creds, DWORD level,
                    struct rpc_conn **out);

/* rpc_bind_auth with the auth type chosen: DCERPC_AUTHN_GSS_NEGOTIATE (9)
 * or DCERPC_AUTHN_WINNT (10, bare NTLMSSP); others ERROR_INVALID_PARAMETER. */
DWORD rpc_bind_auth_type(struct mpr_pipe *pipe,
                         const struct dcerpc_syntax_id *iface,
                         const struct mpr_creds *creds, DWORD level,
                         DWORD auth_type, struct rpc_conn **out);

/*
 * One call: request stub bytes in (fragmented to the negotiated max_xmit_frag),
 * reassembled response stub out (malloc'd, caller frees).  A fault PDU maps to
 * the Windows code it carries (nca_unk_if -> RPC_S_UNKNOWN_IF, access denied
 * -> ERROR_ACCESS_DENIED, nca_op_rng_error -> RPC_S_PROCNUM_OUT_OF_RANGE, ...).
 * Limits against a hostile server: a response over RPC_MAX_RESPONSE bytes, or
 * over 2048 fragments, or a fragment over the 4280 bytes we offered, is
 * RPC_S_PROTOCOL_ERROR; alloc_hint sizes no buffer beyond 64 KiB; a call
 * whose answer is not complete within the pipe's timeout (counted from the
 * call's start; a read under way then still runs to its own timeout) is
 * ERROR_TIMEOUT.  The bind has the same deadline.
 */
DWORD rpc_call(struct rpc_conn *c, uint16_t opnum, const uint8_t *req,
               size_t req_len, uint8_t **resp, size_t *resp_len);

void rpc_close(struct rpc_conn *c);

#endif
