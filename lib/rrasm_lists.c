/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rrasm_lists.c - MS-RRASM (DIMSVC) calls that list what a router has:
 * RRasAdminConnectionEnum (opnum 1), RRasAdminPortEnum (4),
 * RRouterInterfaceGetInfo (13) and RRouterInterfaceEnum (20).
 *
 * Requests ([MS-RRASM] 3.1.4.2, 3.1.4.5, 3.1.4.14, 3.1.4.21):
 *   ConnectionEnum / InterfaceEnum: dwLevel, [in,out] DIM_INFORMATION_
 *     CONTAINER (sent empty: dwBufferSize 0, pBuffer NULL),
 *     dwPreferedMaximumLength, [in,out,unique] lpdwResumeHandle;
 *   PortEnum: dwLevel, hRasConnection, then as above;
 *   InterfaceGetInfo: dwLevel, the empty container, hInterface.
 * Responses: the container (dwBufferSize, referent, the conformant byte
 * array), then for the enumerations lpdwEntriesRead, lpdwTotalEntries and
 * the resume handle (referent, value), then the DWORD return value.
 *
 * pBuffer holds an array of the level's flat structure (RASI_CONNECTION_0/1
 * 2.2.1.2.77-78, RASI_PORT_0 2.2.1.2.75, MPRI_INTERFACE_0 2.2.1.2.81):
 * handles are DWORDs, strings fixed WCHAR arrays, little-endian.  Each is
 * described below as a table of fields (wire offset, host offset), so the
 * one decoder checks every string's terminator and copies into the
 * mprapi.h structure with its pointer-sized handles.  The stride is the
 * buffer size over the entry count; it must be the structure's packed
 * length or that length padded to 4 or 8, the only ways a C compiler lays
 * such an array out.
 */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ndr_priv.h"
#include "rrasm_priv.h"

/* The largest pBuffer we accept: far above any page a caller asks for,
 * and above what the transport reassembles anyway. */
#define RRASM_MAX_LIST_BUFFER (16u * 1024u * 1024u)

/* Any nonzero referent id; Microsoft's stubs start at this one. */
#define RRASM_REFERENT 0x00020000u

enum field_kind { FIELD_DWORD, FIELD_HANDLE, FIELD_WSTRING };

struct wire_field {
    enum field_kind kind;
    size_t wire;  /* byte offset in the flat structure */
    size_t units; /* FIELD_WSTRING: the array's WCHARs */
    size_t host;  /* offsetof in the mprapi.h structure */
};

struct wire_layout {
    size_t packed;    /* bytes up to the end of the last field */
    size_t host_size; /* sizeof the mprapi.h structure */
    const struct wire_field *fields;
    size_t nfields;
};

#define DW(w, type, member) {FIELD_DWORD, (w), 0, offsetof(type, member)}
#define HD(w, type, member) {FIELD_HANDLE, (w), 0, offsetof(type, member)}
#define WS(w, n, type, member) {FIELD_WSTRING, (w), (n), offsetof(type, member)}
#define LAYOUT(packed, type, table)                                            \
    {(packed), sizeof(type), (table), sizeof(table) / sizeof((table)[0])}

static const struct wire_field interface_0_fields[] = {
    WS(0, 257, MPR_INTERFACE_0, wszInterfaceName),
    HD(516, MPR_INTERFACE_0, hInterface),
    DW(520, MPR_INTERFACE_0, fEnabled),
    DW(524, MPR_INTERFACE_0, dwIfType),
    DW(528, MPR_INTERFACE_0, dwConnectionState),
    DW(532, MPR_INTERFACE_0, fUnReachabilityReasons),
    DW(536, MPR_INTERFACE_0, dwLastError),
};

static const struct wire_field connection_0_fields[] = {
    HD(0, RAS_CONNECTION_0, hConnection),
    HD(4, RAS_CONNECTION_0, hInterface),
    DW(8, RAS_CONNECTION_0, dwConnectDuration),
    DW(12, RAS_CONNECTION_0, dwInterfaceType),
    DW(16, RAS_CONNECTION_0, dwConnectionFlags),
    WS(20, 257, RAS_CONNECTION_0, wszInterfaceName),
    WS(534, 257, RAS_CONNECTION_0, wszUserName),
    WS(1048, 16, RAS_CONNECTION_0, wszLogonDomain),
    WS(1080, 17, RAS_CONNECTION_0, wszRemoteComputer),
};

