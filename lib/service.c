/* SPDX-License-Identifier: GPL-3.0-or-later */
/* service.c - MprAdminIsServiceRunning and its richer variant: the
 * RemoteAccess service's state from the server's service control manager
 * (MS-SCMR over \PIPE\svcctl), as Windows' mprapi.dll asks it.  The calls
 * themselves are ops.c's service-state job. */
#include "config.h"

#include <string.h>

#include "api_priv.h"
#include "detail_priv.h"
#include "scmr_priv.h"

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

MPRMON_SERVICE_STATE api_service_state(const struct job *job)
{
    if (job->rc != NO_ERROR)
        return classify_failure(job->rc);
    return job->current_state == SERVICE_RUNNING ? MPRMON_SERVICE_RUNNING
                                                 : MPRMON_SERVICE_STOPPED;
}

DWORD MprmonQueryServiceState(LPWSTR lpwsServerName,
                              const MPRMON_CONNECT_OPTIONS *pOptions,
                              MPRMON_SERVICE_STATE *pState,
                              DWORD *pdwCurrentState)
{
    struct job *job;
    DWORD rc;

    detail_clear();
    if (pdwCurrentState)
        *pdwCurrentState = 0;
    if (!pState)
        return ERROR_INVALID_PARAMETER;
    *pState = MPRMON_SERVICE_UNKNOWN;
    rc = api_server_job(JOB_SERVICE_STATE, lpwsServerName, pOptions, 0, &job);
    if (rc != NO_ERROR)
        return rc;
    rc = engine_run_blocking(job);
    if (rc != NO_ERROR && job->detail[0])
        detail_set("%s", job->detail);
    *pState = api_service_state(job);
    if (rc == NO_ERROR && pdwCurrentState)
        *pdwCurrentState = job->current_state;
    job_free(job);
    return rc;
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
