/* service.c - MprAdminIsServiceRunning and its richer variant: the
 * RemoteAccess service's state from the server's service control manager
 * (MS-SCMR over \PIPE\svcctl), as Windows' mprapi.dll asks it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api_priv.h"
#include "detail_priv.h"
#include "names_priv.h"
#include "scmr_priv.h"

#define RRAS_SERVICE_NAME "RemoteAccess"

static DWORD scm_close_handle(struct rpc_conn *conn,
                              const struct scmr_handle *h)
{
    uint8_t req[64];
    size_t len;
    uint8_t *stub = NULL;
    size_t stub_len = 0;
    DWORD status = NO_ERROR;
    DWORD rc = scmr_encode_close_service_handle(h, req, sizeof(req), &len);

    if (rc == NO_ERROR)
        rc = rpc_call(conn, SCMR_OPNUM_CLOSE_SERVICE_HANDLE, req, len, &stub,
                      &stub_len);
    if (rc == NO_ERROR)
        rc = scmr_decode_close_service_handle(stub, stub_len, &status);
    free(stub);
    return rc != NO_ERROR ? rc : status;
}

/* OpenSCManagerW, OpenServiceW("RemoteAccess"), QueryServiceStatus, and the
 * closes, on a bound svcctl association.  Returns the first failure (an
 * RPC_S_* code, or the Win32 status a call returned). */
static DWORD scm_query_remote_access(struct rpc_conn *conn, const char *host,
                                     struct scmr_service_status *status_out)
{
    uint8_t req[1024];
    size_t len;
    uint8_t *stub = NULL;
    size_t stub_len = 0;
    DWORD status = NO_ERROR;
    struct scmr_handle scm, svc;
    DWORD rc;

    rc = scmr_encode_open_sc_manager(host, SC_MANAGER_CONNECT, req,
                                     sizeof(req), &len);
    if (rc == NO_ERROR)
        rc = rpc_call(conn, SCMR_OPNUM_OPEN_SC_MANAGER_W, req, len, &stub,
                      &stub_len);
    if (rc == NO_ERROR)
        rc = scmr_decode_open_sc_manager(stub, stub_len, &scm, &status);
    free(stub);
    stub = NULL;
    if (rc != NO_ERROR)
        return rc;
    if (status != NO_ERROR) {
        detail_set("%s: the service control manager refused the connection",
                   host);
        return status;
    }

    rc = scmr_encode_open_service(&scm, RRAS_SERVICE_NAME,
                                  SERVICE_QUERY_STATUS, req, sizeof(req), &len);
    if (rc == NO_ERROR)
        rc = rpc_call(conn, SCMR_OPNUM_OPEN_SERVICE_W, req, len, &stub,
                      &stub_len);
    if (rc == NO_ERROR)
        rc = scmr_decode_open_service(stub, stub_len, &svc, &status);
    free(stub);
    stub = NULL;
    if (rc == NO_ERROR && status != NO_ERROR) {
        rc = status;
        if (status == ERROR_SERVICE_DOES_NOT_EXIST)
            detail_set("%s: no service named " RRAS_SERVICE_NAME, host);
        else
            detail_set("%s: opening service " RRAS_SERVICE_NAME " failed",
                       host);
    }
    if (rc != NO_ERROR) {
        scm_close_handle(conn, &scm);
        return rc;
    }

    rc = scmr_encode_query_service_status(&svc, req, sizeof(req), &len);
    if (rc == NO_ERROR)
        rc = rpc_call(conn, SCMR_OPNUM_QUERY_SERVICE_STATUS, req, len, &stub,
                      &stub_len);
    if (rc == NO_ERROR)
        rc = scmr_decode_query_service_status(stub, stub_len, status_out,
                                              &status);
    free(stub);
    if (rc == NO_ERROR)
        rc = status;
    /* Closing is courtesy: the answer is already in hand. */
    scm_close_handle(conn, &svc);
    scm_close_handle(conn, &scm);
    return rc;
}

static MPRMON_SERVICE_STATE classify_failure(DWORD rc)
{
    switch (rc) {
    case ERROR_ACCESS_DENIED:
    case ERROR_LOGON_FAILURE:
        return MPRMON_SERVICE_ACCESS_DENIED;
    case ERROR_SERVICE_DOES_NOT_EXIST:
        return MPRMON_SERVICE_NOT_INSTALLED;
    case RPC_S_SERVER_UNAVAILABLE:
    case ERROR_TIMEOUT:
        return MPRMON_SERVICE_UNREACHABLE;
    default:
        return MPRMON_SERVICE_UNKNOWN;
    }
}

DWORD MprmonQueryServiceState(LPWSTR lpwsServerName,
                              const MPRMON_CONNECT_OPTIONS *pOptions,
                              MPRMON_SERVICE_STATE *pState,
                              DWORD *pdwCurrentState)
{
    char host[MPR_HOST_MAX + 3];
    struct mpr_settings settings;
    struct scmr_service_status st;
    struct rpc_conn *conn = NULL;
    DWORD rc;

    detail_clear();
    memset(&st, 0, sizeof(st));
    if (pdwCurrentState)
        *pdwCurrentState = 0;
    if (!pState)
        return ERROR_INVALID_PARAMETER;
    *pState = MPRMON_SERVICE_UNKNOWN;

    rc = api_resolve_server(lpwsServerName, pOptions, host, sizeof(host),
                            &settings);
    if (rc != NO_ERROR)
        return rc;
    rc = api_open_association(host, &settings, "svcctl", &rpc_iface_svcctl,
                              &conn);
    settings_clear(&settings);
    if (rc == NO_ERROR) {
        rc = scm_query_remote_access(conn, host, &st);
        rpc_close(conn);
    }
    if (rc != NO_ERROR) {
        *pState = classify_failure(rc);
        return rc;
    }
    if (pdwCurrentState)
        *pdwCurrentState = st.current_state;
    *pState = st.current_state == SERVICE_RUNNING ? MPRMON_SERVICE_RUNNING
                                                  : MPRMON_SERVICE_STOPPED;
    return NO_ERROR;
}

BOOL MprAdminIsServiceRunning(LPWSTR lpwsServerName)
{
    MPRMON_SERVICE_STATE state;

    /* Microsoft documents FALSE for every failure, access denied included;
     * MprmonQueryServiceState keeps the reason. */
    if (MprmonQueryServiceState(lpwsServerName, NULL, &state, NULL) !=
        NO_ERROR)
        return FALSE;
    return state == MPRMON_SERVICE_RUNNING ? TRUE : FALSE;
}
