/* rpc_priv.h - a DCE/RPC client association over an mpr_pipe. */
#ifndef MPRMON_RPC_PRIV_H
#define MPRMON_RPC_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "dcerpc_priv.h"
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
 * One call: request stub bytes in (fragmented to the negotiated max_xmit_frag),
 * reassembled response stub out (malloc'd, caller frees).  A fault PDU maps to
 * the Windows code it carries (nca_unk_if -> RPC_S_UNKNOWN_IF, access denied
 * -> ERROR_ACCESS_DENIED, nca_op_rng_error -> RPC_S_PROCNUM_OUT_OF_RANGE, ...).
 */
DWORD rpc_call(struct rpc_conn *c, uint16_t opnum, const uint8_t *req,
               size_t req_len, uint8_t **resp, size_t *resp_len);

void rpc_close(struct rpc_conn *c);

#endif