static const struct wire_field connection_1_fields[] = {
    HD(0, RAS_CONNECTION_1, hConnection),
    HD(4, RAS_CONNECTION_1, hInterface),
    DW(8, RAS_CONNECTION_1, PppInfo.nbf.dwError),
    WS(12, 17, RAS_CONNECTION_1, PppInfo.nbf.wszWksta),
    DW(48, RAS_CONNECTION_1, PppInfo.ip.dwError),
    WS(52, 16, RAS_CONNECTION_1, PppInfo.ip.wszAddress),
    WS(84, 16, RAS_CONNECTION_1, PppInfo.ip.wszRemoteAddress),
    DW(116, RAS_CONNECTION_1, PppInfo.ipx.dwError),
    WS(120, 23, RAS_CONNECTION_1, PppInfo.ipx.wszAddress),
    DW(168, RAS_CONNECTION_1, PppInfo.at.dwError),
    WS(172, 33, RAS_CONNECTION_1, PppInfo.at.wszAddress),
    DW(240, RAS_CONNECTION_1, dwBytesXmited),
    DW(244, RAS_CONNECTION_1, dwBytesRcved),
    DW(248, RAS_CONNECTION_1, dwFramesXmited),
    DW(252, RAS_CONNECTION_1, dwFramesRcved),
    DW(256, RAS_CONNECTION_1, dwCrcErr),
    DW(260, RAS_CONNECTION_1, dwTimeoutErr),
    DW(264, RAS_CONNECTION_1, dwAlignmentErr),
    DW(268, RAS_CONNECTION_1, dwHardwareOverrunErr),
    DW(272, RAS_CONNECTION_1, dwFramingErr),
    DW(276, RAS_CONNECTION_1, dwBufferOverrunErr),
    DW(280, RAS_CONNECTION_1, dwCompressionRatioIn),
    DW(284, RAS_CONNECTION_1, dwCompressionRatioOut),
};

static const struct wire_field port_0_fields[] = {
    HD(0, RAS_PORT_0, hPort),
    HD(4, RAS_PORT_0, hConnection),
    DW(8, RAS_PORT_0, dwPortCondition),
    DW(12, RAS_PORT_0, dwTotalNumberOfCalls),
    DW(16, RAS_PORT_0, dwConnectDuration),
    WS(20, 17, RAS_PORT_0, wszPortName),
    WS(54, 17, RAS_PORT_0, wszMediaName),
    WS(88, 129, RAS_PORT_0, wszDeviceName),
    WS(346, 17, RAS_PORT_0, wszDeviceType),
};

static const struct wire_layout interface_0 =
    LAYOUT(540, MPR_INTERFACE_0, interface_0_fields);
static const struct wire_layout connection_0 =
    LAYOUT(1114, RAS_CONNECTION_0, connection_0_fields);
static const struct wire_layout connection_1 =
    LAYOUT(288, RAS_CONNECTION_1, connection_1_fields);
static const struct wire_layout port_0 =
    LAYOUT(380, RAS_PORT_0, port_0_fields);

static const struct wire_layout *list_layout(enum rrasm_list list, DWORD level)
{
    switch (list) {
    case RRASM_LIST_INTERFACES:
        return level == 0 ? &interface_0 : NULL;
    case RRASM_LIST_CONNECTIONS:
        return level == 0 ? &connection_0 : level == 1 ? &connection_1 : NULL;
    case RRASM_LIST_PORTS:
        return level == 0 ? &port_0 : NULL;
    }
    return NULL;
}

int rrasm_list_level_ok(enum rrasm_list list, DWORD level)
{
    return list_layout(list, level) != NULL;
}

size_t rrasm_list_entry_size(enum rrasm_list list, DWORD level)
{
    const struct wire_layout *l = list_layout(list, level);

    return l ? l->host_size : 0;
}

