/* dcerpc_priv.h - DCE/RPC connection-oriented PDUs (C706 ch. 12, MS-RPCE 2.2).
 * Pure encode/decode: bytes in, structs out; no I/O.  Every byte from the
 * network is bounds-checked. */
#ifndef MPRMON_DCERPC_PRIV_H
#define MPRMON_DCERPC_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

/* A UUID in its 16 wire bytes (little-endian data representation). */
struct dcerpc_uuid {
    uint8_t bytes[16];
};

struct dcerpc_syntax_id {
    struct dcerpc_uuid uuid;
    uint16_t ver_major;
    uint16_t ver_minor;
};

/* The rest of this header (PDU types, header, bind/bind_ack/bind_nak,
 * request/response/fault codecs) is owned by dcerpc.c. */

/* PTYPE values: C706 chapter 12 (12.6.4 has one subsection per type), and
 * MS-RPCE 2.2.2.10 for auth3; tshark names our PDUs with these numbers
 * (tests/integration/tshark_pdus.sh). */
enum dcerpc_ptype {
    DCERPC_PKT_REQUEST = 0,
    DCERPC_PKT_RESPONSE = 2,
    DCERPC_PKT_FAULT = 3,
    DCERPC_PKT_BIND = 11,
    DCERPC_PKT_BIND_ACK = 12,
    DCERPC_PKT_BIND_NAK = 13,
    DCERPC_PKT_ALTER_CONTEXT = 14,
    DCERPC_PKT_ALTER_CONTEXT_RESP = 15,
    DCERPC_PKT_AUTH3 = 16,
    DCERPC_PKT_SHUTDOWN = 17,
    DCERPC_PKT_CO_CANCEL = 18,
    DCERPC_PKT_ORPHANED = 19
};

/* pfc_flags, C706 12.6.3.1; 0x04 is PFC_SUPPORT_HEADER_SIGN on bind-type
 * PDUs and PFC_PENDING_CANCEL elsewhere (MS-RPCE 2.2.2.3). */
#define DCERPC_PFC_FIRST_FRAG 0x01u
#define DCERPC_PFC_LAST_FRAG 0x02u
#define DCERPC_PFC_PENDING_CANCEL 0x04u
#define DCERPC_PFC_SUPPORT_HEADER_SIGN 0x04u
#define DCERPC_PFC_CONC_MPX 0x10u
#define DCERPC_PFC_DID_NOT_EXECUTE 0x20u
#define DCERPC_PFC_MAYBE 0x40u
#define DCERPC_PFC_OBJECT_UUID 0x80u

/* Fixed sizes of the PDU parts we build or parse. */
#define DCERPC_HDR_LEN 16u
#define DCERPC_REQUEST_HDR_LEN 24u
#define DCERPC_RESPONSE_HDR_LEN 24u
#define DCERPC_FAULT_HDR_LEN 32u
#define DCERPC_FAULT_MIN_LEN 28u  /* up to and including status */
#define DCERPC_BIND_LEN 72u       /* one context, one transfer syntax */
#define DCERPC_SEC_TRAILER_LEN 8u /* MS-RPCE 2.2.2.11 */

/* Fragment sizes: what we offer (as Windows does), and C706 12.6.3.1's
 * floor every implementation must accept (MUST_RECV_FRAG_SIZE). */
#define DCERPC_MAX_FRAG_DEFAULT 4280u
#define DCERPC_MIN_FRAG 1432u

/* p_cont_def_result_t, C706 12.6.3.1; negotiate_ack answers bind-time
 * feature negotiation, MS-RPCE 3.3.1.5.3. */
#define DCERPC_BIND_ACCEPTANCE 0u
#define DCERPC_BIND_USER_REJECTION 1u
#define DCERPC_BIND_PROVIDER_REJECTION 2u
#define DCERPC_BIND_NEGOTIATE_ACK 3u

/* p_provider_reason_t, C706 12.6.3.1. */
#define DCERPC_REASON_NOT_SPECIFIED 0u
#define DCERPC_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED 1u
#define DCERPC_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED 2u
#define DCERPC_REASON_LOCAL_LIMIT_EXCEEDED 3u

/* bind_nak reject reasons, C706 12.6.3.1 and MS-RPCE 2.2.2.5. */
#define DCERPC_NAK_REASON_NOT_SPECIFIED 0u
#define DCERPC_NAK_TEMPORARY_CONGESTION 1u
#define DCERPC_NAK_LOCAL_LIMIT_EXCEEDED 2u
#define DCERPC_NAK_CALLED_PADDR_UNKNOWN 3u
#define DCERPC_NAK_PROTOCOL_VERSION_NOT_SUPPORTED 4u
#define DCERPC_NAK_DEFAULT_CONTEXT_NOT_SUPPORTED 5u
#define DCERPC_NAK_USER_DATA_NOT_READABLE 6u
#define DCERPC_NAK_NO_PSAP_AVAILABLE 7u
#define DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED 8u
#define DCERPC_NAK_INVALID_CHECKSUM 9u

