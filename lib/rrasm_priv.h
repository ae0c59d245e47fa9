/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rrasm_priv.h - MS-RRASM DIMSVC calls: request encoding, response decoding. */
#ifndef MPRMON_RRASM_PRIV_H
#define MPRMON_RRASM_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

#define RRASM_OPNUM_SERVER_GET_INFO 0
#define RRASM_OPNUM_CONNECTION_ENUM 1
#define RRASM_OPNUM_PORT_ENUM 4
#define RRASM_OPNUM_INTERFACE_GET_INFO 13
#define RRASM_OPNUM_INTERFACE_ENUM 20

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

/* ---- the enumerations and RRouterInterfaceGetInfo (rrasm_lists.c) ---- */

enum rrasm_list {
    RRASM_LIST_INTERFACES, /* RRouterInterfaceEnum: MPR_INTERFACE_0 */
    RRASM_LIST_CONNECTIONS, /* RRasAdminConnectionEnum: RAS_CONNECTION_0/1 */
    RRASM_LIST_PORTS        /* RRasAdminPortEnum: RAS_PORT_0 */
};

/* One page's request. */
struct rrasm_list_request {
    enum rrasm_list list;
    DWORD level;
    DWORD connection; /* ports: hRasConnection, 0xFFFFFFFF for all */
    DWORD pref_max_len;
    int has_resume;   /* lpdwResumeHandle non-NULL */
    DWORD resume;
};

/* One page's answer.  entries: a malloc'd array of entries_read mprapi.h
 * structures (NULL when none), the caller's to free. */
struct rrasm_list_reply {
    void *entries;
    DWORD entries_read;
    DWORD total_entries;
    int has_resume;
    DWORD resume;
    DWORD status; /* the call's return: NO_ERROR, ERROR_MORE_DATA, ... */
};

/* Is the level one this library decodes for that list? */
int rrasm_list_level_ok(enum rrasm_list list, DWORD level);
uint16_t rrasm_list_opnum(enum rrasm_list list);
/* sizeof the mprapi.h structure of a list's level (0: not decoded). */
size_t rrasm_list_entry_size(enum rrasm_list list, DWORD level);

/* Append up to max - *have of a page's entries to the array *all (realloc'd)
 * and free the page's own array.  ERROR_NOT_ENOUGH_MEMORY leaves *all as
 * it was. */
DWORD rrasm_list_append(const struct rrasm_list_request *req, void **all,
                        DWORD *have, DWORD max, struct rrasm_list_reply *page);

/* The request stub; ERROR_INVALID_LEVEL, ERROR_INSUFFICIENT_BUFFER. */
DWORD rrasm_encode_list(const struct rrasm_list_request *req, uint8_t *buf,
                        size_t cap, size_t *len);

/* Decode a page.  NO_ERROR with out->status the server's code (entries
 * only when it is NO_ERROR or ERROR_MORE_DATA); RPC_X_BAD_STUB_DATA for
 * malformed replies (bad NDR, a count the bytes do not hold, more read
 * than total, a string without its NUL); ERROR_NOT_ENOUGH_MEMORY. */
DWORD rrasm_decode_list(const struct rrasm_list_request *req,
                        const uint8_t *stub, size_t len,
                        struct rrasm_list_reply *out);

/* RRouterInterfaceGetInfo at level 0, as the enumerations. */
DWORD rrasm_encode_interface_get_info(DWORD level, DWORD interface_handle,
                                      uint8_t *buf, size_t cap, size_t *len);
DWORD rrasm_decode_interface_get_info(DWORD level, const uint8_t *stub,
                                      size_t len, void **info,
                                      DWORD *server_status);

#endif
