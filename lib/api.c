/* api.c - the MprAdmin* entry points: argument checks, handle lifetime,
 * the order of transport, bind and calls.  Wire details live in the layers
 * below (pipe_smb, rpc_client, rrasm, scmr). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail_priv.h"
#include "handles_priv.h"
#include "names_priv.h"
#include "pipe_priv.h"
#include "rpc_priv.h"
#include "rrasm_priv.h"
#include "scmr_priv.h"
#include "settings_priv.h"
#include "api_priv.h"


/* What a handle stands for: one DCE/RPC association with DIMSVC. */
struct mpr_server {
    pthread_mutex_t call_lock; /* one call at a time on an association */
    struct rpc_conn *conn;
    char host[MPR_HOST_MAX + 3];
};

/* Name -> host and settings, the first steps of every call that takes a
 * server name.  opts NULL: the settings store. */
DWORD api_resolve_server(LPCWSTR name, const MPRMON_CONNECT_OPTIONS *opts,
                            char *host, size_t hostlen,
                            struct mpr_settings *settings)
{
    char key[MPR_HOST_MAX + 3];
    DWORD rc = names_server_to_host(name, host, hostlen);

    if (rc != NO_ERROR) {
        detail_set("the server name is not a valid host name");
        return rc;
    }
    if (opts)
        return settings_from_options(opts, settings);
    rc = names_server_key(name, key, sizeof(key));
    if (rc != NO_ERROR)
        return rc;
    return settings_lookup(key, settings);
}

static const char *describe_open_failure(DWORD rc)
{
    switch (rc) {
    case ERROR_ACCESS_DENIED:
        return "logon or pipe access refused";
    case RPC_S_UNKNOWN_IF:
        return "the pipe does not exist";
    case RPC_S_SERVER_UNAVAILABLE:
        return "no answer (refused, unreachable or timed out)";
    default:
        return "failed";
    }
}

/* Open \PIPE\<pipe> and bind iface: a ready association. */
DWORD api_open_association(const char *host,
                              const struct mpr_settings *settings,
                              const char *pipe_name,
                              const struct dcerpc_syntax_id *iface,
                              struct rpc_conn **out)
{
    struct mpr_pipe_params params = {
        .host = host,
        .port = settings->port,
        .timeout_ms = settings->timeout_ms,
        .creds = &settings->creds,
        .encryption = settings->encryption,
        .pipe_name = pipe_name,
    };
    struct mpr_pipe *pipe = NULL;
    DWORD rc = pipe_smb_open(&params, &pipe);

    if (rc != NO_ERROR) {
        if (MprmonGetLastErrorDetail()[0] == '\0')
            detail_set("%s:%u \\PIPE\\%s: %s", host, settings->port,
                       pipe_name, describe_open_failure(rc));
        return rc;
    }
    if (settings->rpc_auth_level != MPRMON_RPC_AUTHN_LEVEL_NONE)
        rc = rpc_bind_auth(pipe, iface, &settings->creds,
                           settings->rpc_auth_level, out);
    else
        rc = rpc_bind(pipe, iface, out);
    if (rc != NO_ERROR && MprmonGetLastErrorDetail()[0] == '\0')
        detail_set("%s:%u \\PIPE\\%s: bind refused or failed", host,
                   settings->port, pipe_name);
    return rc;
}

DWORD MprmonServerConnectEx(LPWSTR lpwsServerName,
                                   const MPRMON_CONNECT_OPTIONS *pOptions,
                                   MPR_SERVER_HANDLE *phMprServer)
{
    struct mpr_settings settings;
    struct mpr_server *server;
    DWORD rc;

    detail_clear();
    /* The seed's contract: a NULL out-pointer is an invalid binding, and it
     * is refused before anything touches the network. */
    if (!phMprServer)
        return RPC_S_INVALID_BINDING;
    *phMprServer = NULL;

    server = calloc(1, sizeof(*server));
    if (!server)
        return ERROR_NOT_ENOUGH_MEMORY;
    rc = api_resolve_server(lpwsServerName, pOptions, server->host,
                        sizeof(server->host), &settings);
    if (rc != NO_ERROR) {
        free(server);
        return rc;
    }
    /* As on Windows, connecting does not ask the SCM about RemoteAccess: a
     * ROUTER pipe that binds DIMSVC is the whole test. */
    rc = api_open_association(server->host, &settings, "ROUTER",
                          &rpc_iface_dimsvc, &server->conn);
    settings_clear(&settings);
    if (rc != NO_ERROR) {
        free(server);
        return rc;
    }
    pthread_mutex_init(&server->call_lock, NULL);
    rc = handles_insert(server, phMprServer);
    if (rc != NO_ERROR) {
        rpc_close(server->conn);
        pthread_mutex_destroy(&server->call_lock);
        free(server);
    }
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

    if (!server)
        return;
    rpc_close(server->conn);
    pthread_mutex_destroy(&server->call_lock);
    free(server);
}

DWORD MprAdminServerGetInfo(MPR_SERVER_HANDLE hMprServer, DWORD dwLevel,
                                   LPBYTE *lplpbBuffer)
{
    uint8_t request[16];
    size_t request_len = 0;
    uint8_t *response = NULL;
    size_t response_len = 0;
    void *info = NULL;
    DWORD server_status = NO_ERROR;
    DWORD rc;

    detail_clear();
    if (!lplpbBuffer)
        return ERROR_INVALID_PARAMETER;
    *lplpbBuffer = NULL;
    if (dwLevel > 2)
        return ERROR_INVALID_LEVEL;
    struct mpr_server *server = handles_acquire(hMprServer);
    if (!server)
        return ERROR_INVALID_HANDLE;

    rc = rrasm_encode_server_get_info(dwLevel, request, sizeof(request),
                                      &request_len);
    if (rc == NO_ERROR) {
        pthread_mutex_lock(&server->call_lock);
        rc = rpc_call(server->conn, RRASM_OPNUM_SERVER_GET_INFO, request,
                      request_len, &response, &response_len);
        pthread_mutex_unlock(&server->call_lock);
    }
    if (rc == NO_ERROR)
        rc = rrasm_decode_server_get_info(dwLevel, response, response_len,
                                          &info, &server_status);
    free(response);
    handles_release(hMprServer);
    if (rc != NO_ERROR)
        return rc;
    if (server_status != NO_ERROR)
        return server_status;
    *lplpbBuffer = info;
    return NO_ERROR;
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
