/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_priv.h - what one probe found, and what that means.
 *
 * Pure functions, no locks and no I/O, so unit tests drive them directly. */
#ifndef MPRMON_PROBE_PRIV_H
#define MPRMON_PROBE_PRIV_H

#include <stdbool.h>
#include "row.h"

/* What one probe found (filled by probing.c, or by tests). */
struct probe_result {
    DWORD connect_error;  /* the connect's code, or NO_ERROR if the held handle was reused */
    bool connect_attempted;
    DWORD service_error;  /* MprmonQueryServiceState's code */
    MPRMON_SERVICE_STATE service_state;
    DWORD info_error;     /* MprAdminServerGetInfo's code; only with a handle */
    bool info_valid;
    MPR_SERVER_0 info;
    uint32_t latency_ms;
    uint64_t finished_ms; /* monotonic ms */
    bool ifaces_asked;    /* the interfaces were asked for */
    DWORD ifaces_error;   /* MprmonEnumAll's code */
    MPR_INTERFACE_0 *ifaces; /* the list (the result's own; see probing.c) */
    DWORD n_ifaces;
    bool conns_asked;     /* the connections were asked for */
    DWORD conns_error;    /* MprmonEnumAll's code */
    uint32_t connections, client_connections, router_connections;
    bool ports_asked;     /* the ports were asked for */
    DWORD ports_error;    /* MprmonEnumAll's code */
    struct port_counts ports;
};

/* The one-word verdict of a probe that hysteresis counts and that decides
 * the notifications:
 *   UP           we hold a DIMSVC binding and the SCM did not say the
 *                service is stopped (a bound ROUTER pipe means RRAS runs,
 *                even when the SCM refuses to answer non-administrators);
 *   DOWN         the SCM answered: RemoteAccess stopped or not installed;
 *   UNREACHABLE  no binding (connect failed, or the held one broke) and the
 *                SCM did not say the service is stopped. */
enum probe_health {
    PROBE_HEALTH_NONE = 0, /* no verdict yet */
    PROBE_HEALTH_UP = 1,
    PROBE_HEALTH_DOWN = 2,
    PROBE_HEALTH_UNREACHABLE = 3
};

enum probe_health probe_classify(const struct probe_result *res);

/* Did the router itself answer (a binding, or its service manager's word,
 * access denied included), rather than nothing answering at all? */
bool probe_router_answered(const struct probe_result *res);

/* Errors after which a held handle is useless (the pipe or the session is
 * gone or out of step): it is dropped and reconnects next time. */
bool probe_error_is_transport(DWORD code);

/* Errors meaning nothing answered at all; a probe then skips the SCM
 * query, which would only wait for the same timeout again. */
bool probe_error_is_unreachable(DWORD code);

enum mpr_service_state probe_service_state(MPRMON_SERVICE_STATE s);

/* conn_state after the probe: CONNECTED when a binding is held, FAILED when
 * the connect (or the held binding) failed. */
enum mpr_conn_state probe_conn_state(const struct probe_result *res);

/* The code shown as last_error: the connect's, else GetInfo's, else the
 * SCM query's; 0 when all succeeded. */
uint32_t probe_last_error(const struct probe_result *res);

#endif
