/* SPDX-License-Identifier: GPL-3.0-or-later */
/* api.c - the MprAdmin* entry points: argument checks, handle lifetime, and
 * each blocking call as a job for the I/O thread plus a wait (engine.c).
 * The steps on the wire live in ops.c and samba_rpc.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_priv.h"
#include "detail_priv.h"
#include "handles_priv.h"
#include "names_priv.h"
#include "settings_priv.h"

/* What a handle stands for: one DCE/RPC association with DIMSVC. */
struct mpr_server {
    struct engine_conn *conn; /* the handle's reference */
    unsigned timeout_ms;      /* calls' default deadline */
};

DWORD api_server_job(enum job_kind kind, LPCWSTR name,
                     const MPRMON_CONNECT_OPTIONS *opts, DWORD dwDeadlineMs,
                     struct job **out)
{
    char key[MPR_HOST_MAX + 3];
    struct job *job = job_new(kind);
    DWORD rc;

    *out = NULL;
    if (!job)
        return ERROR_NOT_ENOUGH_MEMORY;
    rc = names_server_to_host(name, job->host, sizeof(job->host));
    if (rc != NO_ERROR) {
        detail_set("the server name is not a valid host name");
    } else if (opts) {
        rc = settings_from_options(opts, &job->settings);
    } else {
        rc = names_server_key(name, key, sizeof(key));
        if (rc == NO_ERROR)
            rc = settings_lookup(key, &job->settings);
    }
    if (rc != NO_ERROR) {
        job_free(job);
        return rc;
    }
    job->timeout_ms = dwDeadlineMs ? dwDeadlineMs : job->settings.timeout_ms;
    *out = job;
    return NO_ERROR;
}

DWORD api_handle_job(enum job_kind kind, MPR_SERVER_HANDLE h,
                     DWORD dwDeadlineMs, struct job **out)
{
    struct mpr_server *server;
    struct job *job = job_new(kind);

    *out = NULL;
    if (!job)
        return ERROR_NOT_ENOUGH_MEMORY;
    server = handles_acquire(h);
    if (!server) {
        job_free(job);
        return ERROR_INVALID_HANDLE;
    }
    /* The job's own reference keeps the association alive even if the
     * handle is disconnected while the call runs. */
    engine_conn_ref(server->conn);
    job->conn = server->conn;
    job->timeout_ms = dwDeadlineMs ? dwDeadlineMs : server->timeout_ms;
    handles_release(h);
    *out = job;
    return NO_ERROR;
}

DWORD api_get_info_job(MPR_SERVER_HANDLE h, DWORD level, DWORD dwDeadlineMs,
                       struct job **out)
{
    DWORD rc;

    *out = NULL;
    if (level > 2)
        return ERROR_INVALID_LEVEL;
    rc = api_handle_job(JOB_GET_INFO, h, dwDeadlineMs, out);
    if (rc == NO_ERROR)
        (*out)->level = level;
    return rc;
}

DWORD api_take_handle(struct job *job, MPR_SERVER_HANDLE *out)
{
    struct mpr_server *server = calloc(1, sizeof(*server));
    DWORD rc;

    if (!server)
        return ERROR_NOT_ENOUGH_MEMORY;
    server->conn = job->new_conn;
    server->timeout_ms = job->timeout_ms;
    rc = handles_insert(server, out);
    if (rc != NO_ERROR) {
        free(server);
        return rc;
    }
    job->new_conn = NULL;
    return NO_ERROR;
}

void api_take_detail(const struct job *job)
{
    if (job->rc != NO_ERROR && job->detail[0])
        detail_set("%s", job->detail);
}

DWORD MprmonServerConnectEx(LPWSTR lpwsServerName,
                            const MPRMON_CONNECT_OPTIONS *pOptions,
                            MPR_SERVER_HANDLE *phMprServer)
{
    struct job *job;
    DWORD rc;

    detail_clear();
    /* The seed's contract: a NULL out-pointer is an invalid binding, and it
     * is refused before anything touches the network. */
    if (!phMprServer)
        return RPC_S_INVALID_BINDING;
    *phMprServer = NULL;
    rc = api_server_job(JOB_CONNECT, lpwsServerName, pOptions, 0, &job);
    if (rc != NO_ERROR)
        return rc;
    /* As on Windows, connecting does not ask the SCM about RemoteAccess: a
     * ROUTER pipe that binds DIMSVC is the whole test. */
    rc = engine_run_blocking(job);
    api_take_detail(job);
    if (rc == NO_ERROR)
        rc = api_take_handle(job, phMprServer);
    job_discard(job);
    return rc;
}

DWORD MprAdminServerConnect(LPWSTR lpwsServerName,
                            MPR_SERVER_HANDLE *phMprServer)
{
    return MprmonServerConnectEx(lpwsServerName, NULL, phMprServer);
}

void MprAdminServerDisconnect(MPR_SERVER_HANDLE hMprServer)
{
    struct mpr_server *server = handles_remove(hMprServer);
    struct job *job;

    if (!server)
        return;
    job = job_new(JOB_DISCONNECT);
    if (job) {
        job->conn = server->conn;
        job->timeout_ms = 1000;
        /* Waiting means the connection is closed when this returns, as
         * callers counting descriptors expect. */
        if (engine_run_blocking(job) != NO_ERROR)
            job->conn = NULL;
        job_free(job);
    }
    free(server);
}

void MprmonServerDisconnectNoWait(MPR_SERVER_HANDLE hMprServer)
{
    struct mpr_server *server = handles_remove(hMprServer);

    if (!server)
        return;
    engine_close_detached(server->conn);
    free(server);
}

DWORD MprAdminServerGetInfo(MPR_SERVER_HANDLE hMprServer, DWORD dwLevel,
                            LPBYTE *lplpbBuffer)
{
    struct job *job;
    DWORD rc;

    detail_clear();
    if (!lplpbBuffer)
        return ERROR_INVALID_PARAMETER;
    *lplpbBuffer = NULL;
    rc = api_get_info_job(hMprServer, dwLevel, 0, &job);
    if (rc != NO_ERROR)
        return rc;
    rc = engine_run_blocking(job);
    api_take_detail(job);
    if (rc == NO_ERROR) {
        *lplpbBuffer = job->info;
        job->info = NULL;
    }
    job_free(job);
    return rc;
}

DWORD MprAdminBufferFree(LPVOID pBuffer)
{
    free(pBuffer);
    return NO_ERROR;
}

DWORD MprAdminGetErrorString(DWORD dwError, LPWSTR *lplpwsErrorString)
{
    if (!lplpwsErrorString)
        return ERROR_INVALID_PARAMETER;
    char text[160];
    if (strcmp(MprmonErrorName(dwError), "UNKNOWN") == 0)
        snprintf(text, sizeof(text), "Unknown error %u.", (unsigned)dwError);
    else
        snprintf(text, sizeof(text), "%s", MprmonErrorText(dwError));
    *lplpwsErrorString = utf8_to_utf16(text);
    return *lplpwsErrorString ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

LPWSTR MprmonUtf8ToWide(const char *pszUtf8)
{
    return pszUtf8 ? utf8_to_utf16(pszUtf8) : NULL;
}

char *MprmonWideToUtf8(LPCWSTR lpwsWide)
{
    return lpwsWide ? utf16_to_utf8(lpwsWide) : NULL;
}
