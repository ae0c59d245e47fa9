/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scmr.c - the MS-SCMR (svcctl) calls MprAdminIsServiceRunning makes.
 *
 * [MS-SCMR] 3.1.4.15 ROpenSCManagerW (Opnum 15):
 *   ([in, string, unique, range(0, SC_MAX_COMPUTER_NAME_LENGTH)]
 *        SVCCTL_HANDLEW lpMachineName,
 *    [in, string, unique, range(0, SC_MAX_NAME_LENGTH)]
 *        wchar_t *lpDatabaseName,
 *    [in] DWORD dwDesiredAccess, [out] LPSC_RPC_HANDLE lpScHandle)
 * [MS-SCMR] 3.1.4.16 ROpenServiceW (Opnum 16):
 *   ([in] SC_RPC_HANDLE hSCManager,
 *    [in, string, range(0, SC_MAX_NAME_LENGTH)] wchar_t *lpServiceName,
 *    [in] DWORD dwDesiredAccess, [out] LPSC_RPC_HANDLE lpServiceHandle)
 * [MS-SCMR] 3.1.4.7 RQueryServiceStatus (Opnum 6):
 *   ([in] SC_RPC_HANDLE hService, [out] LPSERVICE_STATUS lpServiceStatus)
 * [MS-SCMR] 3.1.4.1 RCloseServiceHandle (Opnum 0):
 *   ([in, out] LPSC_RPC_HANDLE hSCObject)
 * Every call returns a DWORD after its [out] parameters.
 *
 * SC_RPC_HANDLE (2.2.4) is a context handle: 20 bytes on the wire.
 * SERVICE_STATUS (2.2.47) is seven DWORDs.  A top-level [out] pointer to a
 * struct is a reference pointer, so no referent id precedes it.
 */
#include <config.h>

#include <string.h>

#include "ndr_priv.h"
#include "scmr_priv.h"

/* From the MS-SCMR IDL (6 Appendix A): SC_MAX_COMPUTER_NAME_LENGTH 1024,
 * SC_MAX_NAME_LENGTH 256 + 1.  We apply them to the UTF-16 units sent,
 * the NUL included, which is at least as strict as the server's range(). */
#define SCMR_MAX_COMPUTER_NAME_UNITS 1024u
#define SCMR_MAX_NAME_UNITS 257u

static int scmr_handle_is_nil(const struct scmr_handle *h)
{
    static const uint8_t nil[NDR_CONTEXT_HANDLE_SIZE];

    return memcmp(h->bytes, nil, sizeof(nil)) == 0;
}

DWORD scmr_encode_open_sc_manager(const char *machine, DWORD access,
                                  uint8_t *buf, size_t cap, size_t *len)
{
    struct ndr_writer w;

    ndr_writer_init(&w, buf, cap);
    ndr_put_unique_wstring(&w, machine, SCMR_MAX_COMPUTER_NAME_UNITS);
    /* lpDatabaseName NULL = SERVICES_ACTIVE_DATABASE. */
    ndr_put_unique_wstring(&w, NULL, SCMR_MAX_NAME_UNITS);
    ndr_put_u32(&w, access);
    return ndr_writer_finish(&w, len);
}

/* The shape both Open calls answer with: a handle, then the return value.
 * Success with a nil handle cannot be used for anything: malformed. */
static DWORD scmr_decode_handle_reply(const uint8_t *stub, size_t len,
                                      struct scmr_handle *h, DWORD *status)
{
    struct ndr_reader r;
    uint32_t ret;
    DWORD rc;

    memset(h, 0, sizeof(*h));
    *status = NO_ERROR;
    ndr_reader_init(&r, stub, len);
    ndr_get_context_handle(&r, h->bytes);
    ndr_get_u32(&r, &ret);
    rc = ndr_reader_finish(&r);
    if (rc != NO_ERROR) {
        memset(h, 0, sizeof(*h));
        return rc;
    }
    if (ret != NO_ERROR) {
        /* No handle was opened; do not hand back whatever bytes came. */
        memset(h, 0, sizeof(*h));
        *status = ret;
        return NO_ERROR;
    }
    if (scmr_handle_is_nil(h))
        return RPC_X_BAD_STUB_DATA;
    return NO_ERROR;
}

