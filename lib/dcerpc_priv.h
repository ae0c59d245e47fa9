/* dcerpc_priv.h - DCE/RPC connection-oriented PDUs (C706 ch. 12, MS-RPCE 2.2).
 * Pure encode/decode: bytes in, structs out; no I/O.  Every byte from the
 * network is bounds-checked. */
#ifndef MPRMON_DCERPC_PRIV_H
#define MPRMON_DCERPC_PRIV_H

#include <stddef.h>
#include <stdint.h>

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

#endif
