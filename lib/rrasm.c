/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rrasm.c - MS-RRASM (DIMSVC) call stubs: RMprAdminServerGetInfo.
 *
 * [MS-RRASM] 3.1.4.1 RMprAdminServerGetInfo (Opnum 0):
 *   DWORD RMprAdminServerGetInfo([in] DIM_HANDLE hDimServer,
 *                                [in] DWORD dwLevel,
 *                                [out] PDIM_INFORMATION_CONTAINER pInfoStruct);
 * DIM_HANDLE is a handle_t (3.1.3), an implicit binding handle: it has no
 * wire representation, so the request stub is dwLevel alone.
 *
 * [MS-RRASM] 2.2.1.2.1 DIM_INFORMATION_CONTAINER:
 *   { DWORD dwBufferSize; [size_is(dwBufferSize)] LPBYTE pBuffer; }
 * As an [out] top-level struct it is marshalled inline: dwBufferSize, then
 * the embedded pointer's referent id (unique by default for embedded
 * pointers), then the deferred referent: a conformant byte array (max_count,
 * bytes).  The DWORD return value follows.
 *
 * The buffer holds MPR_SERVER_0 (2.2.1.2.61), MPR_SERVER_1 (2.2.1.2.62) or
 * MPR_SERVER_2 (2.2.1.2.63): four, four and six DWORDs, little-endian, the
 * same layout as lib/mprapi.h.
 */
#include <config.h>

#include <stdlib.h>

#include "ndr_priv.h"
#include "rrasm_priv.h"

/*
 * Largest pBuffer we accept.  The levels we decode need at most 24 bytes; a
 * server that sends more (a later Windows with longer structs) is tolerated
 * up to this size, since the array is self-delimited and the extra bytes
 * cannot desynchronise what follows.  More than this is not a reply to
 * GetInfo.
 */
#define RRASM_MAX_INFO_BUFFER 4096u

/* Bytes of the MPR_SERVER_<level> struct on the wire, 0 for other levels. */
static size_t rrasm_server_info_size(DWORD level)
{
    switch (level) {
    case 0:
        return 4 * sizeof(DWORD);
    case 1:
        return 4 * sizeof(DWORD);
    case 2:
        return 6 * sizeof(DWORD);
    default:
        return 0;
    }
}

DWORD rrasm_encode_server_get_info(DWORD level, uint8_t *buf, size_t cap,
                                   size_t *len)
{
    struct ndr_writer w;
    DWORD rc;

    *len = 0;
    if (rrasm_server_info_size(level) == 0)
        return ERROR_INVALID_LEVEL;
    ndr_writer_init(&w, buf, cap);
    ndr_put_u32(&w, level);
    rc = ndr_writer_finish(&w, len);
    return rc;
}

static DWORD rrasm_dword_at(const uint8_t *p, size_t i)
{
    p += 4 * i;
    return (DWORD)p[0] | ((DWORD)p[1] << 8) | ((DWORD)p[2] << 16) |
           ((DWORD)p[3] << 24);
}

/* Build the MPR_SERVER_<level> the caller gets from pBuffer's bytes. */
static DWORD rrasm_copy_server_info(DWORD level, const uint8_t *p, void **info)
{
    MPR_SERVER_0 *s0;
    MPR_SERVER_1 *s1;
    MPR_SERVER_2 *s2;

    switch (level) {
    case 0:
        s0 = malloc(sizeof(*s0));
        if (s0 == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        s0->fLanOnlyMode = (BOOL)rrasm_dword_at(p, 0);
        s0->dwUpTime = rrasm_dword_at(p, 1);
        s0->dwTotalPorts = rrasm_dword_at(p, 2);
        s0->dwPortsInUse = rrasm_dword_at(p, 3);
        *info = s0;
        return NO_ERROR;
    case 1:
        s1 = malloc(sizeof(*s1));
        if (s1 == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        s1->dwNumPptpPorts = rrasm_dword_at(p, 0);
        s1->dwPptpPortFlags = rrasm_dword_at(p, 1);
        s1->dwNumL2tpPorts = rrasm_dword_at(p, 2);
        s1->dwL2tpPortFlags = rrasm_dword_at(p, 3);
        *info = s1;
        return NO_ERROR;
    case 2:
        s2 = malloc(sizeof(*s2));
        if (s2 == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        s2->dwNumPptpPorts = rrasm_dword_at(p, 0);
        s2->dwPptpPortFlags = rrasm_dword_at(p, 1);
        s2->dwNumL2tpPorts = rrasm_dword_at(p, 2);
        s2->dwL2tpPortFlags = rrasm_dword_at(p, 3);
        s2->dwNumSstpPorts = rrasm_dword_at(p, 4);
        s2->dwSstpPortFlags = rrasm_dword_at(p, 5);
        *info = s2;
        return NO_ERROR;
    default:
        return ERROR_INVALID_LEVEL;
    }
}

DWORD rrasm_decode_server_get_info(DWORD level, const uint8_t *stub, size_t len,
                                   void **info, DWORD *server_status)
{
    struct ndr_reader r;
    uint32_t buffer_size, referent, count = 0, status;
    const uint8_t *data = NULL;
    size_t need = rrasm_server_info_size(level);
    DWORD rc;

    *info = NULL;
    *server_status = NO_ERROR;
    if (need == 0)
        return ERROR_INVALID_LEVEL;

    ndr_reader_init(&r, stub, len);
    ndr_get_u32(&r, &buffer_size);
    ndr_get_referent(&r, &referent);
    if (referent != 0)
        ndr_get_conformant_bytes(&r, RRASM_MAX_INFO_BUFFER, &data, &count);
    ndr_get_u32(&r, &status);
    rc = ndr_reader_finish(&r);
    if (rc != NO_ERROR)
        return rc;

    /* size_is(dwBufferSize): the conformance must repeat the size field. */
    if (referent != 0 && count != buffer_size)
        return RPC_X_BAD_STUB_DATA;
    /* A NULL pBuffer with a nonzero dwBufferSize is still valid NDR (the
     * size describes nothing); it only matters on success, below. */

    if (status != NO_ERROR) {
        /* The server's own failure: 3.1.4.1 defines pBuffer only "upon
         * successful return", so whatever came with it is not information,
         * and the caller must see the server's code, not ours. */
        *server_status = status;
        return NO_ERROR;
    }
    /* Success must come with the struct for the level (3.1.4.1). */
    if (referent == 0 || count < need)
        return RPC_X_BAD_STUB_DATA;
    rc = rrasm_copy_server_info(level, data, info);
    if (rc != NO_ERROR)
        return rc;
    *server_status = NO_ERROR;
    return NO_ERROR;
}