/* Fault status values: the nca_* codes of C706's status-code appendix, as
 * MS-RPCE 3.1.1.5.5 names them for mapping (numbers cross-checked with
 * impacket's rpcrt.py), and 0x5 for an authorization failure (MS-RPCE
 * 3.2.3.5.1).  nca_s_fault_ndr is the Win32 code RPC_X_BAD_STUB_DATA that
 * Windows servers put in the status field. */
#define DCERPC_NCA_S_FAULT_ACCESS_DENIED 0x00000005u
#define DCERPC_NCA_S_FAULT_NDR 0x000006f7u
#define DCERPC_FAULT_SEC_PKG_ERROR 0x00000721u /* RPC_S_SEC_PKG_ERROR */
#define DCERPC_NCA_S_FAULT_INT_DIV_BY_ZERO 0x1c000001u
#define DCERPC_NCA_S_FAULT_INVALID_TAG 0x1c000006u
#define DCERPC_NCA_S_FAULT_INVALID_BOUND 0x1c000007u
#define DCERPC_NCA_RPC_VERSION_MISMATCH 0x1c000008u
#define DCERPC_NCA_UNSPEC_REJECT 0x1c000009u
#define DCERPC_NCA_S_FAULT_CANCEL 0x1c00000du
#define DCERPC_NCA_S_FAULT_UNSPEC 0x1c000012u
#define DCERPC_NCA_S_FAULT_CONTEXT_MISMATCH 0x1c00001au
#define DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY 0x1c00001bu
#define DCERPC_NCA_S_COMM_FAILURE 0x1c010001u
#define DCERPC_NCA_OP_RNG_ERROR 0x1c010002u
#define DCERPC_NCA_UNK_IF 0x1c010003u
#define DCERPC_NCA_PROTO_ERROR 0x1c01000bu
#define DCERPC_NCA_SERVER_TOO_BUSY 0x1c010014u

/* The common header, C706 12.6.3.1. */
struct dcerpc_hdr {
    uint8_t rpc_vers;
    uint8_t rpc_vers_minor;
    uint8_t ptype;
    uint8_t pfc_flags;
    uint8_t drep[4];
    uint16_t frag_length;
    uint16_t auth_length;
    uint32_t call_id;
};

/* One entry of a bind_ack's p_result_list. */
struct dcerpc_ack_result {
    uint16_t result;
    uint16_t reason;
    struct dcerpc_syntax_id transfer_syntax;
};

/* bind_ack, C706 12.6.4.4.  sec_addr points into the decoded buffer (not
 * NUL-terminated; its length includes the NUL the sender put there).  Only
 * the first result is kept (we offer one context); all are bounds-checked. */
struct dcerpc_bind_ack {
    struct dcerpc_hdr hdr;
    uint16_t max_xmit_frag;
    uint16_t max_recv_frag;
    uint32_t assoc_group_id;
    const uint8_t *sec_addr;
    uint16_t sec_addr_len;
    uint8_t n_results;
    struct dcerpc_ack_result result;
};

/* bind_nak, C706 12.6.4.5. */
struct dcerpc_bind_nak {
    struct dcerpc_hdr hdr;
    uint16_t reject_reason;
    uint8_t n_versions; /* 0 when the optional list is absent */
};

/* response, C706 12.6.4.10.  stub points into the decoded buffer and excludes
 * any authentication trailer and its padding. */
struct dcerpc_response {
    struct dcerpc_hdr hdr;
    uint32_t alloc_hint;
    uint16_t p_cont_id;
    uint8_t cancel_count;
    const uint8_t *stub;
    size_t stub_len;
};

/* fault, C706 12.6.4.7; stub data is ignored (MS-RPCE 2.2.2.8). */
struct dcerpc_fault {
    struct dcerpc_hdr hdr;
    uint32_t alloc_hint;
    uint16_t p_cont_id;
    uint8_t cancel_count;
    uint32_t status;
};

/* "8a885d04-1ceb-11c9-9fe8-08002b104860" -> wire bytes.  ERROR_INVALID_DATA
 * for anything else than the 36-character form. */
DWORD dcerpc_uuid_from_string(const char *s, struct dcerpc_uuid *out);

/*
 * Decode and check the common header of the PDU in buf[0..len).  Only the 16
 * header bytes are needed.  RPC_S_PROTOCOL_ERROR for: short buffer, version
 * other than 5.0, a data representation other than little-endian/ASCII/IEEE,
 * frag_length below 16 or auth_length not fitting in frag_length.
 */
DWORD dcerpc_decode_hdr(const uint8_t *buf, size_t len, struct dcerpc_hdr *out);

/*
 * Encoders: write the PDU into buf (capacity cap) and its length to *out_len.
 * ERROR_INSUFFICIENT_BUFFER when cap is too small, ERROR_INVALID_PARAMETER for
 * a PDU that cannot be expressed (e.g. longer than 65535 bytes).
 */