uint16_t rrasm_list_opnum(enum rrasm_list list)
{
    switch (list) {
    case RRASM_LIST_INTERFACES:
        return RRASM_OPNUM_INTERFACE_ENUM;
    case RRASM_LIST_CONNECTIONS:
        return RRASM_OPNUM_CONNECTION_ENUM;
    default:
        return RRASM_OPNUM_PORT_ENUM;
    }
}

/* ---- requests ---- */

static void put_empty_container(struct ndr_writer *w)
{
    ndr_put_u32(w, 0); /* dwBufferSize */
    ndr_put_u32(w, 0); /* pBuffer: NULL */
}

DWORD rrasm_encode_list(const struct rrasm_list_request *req, uint8_t *buf,
                        size_t cap, size_t *len)
{
    struct ndr_writer w;

    *len = 0;
    if (!rrasm_list_level_ok(req->list, req->level))
        return ERROR_INVALID_LEVEL;
    ndr_writer_init(&w, buf, cap);
    ndr_put_u32(&w, req->level);
    if (req->list == RRASM_LIST_PORTS)
        ndr_put_u32(&w, req->connection);
    put_empty_container(&w);
    ndr_put_u32(&w, req->pref_max_len);
    ndr_put_u32(&w, req->has_resume ? RRASM_REFERENT : 0);
    if (req->has_resume)
        ndr_put_u32(&w, req->resume);
    return ndr_writer_finish(&w, len);
}

DWORD rrasm_encode_interface_get_info(DWORD level, DWORD interface_handle,
                                      uint8_t *buf, size_t cap, size_t *len)
{
    struct ndr_writer w;

    *len = 0;
    if (level != 0)
        return ERROR_INVALID_LEVEL;
    ndr_writer_init(&w, buf, cap);
    ndr_put_u32(&w, level);
    put_empty_container(&w);
    ndr_put_u32(&w, interface_handle);
    return ndr_writer_finish(&w, len);
}

/* ---- the flat structures ---- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* A fixed WCHAR array: NUL-terminated within its units, copied whole. */
static DWORD copy_wstring(const uint8_t *p, size_t units, WCHAR *out)
{
    size_t i;
    int terminated = 0;

    for (i = 0; i < units; i++) {
        out[i] = (WCHAR)(p[2 * i] | (p[2 * i + 1] << 8));
        if (out[i] == 0)
            terminated = 1;
    }
    return terminated ? NO_ERROR : RPC_X_BAD_STUB_DATA;
}

static DWORD copy_entry(const struct wire_layout *l, const uint8_t *src,
                        uint8_t *dst)
{
    size_t i;

    for (i = 0; i < l->nfields; i++) {
        const struct wire_field *f = &l->fields[i];
        DWORD v;
        HANDLE h;

        switch (f->kind) {
        case FIELD_DWORD:
            v = le32(src + f->wire);
            memcpy(dst + f->host, &v, sizeof(v));
            break;
        case FIELD_HANDLE:
            h = (HANDLE)(uintptr_t)le32(src + f->wire);
            memcpy(dst + f->host, &h, sizeof(h));
            break;
        case FIELD_WSTRING:
            if (copy_wstring(src + f->wire, f->units,
                             (WCHAR *)(void *)(dst + f->host)) != NO_ERROR)
                return RPC_X_BAD_STUB_DATA;
            break;
        }
    }
    return NO_ERROR;
}

static int stride_ok(const struct wire_layout *l, size_t stride)
{
    return stride == l->packed || stride == ((l->packed + 3) & ~(size_t)3) ||
           stride == ((l->packed + 7) & ~(size_t)7);
}

/* count entries from size bytes into a new array of host structures. */
static DWORD copy_entries(const struct wire_layout *l, const uint8_t *data,
                          uint32_t size, uint32_t count, void **out)
{
    size_t stride, i;
    uint8_t *array;

    *out = NULL;
    if (count == 0)
        return NO_ERROR;
    if (data == NULL || size % count != 0)
        return RPC_X_BAD_STUB_DATA;
    stride = size / count;
    if (!stride_ok(l, stride))
        return RPC_X_BAD_STUB_DATA;
    array = calloc(count, l->host_size);
    if (array == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++) {
        if (copy_entry(l, data + i * stride, array + i * l->host_size) !=
            NO_ERROR) {
            free(array);
            return RPC_X_BAD_STUB_DATA;
        }
    }
    *out = array;
    return NO_ERROR;
}

