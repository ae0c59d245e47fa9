/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe.c - what a probe result means (see probe_priv.h). */
#include "probe_priv.h"

bool probe_error_is_unreachable(DWORD code)
{
    return code == RPC_S_SERVER_UNAVAILABLE || code == ERROR_TIMEOUT;
}

bool probe_error_is_transport(DWORD code)
{
    switch (code) {
    case RPC_S_SERVER_UNAVAILABLE:
    case ERROR_TIMEOUT:
    case ERROR_INVALID_HANDLE:
    case RPC_S_INVALID_BINDING:
    case RPC_S_CALL_FAILED:
    case RPC_S_PROTOCOL_ERROR:
    case RPC_S_CALL_CANCELLED:
    case RPC_X_BAD_STUB_DATA:
    case RPC_S_UNKNOWN_IF:
        return true;
    default:
        return false;
    }
}

enum mpr_service_state probe_service_state(MPRMON_SERVICE_STATE s)
{
    switch (s) {
    case MPRMON_SERVICE_RUNNING:
        return MPR_SVC_RUNNING;
    case MPRMON_SERVICE_STOPPED:
        return MPR_SVC_STOPPED;
    case MPRMON_SERVICE_NOT_INSTALLED:
        return MPR_SVC_NOT_INSTALLED;
    case MPRMON_SERVICE_ACCESS_DENIED:
        return MPR_SVC_ACCESS_DENIED;
    case MPRMON_SERVICE_UNREACHABLE:
    case MPRMON_SERVICE_UNKNOWN:
    default:
        return MPR_SVC_UNKNOWN;
    }
}

static bool probe_bound(const struct probe_result *res)
{
    if (res->connect_attempted && res->connect_error != NO_ERROR)
        return false;
    /* A reused handle that broke during GetInfo is no binding any more. */
    return !(res->info_error != NO_ERROR &&
             probe_error_is_transport(res->info_error));
}

enum mpr_conn_state probe_conn_state(const struct probe_result *res)
{
    return probe_bound(res) ? MPR_CONN_CONNECTED : MPR_CONN_FAILED;
}

bool probe_router_answered(const struct probe_result *res)
{
    return probe_bound(res) ||
           (res->service_state != MPRMON_SERVICE_UNREACHABLE &&
            res->service_state != MPRMON_SERVICE_UNKNOWN);
}

enum probe_health probe_classify(const struct probe_result *res)
{
    if (res->service_state == MPRMON_SERVICE_STOPPED ||
        res->service_state == MPRMON_SERVICE_NOT_INSTALLED)
        return PROBE_HEALTH_DOWN;
    return probe_bound(res) ? PROBE_HEALTH_UP : PROBE_HEALTH_UNREACHABLE;
}

uint32_t probe_last_error(const struct probe_result *res)
{
    if (res->connect_attempted && res->connect_error != NO_ERROR)
        return res->connect_error;
    if (res->info_error != NO_ERROR)
        return res->info_error;
    return res->service_error;
}