DWORD scmr_decode_open_sc_manager(const uint8_t *stub, size_t len,
                                  struct scmr_handle *h, DWORD *status)
{
    return scmr_decode_handle_reply(stub, len, h, status);
}

DWORD scmr_encode_open_service(const struct scmr_handle *scm,
                               const char *service, DWORD access, uint8_t *buf,
                               size_t cap, size_t *len)
{
    struct ndr_writer w;

    *len = 0;
    if (scm == NULL || service == NULL)
        return ERROR_INVALID_PARAMETER;
    ndr_writer_init(&w, buf, cap);
    ndr_put_context_handle(&w, scm->bytes);
    ndr_put_wstring(&w, service, SCMR_MAX_NAME_UNITS);
    ndr_put_u32(&w, access);
    return ndr_writer_finish(&w, len);
}

DWORD scmr_decode_open_service(const uint8_t *stub, size_t len,
                               struct scmr_handle *h, DWORD *status)
{
    return scmr_decode_handle_reply(stub, len, h, status);
}

/* Requests that are just one handle. */
static DWORD scmr_encode_handle_only(const struct scmr_handle *h, uint8_t *buf,
                                     size_t cap, size_t *len)
{
    struct ndr_writer w;

    *len = 0;
    if (h == NULL)
        return ERROR_INVALID_PARAMETER;
    ndr_writer_init(&w, buf, cap);
    ndr_put_context_handle(&w, h->bytes);
    return ndr_writer_finish(&w, len);
}

DWORD scmr_encode_query_service_status(const struct scmr_handle *svc,
                                       uint8_t *buf, size_t cap, size_t *len)
{
    return scmr_encode_handle_only(svc, buf, cap, len);
}

DWORD scmr_decode_query_service_status(const uint8_t *stub, size_t len,
                                       struct scmr_service_status *st,
                                       DWORD *status)
{
    struct ndr_reader r;
    uint32_t ret;
    DWORD rc;

    memset(st, 0, sizeof(*st));
    *status = NO_ERROR;
    ndr_reader_init(&r, stub, len);
    ndr_get_u32(&r, &st->service_type);
    ndr_get_u32(&r, &st->current_state);
    ndr_get_u32(&r, &st->controls_accepted);
    ndr_get_u32(&r, &st->win32_exit_code);
    ndr_get_u32(&r, &st->service_exit_code);
    ndr_get_u32(&r, &st->check_point);
    ndr_get_u32(&r, &st->wait_hint);
    ndr_get_u32(&r, &ret);
    rc = ndr_reader_finish(&r);
    /* A state outside SERVICE_STATUS's seven values is a lying or broken
     * server, not "stopped": taking it as stopped would page someone. */
    if (rc == NO_ERROR && ret == NO_ERROR &&
        (st->current_state < SERVICE_STOPPED ||
         st->current_state > SERVICE_PAUSED))
        rc = RPC_X_BAD_STUB_DATA;
    if (rc != NO_ERROR || ret != NO_ERROR)
        memset(st, 0, sizeof(*st));
    if (rc != NO_ERROR)
        return rc;
    *status = ret;
    return NO_ERROR;
}

DWORD scmr_encode_close_service_handle(const struct scmr_handle *h,
                                       uint8_t *buf, size_t cap, size_t *len)
{
    return scmr_encode_handle_only(h, buf, cap, len);
}

DWORD scmr_decode_close_service_handle(const uint8_t *stub, size_t len,
                                       DWORD *status)
{
    struct ndr_reader r;
    uint8_t handle[NDR_CONTEXT_HANDLE_SIZE];
    uint32_t ret;
    DWORD rc;

    *status = NO_ERROR;
    ndr_reader_init(&r, stub, len);
    /* The [in, out] handle comes back (nil once closed); nothing to keep. */
    ndr_get_context_handle(&r, handle);
    ndr_get_u32(&r, &ret);
    rc = ndr_reader_finish(&r);
    if (rc != NO_ERROR)
        return rc;
    *status = ret;
    return NO_ERROR;
}