/* ---- responses ---- */

struct container {
    uint32_t size;
    const uint8_t *data; /* NULL for a NULL pBuffer */
};

static void get_container(struct ndr_reader *r, struct container *c)
{
    uint32_t referent = 0, count = 0;

    c->data = NULL;
    ndr_get_u32(r, &c->size);
    ndr_get_referent(r, &referent);
    if (referent != 0) {
        ndr_get_conformant_bytes(r, RRASM_MAX_LIST_BUFFER, &c->data, &count);
        /* size_is(dwBufferSize): the conformance repeats the size. */
        if (count != c->size && r->err == NO_ERROR)
            r->err = RPC_X_BAD_STUB_DATA;
    }
}

static int page_status(DWORD status)
{
    return status == NO_ERROR || status == ERROR_MORE_DATA;
}

DWORD rrasm_decode_list(const struct rrasm_list_request *req,
                        const uint8_t *stub, size_t len,
                        struct rrasm_list_reply *out)
{
    const struct wire_layout *l = list_layout(req->list, req->level);
    struct ndr_reader r;
    struct container c;
    uint32_t read = 0, total = 0, resume_ref = 0, resume = 0, status = 0;
    DWORD rc;

    memset(out, 0, sizeof(*out));
    if (l == NULL)
        return ERROR_INVALID_LEVEL;
    ndr_reader_init(&r, stub, len);
    get_container(&r, &c);
    ndr_get_u32(&r, &read);
    ndr_get_u32(&r, &total);
    ndr_get_referent(&r, &resume_ref);
    if (resume_ref != 0)
        ndr_get_u32(&r, &resume);
    ndr_get_u32(&r, &status);
    rc = ndr_reader_finish(&r);
    if (rc != NO_ERROR)
        return rc;
    out->status = status;
    if (!page_status(status))
        return NO_ERROR; /* the server's failure: nothing else is defined */
    /* A server cannot have fewer entries than it just sent. */
    if (read > total)
        return RPC_X_BAD_STUB_DATA;
    rc = copy_entries(l, c.data, c.size, read, &out->entries);
    if (rc != NO_ERROR)
        return rc;
    out->entries_read = read;
    out->total_entries = total;
    out->has_resume = resume_ref != 0;
    out->resume = resume;
    return NO_ERROR;
}

DWORD rrasm_decode_interface_get_info(DWORD level, const uint8_t *stub,
                                      size_t len, void **info,
                                      DWORD *server_status)
{
    struct ndr_reader r;
    struct container c;
    uint32_t status = 0;
    DWORD rc;

    *info = NULL;
    *server_status = NO_ERROR;
    if (level != 0)
        return ERROR_INVALID_LEVEL;
    ndr_reader_init(&r, stub, len);
    get_container(&r, &c);
    ndr_get_u32(&r, &status);
    rc = ndr_reader_finish(&r);
    if (rc != NO_ERROR)
        return rc;
    if (status != NO_ERROR) {
        *server_status = status;
        return NO_ERROR;
    }
    return copy_entries(&interface_0, c.data, c.size, 1, info);
}

DWORD rrasm_list_append(const struct rrasm_list_request *req, void **all,
                        DWORD *have, DWORD max, struct rrasm_list_reply *page)
{
    size_t size = rrasm_list_entry_size(req->list, req->level);
    DWORD room = max > *have ? max - *have : 0;
    DWORD take = page->entries_read < room ? page->entries_read : room;
    uint8_t *grown;

    if (take > 0) {
        grown = realloc(*all, ((size_t)*have + take) * size);
        if (grown == NULL) {
            free(page->entries);
            page->entries = NULL;
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        memcpy(grown + (size_t)*have * size, page->entries, take * size);
        *all = grown;
        *have += take;
    }
    free(page->entries);
    page->entries = NULL;
    return NO_ERROR;
}
