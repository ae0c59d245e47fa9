/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rrasm_priv.h - MS-RRASM DIMSVC calls: request encoding, response decoding. */
#ifndef MPRMON_RRASM_PRIV_H
#define MPRMON_RRASM_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

#define RRASM_OPNUM_SERVER_GET_INFO 0

/* RMprAdminServerGetInfo request stub (dwLevel).  Writes into buf; *len. */
DWORD rrasm_encode_server_get_info(DWORD level, uint8_t *buf, size_t cap,
                                   size_t *len);

/*
 * Decode the response stub: DIM_INFORMATION_CONTAINER then the DWORD return.
 * On success *info is a malloc'd MPR_SERVER_<level> (free with free()) and
 * *server_status the call's return value.  Strict: every length and pointer is
 * checked; malformed -> RPC_X_BAD_STUB_DATA.
 */
DWORD rrasm_decode_server_get_info(DWORD level, const uint8_t *stub,
                                   size_t len, void **info,
                                   DWORD *server_status);

#endif
