/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lists.c - MprAdminInterfaceEnum, MprAdminConnectionEnum,
 * MprAdminPortEnum and MprAdminInterfaceGetInfo: the caller's arguments
 * checked, one DIMSVC call as a job for the I/O thread, the reply decoded
 * (rrasm_lists.c) on the calling thread. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api_priv.h"
#include "detail_priv.h"
#include "rrasm_priv.h"

/* Run one DIMSVC call on a handle: *reply is the reply stub (the
 * caller's to free) when NO_ERROR. */
static DWORD run_call(MPR_SERVER_HANDLE h, uint16_t opnum,
                      const uint8_t *req, size_t len, uint8_t **reply,
                      size_t *reply_len)
{
    struct job *job;
    DWORD rc;

    *reply = NULL;
    *reply_len = 0;
    if (len > sizeof(job->request))
        return ERROR_INSUFFICIENT_BUFFER;
    rc = api_handle_job(JOB_DIM_CALL, h, 0, &job);
    if (rc != NO_ERROR)
        return rc;
    job->opnum = opnum;
    memcpy(job->request, req, len);
    job->request_len = len;
    rc = engine_run_blocking(job);
    api_take_detail(job);
    if (rc == NO_ERROR) {
        *reply = job->reply;
        *reply_len = job->reply_len;
        job->reply = NULL;
    }
    job_free(job);
    return rc;
}

static const char *list_name(enum rrasm_list list)
{
    switch (list) {
    case RRASM_LIST_INTERFACES:
        return "RRouterInterfaceEnum";
    case RRASM_LIST_CONNECTIONS:
        return "RRasAdminConnectionEnum";
    default:
        return "RRasAdminPortEnum";
    }
}

static DWORD list_page(MPR_SERVER_HANDLE h, struct rrasm_list_request *req,
                       LPBYTE *buffer, LPDWORD read, LPDWORD total,
                       LPDWORD resume)
{
    struct rrasm_list_reply out;
    uint8_t stub[64];
    uint8_t *reply;
    size_t len = 0, reply_len;
    DWORD rc;

    detail_clear();
    if (!buffer || !read || !total)
        return ERROR_INVALID_PARAMETER;
    *buffer = NULL;
    *read = 0;
    *total = 0;
    req->has_resume = resume != NULL;
    req->resume = resume ? *resume : 0;
    rc = rrasm_encode_list(req, stub, sizeof(stub), &len);
    if (rc != NO_ERROR)
        return rc;
    rc = run_call(h, rrasm_list_opnum(req->list), stub, len, &reply,
                  &reply_len);
    if (rc != NO_ERROR)
        return rc;
    rc = rrasm_decode_list(req, reply, reply_len, &out);
    free(reply);
    if (rc == RPC_X_BAD_STUB_DATA)
        detail_set("%s: the server's reply is malformed (counts, lengths "
                   "or strings)", list_name(req->list));
    if (rc != NO_ERROR)
        return rc;
    *buffer = out.entries;
    *read = out.entries_read;
    *total = out.total_entries;
    if (resume)
        *resume = out.has_resume ? out.resume : 0;
    return out.status;
}

DWORD MprAdminInterfaceEnum(MPR_SERVER_HANDLE hMprServer, DWORD dwLevel,
                            LPBYTE *lplpbBuffer, DWORD dwPrefMaxLen,
                            LPDWORD lpdwEntriesRead, LPDWORD lpdwTotalEntries,
                            LPDWORD lpdwResumeHandle)
{
    struct rrasm_list_request req = {.list = RRASM_LIST_INTERFACES,
                                     .level = dwLevel,
                                     .pref_max_len = dwPrefMaxLen};

    return list_page(hMprServer, &req, lplpbBuffer, lpdwEntriesRead,
                     lpdwTotalEntries, lpdwResumeHandle);
}

DWORD MprAdminConnectionEnum(RAS_SERVER_HANDLE hRasServer, DWORD dwLevel,
                             LPBYTE *lplpbBuffer, DWORD dwPrefMaxLen,
                             LPDWORD lpdwEntriesRead,
                             LPDWORD lpdwTotalEntries,
                             LPDWORD lpdwResumeHandle)
{
    struct rrasm_list_request req = {.list = RRASM_LIST_CONNECTIONS,
                                     .level = dwLevel,
                                     .pref_max_len = dwPrefMaxLen};

    return list_page(hRasServer, &req, lplpbBuffer, lpdwEntriesRead,
                     lpdwTotalEntries, lpdwResumeHandle);
}