DWORD dcerpc_encode_bind(uint32_t call_id,
                         const struct dcerpc_syntax_id *abstract,
                         const struct dcerpc_syntax_id *transfer,
                         uint16_t max_xmit_frag, uint16_t max_recv_frag,
                         uint8_t *buf, size_t cap, size_t *out_len);

/* alter_context (ptype 14): the bind's layout, for the third leg of an
 * SPNEGO bind (MS-RPCE 3.3.1.5.2). */
DWORD dcerpc_encode_alter_context(uint32_t call_id,
                                  const struct dcerpc_syntax_id *abstract,
                                  const struct dcerpc_syntax_id *transfer,
                                  uint16_t max_xmit_frag,
                                  uint16_t max_recv_frag, uint8_t *buf,
                                  size_t cap, size_t *out_len);

DWORD dcerpc_encode_request(uint32_t call_id, uint8_t pfc_flags,
                            uint32_t alloc_hint, uint16_t p_cont_id,
                            uint16_t opnum, const uint8_t *stub,
                            size_t stub_len, uint8_t *buf, size_t cap,
                            size_t *out_len);

/*
 * Decoders: pdu[0..len) holds one whole PDU (len >= frag_length; bytes after
 * frag_length are ignored).  The ptype must match.  Pointers in *out point
 * into pdu.  RPC_S_PROTOCOL_ERROR for anything malformed.
 */
DWORD dcerpc_decode_bind_ack(const uint8_t *pdu, size_t len,
                             struct dcerpc_bind_ack *out);
/* alter_context_resp (ptype 15), laid out as a bind_ack. */
DWORD dcerpc_decode_alter_context_resp(const uint8_t *pdu, size_t len,
                                       struct dcerpc_bind_ack *out);
DWORD dcerpc_decode_bind_nak(const uint8_t *pdu, size_t len,
                             struct dcerpc_bind_nak *out);
DWORD dcerpc_decode_response(const uint8_t *pdu, size_t len,
                             struct dcerpc_response *out);
DWORD dcerpc_decode_fault(const uint8_t *pdu, size_t len,
                          struct dcerpc_fault *out);

/* Authentication (MS-RPCE 2.2.1.1.7, 2.2.1.1.8). */
#define DCERPC_AUTHN_GSS_NEGOTIATE 9u /* RPC_C_AUTHN_GSS_NEGOTIATE: SPNEGO */
#define DCERPC_AUTHN_WINNT 10u        /* RPC_C_AUTHN_WINNT: NTLMSSP */
#define DCERPC_AUTHN_LEVEL_NONE 1u
#define DCERPC_AUTHN_LEVEL_CONNECT 2u
#define DCERPC_AUTHN_LEVEL_PKT_INTEGRITY 5u
#define DCERPC_AUTHN_LEVEL_PKT_PRIVACY 6u
#define DCERPC_AUTH3_HDR_LEN 20u /* header + 4 pad bytes, MS-RPCE 2.2.2.10 */

/* sec_trailer, MS-RPCE 2.2.2.11, and where its auth_value is. */
struct dcerpc_auth {
    uint8_t auth_type;
    uint8_t auth_level;
    uint8_t auth_pad_length;
    uint32_t auth_context_id;
    const uint8_t *value; /* points into the PDU (auth_length bytes) */
    uint16_t value_len;
    size_t trailer_off; /* offset of the sec_trailer in the PDU */
};

/*
 * Append pad zero bytes, a sec_trailer (auth_type, auth_level, pad,
 * context id from *a) and value_len bytes of value (NULL: zeros, to be
 * filled in, e.g. a signature) to the PDU in buf[0..*len), and set the
 * header's frag_length and auth_length.  ERROR_INSUFFICIENT_BUFFER,
 * ERROR_INVALID_PARAMETER (pad > 255, or a PDU over 65535 bytes).
 */
DWORD dcerpc_append_auth(uint8_t *buf, size_t cap, size_t *len, size_t pad,
                         const struct dcerpc_auth *a, const uint8_t *value,
                         size_t value_len);

/* rpc_auth3 (ptype 16, MS-RPCE 2.2.2.10) without its trailer: append one
 * with dcerpc_append_auth. */
DWORD dcerpc_encode_auth3(uint32_t call_id, uint8_t *buf, size_t cap,
                          size_t *out_len);

/*
 * The sec_trailer and auth_value of the PDU in pdu[0..len) (its header
 * already decoded into *hdr, auth_length != 0).  body_start: where the
 * PDU's body begins (the pad must lie inside the body).
 * RPC_S_PROTOCOL_ERROR when they do not fit.
 */
DWORD dcerpc_decode_auth(const uint8_t *pdu, size_t len,
                         const struct dcerpc_hdr *hdr, size_t body_start,
                         struct dcerpc_auth *out);

/* Equality of two syntax identifiers (UUID and both version numbers). */
int dcerpc_syntax_equal(const struct dcerpc_syntax_id *a,
                        const struct dcerpc_syntax_id *b);

#endif