DWORD MprAdminPortEnum(RAS_SERVER_HANDLE hRasServer, DWORD dwLevel,
                       HANDLE hRasConnection, LPBYTE *lplpbBuffer,
                       DWORD dwPrefMaxLen, LPDWORD lpdwEntriesRead,
                       LPDWORD lpdwTotalEntries, LPDWORD lpdwResumeHandle)
{
    /* Handles are DWORDs on the wire; INVALID_HANDLE_VALUE becomes
     * 0xFFFFFFFF, "every port", as Windows' own client sends it. */
    struct rrasm_list_request req = {
        .list = RRASM_LIST_PORTS,
        .level = dwLevel,
        .connection = (DWORD)(uintptr_t)hRasConnection,
        .pref_max_len = dwPrefMaxLen};

    return list_page(hRasServer, &req, lplpbBuffer, lpdwEntriesRead,
                     lpdwTotalEntries, lpdwResumeHandle);
}

DWORD MprAdminInterfaceGetInfo(MPR_SERVER_HANDLE hMprServer,
                               HANDLE hInterface, DWORD dwLevel,
                               LPBYTE *lplpbBuffer)
{
    uint8_t stub[32];
    uint8_t *reply;
    size_t len = 0, reply_len;
    void *info = NULL;
    DWORD rc, status = NO_ERROR;

    detail_clear();
    if (!lplpbBuffer)
        return ERROR_INVALID_PARAMETER;
    *lplpbBuffer = NULL;
    rc = rrasm_encode_interface_get_info(
        dwLevel, (DWORD)(uintptr_t)hInterface, stub, sizeof(stub), &len);
    if (rc != NO_ERROR)
        return rc;
    rc = run_call(hMprServer, RRASM_OPNUM_INTERFACE_GET_INFO, stub, len,
                  &reply, &reply_len);
    if (rc != NO_ERROR)
        return rc;
    rc = rrasm_decode_interface_get_info(dwLevel, reply, reply_len, &info,
                                         &status);
    free(reply);
    if (rc == RPC_X_BAD_STUB_DATA)
        detail_set("RRouterInterfaceGetInfo: the server's reply is malformed");
    if (rc != NO_ERROR)
        return rc;
    *lplpbBuffer = info;
    return status;
}

/* ---- every page ---- */

DWORD api_list_job(MPR_SERVER_HANDLE h, MPRMON_LIST list, DWORD level,
                   DWORD page_bytes, DWORD max_entries, DWORD dwDeadlineMs,
                   struct job **out)
{
    static const enum rrasm_list lists[] = {
        [MPRMON_LIST_INTERFACES] = RRASM_LIST_INTERFACES,
        [MPRMON_LIST_CONNECTIONS] = RRASM_LIST_CONNECTIONS,
        [MPRMON_LIST_PORTS] = RRASM_LIST_PORTS};
    struct rrasm_list_request req = {.level = level,
                                     .connection = 0xFFFFFFFFu,
                                     .pref_max_len = page_bytes,
                                     .has_resume = 1};
    DWORD rc;

    *out = NULL;
    if (list < MPRMON_LIST_INTERFACES || list > MPRMON_LIST_PORTS)
        return ERROR_INVALID_PARAMETER;
    req.list = lists[list];
    if (!rrasm_list_level_ok(req.list, level))
        return ERROR_INVALID_LEVEL;
    rc = api_handle_job(JOB_LIST, h, dwDeadlineMs, out);
    if (rc != NO_ERROR)
        return rc;
    (*out)->list_req = req;
    (*out)->max_entries = max_entries;
    return NO_ERROR;
}

DWORD MprmonEnumAll(MPR_SERVER_HANDLE hMprServer, MPRMON_LIST list,
                    DWORD dwLevel, DWORD dwPageBytes, DWORD dwMaxEntries,
                    LPBYTE *lplpbBuffer, LPDWORD lpdwEntries)
{
    struct job *job;
    DWORD rc;

    detail_clear();
    if (!lplpbBuffer || !lpdwEntries)
        return ERROR_INVALID_PARAMETER;
    *lplpbBuffer = NULL;
    *lpdwEntries = 0;
    rc = api_list_job(hMprServer, list, dwLevel, dwPageBytes, dwMaxEntries, 0,
                      &job);
    if (rc != NO_ERROR)
        return rc;
    rc = engine_run_blocking(job);
    api_take_detail(job);
    if (rc == NO_ERROR || rc == ERROR_MORE_DATA) {
        *lplpbBuffer = job->info;
        *lpdwEntries = job->entries;
        job->info = NULL;
    }
    job_free(job);
    return rc;
}
