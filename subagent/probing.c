/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * probing.c - the steps of one probe, each an asynchronous library call:
 *
 *   1. no handle held: connect;
 *   2. the SCM's word on RemoteAccess, skipped when the connect found
 *      nothing answering (it would only wait for the same timeout again);
 *   3. with a handle, and the service not stopped: level-0 information.
 *      A transport failure drops the handle; the next probe reconnects.
 *
 * A call that fails to start is taken as that step's completion, so every
 * path ends in routers_probe_done.
 */
#include "routers_priv.h"

#include <string.h>

/* Pages asked of the server, and the most interfaces kept per router. */
#define PROBING_PAGE_BYTES (64u * 1024u)
#define PROBING_MAX_INTERFACES 100000u
#define PROBING_MAX_CONNECTIONS 1000000u
#define PROBING_MAX_PORTS 1000000u

static MPRMON_CONNECT_OPTIONS probing_options(const struct router_config *c)
{
    MPRMON_CONNECT_OPTIONS o;

    memset(&o, 0, sizeof o);
    o.dwPort = c->port;
    o.dwTimeoutMs = c->timeout_ms;
    o.encryption = c->encryption;
    o.dwRpcAuthLevel = c->rpc_auth_level;
    o.pszCredentialsFile =
        c->auth_file != NULL && c->auth_file[0] != '\0' ? c->auth_file : NULL;
    return o;
}

/* A step that could not start completes at once with its code. */
static void probing_failed_to_start(struct routers *r, struct router *t,
                                    MPRMON_REQUEST_KIND kind, DWORD rc)
{
    MPRMON_COMPLETION c;

    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.pCookie = t;
    c.dwError = rc;
    c.serviceState = MPRMON_SERVICE_UNKNOWN;
    probing_step_done(r, t, &c);
}

static DWORD probing_start_list(struct routers *r, struct router *t,
                                enum probe_step step)
{
    MPRMON_LIST kind = MPRMON_LIST_PORTS;
    DWORD max = PROBING_MAX_PORTS;

    t->step = step;
    if (step == PROBE_INTERFACES) {
        t->res.ifaces_asked = true;
        kind = MPRMON_LIST_INTERFACES;
        max = PROBING_MAX_INTERFACES;
    } else if (step == PROBE_CONNECTIONS) {
        t->res.conns_asked = true;
        kind = MPRMON_LIST_CONNECTIONS;
        max = PROBING_MAX_CONNECTIONS;
    } else {
        t->res.ports_asked = true;
    }
    return MprmonAsyncEnumAll(r->queue, t->handle, kind, 0,
                              PROBING_PAGE_BYTES, max, 0, t, &t->request);
}

static void probing_call(struct routers *r, struct router *t,
                         MPRMON_REQUEST_KIND kind)
{
    MPRMON_CONNECT_OPTIONS o = probing_options(&t->cfg);
    LPWSTR name = NULL;
    DWORD rc;

    t->step = kind == MPRMON_REQUEST_SERVER_CONNECT ? PROBE_CONNECT
              : kind == MPRMON_REQUEST_SERVICE_STATE ? PROBE_SERVICE
                                                     : PROBE_INFO;
    if (kind == MPRMON_REQUEST_SERVER_GET_INFO) {
        rc = MprmonAsyncServerGetInfo(r->queue, t->handle, 0, 0, t,
                                      &t->request);
    } else if ((name = MprmonUtf8ToWide(t->cfg.address)) == NULL) {
        rc = ERROR_NOT_ENOUGH_MEMORY; /* the config checked the name */
    } else if (kind == MPRMON_REQUEST_SERVER_CONNECT) {
        rc = MprmonAsyncServerConnect(r->queue, name, &o, 0, t, &t->request);
    } else {
        rc = MprmonAsyncQueryServiceState(r->queue, name, &o, 0, t,
                                          &t->request);
    }
    MprAdminBufferFree(name);
    if (rc != NO_ERROR)
        probing_failed_to_start(r, t, kind, rc);
}

static void probing_drop_handle(struct router *t)
{
    MprmonServerDisconnectNoWait(t->handle);
    t->handle = NULL;
}

static void probing_show_connecting(struct routers *r, struct router *t)
{
    struct router_row *row;

    if (row_store_row(r->store, t->pos)->conn_state == MPR_CONN_CONNECTING)
        return;
    /* No memory for the row: it just does not show CONNECTING. */
    row = routers_row_for_write(r, t);
    if (row != NULL)
        row->conn_state = MPR_CONN_CONNECTING;
}

void probing_start(struct routers *r, struct router *t)
{
    memset(&t->res, 0, sizeof t->res);
    t->res.service_state = MPRMON_SERVICE_UNKNOWN;
    r->in_flight++;
    if (t->handle == NULL) {
        probing_show_connecting(r, t);
        t->res.connect_attempted = true;
        probing_call(r, t, MPRMON_REQUEST_SERVER_CONNECT);
    } else {
        probing_call(r, t, MPRMON_REQUEST_SERVICE_STATE);
    }
}

static void probing_end(struct routers *r, struct router *t)
{
    t->step = PROBE_IDLE;
    t->request = 0;
    r->in_flight--;
    t->res.finished_ms = mono_now_ms();
    routers_probe_done(r, t);
}

static void probing_connected(struct routers *r, struct router *t,
                              const MPRMON_COMPLETION *c)
{
    t->res.connect_error = c->dwError;
    if (c->dwError == NO_ERROR)
        t->handle = c->hMprServer;
    if (probe_error_is_unreachable(c->dwError)) {
        t->res.service_state = MPRMON_SERVICE_UNREACHABLE;
        t->res.service_error = c->dwError;
        probing_end(r, t);
        return;
    }
    probing_call(r, t, MPRMON_REQUEST_SERVICE_STATE);
}

static void probing_service_known(struct routers *r, struct router *t,
                                  const MPRMON_COMPLETION *c)
{
    t->res.service_error = c->dwError;
    t->res.service_state = c->serviceState;
    if (t->handle == NULL) {
        probing_end(r, t);
    } else if (c->serviceState == MPRMON_SERVICE_STOPPED ||
               c->serviceState == MPRMON_SERVICE_NOT_INSTALLED) {
        /* The binding outlived the service: start clean next time. */
        probing_drop_handle(t);
        probing_end(r, t);
    } else {
        probing_call(r, t, MPRMON_REQUEST_SERVER_GET_INFO);
    }
}

/* After step `after`: the next list the router collects, or the end. */
static void probing_next_list(struct routers *r, struct router *t,
                              enum probe_step after)
{
    enum probe_step next = PROBE_IDLE;
    DWORD rc;

    if (t->handle != NULL && after < PROBE_INTERFACES &&
        (t->cfg.collect & COLLECT_INTERFACES))
        next = PROBE_INTERFACES;
    else if (t->handle != NULL && after < PROBE_CONNECTIONS &&
             (t->cfg.collect & COLLECT_CONNECTIONS))
        next = PROBE_CONNECTIONS;
    else if (t->handle != NULL && after < PROBE_PORTS &&
             (t->cfg.collect & COLLECT_PORTS))
        next = PROBE_PORTS;
    if (next == PROBE_IDLE) {
        probing_end(r, t);
        return;
    }
    rc = probing_start_list(r, t, next);
    if (rc != NO_ERROR)
        probing_failed_to_start(r, t, MPRMON_REQUEST_ENUM_ALL, rc);
}

static void probing_info_read(struct routers *r, struct router *t,
                              const MPRMON_COMPLETION *c)
{
    t->res.info_error = c->dwError;
    if (c->dwError == NO_ERROR && c->lpbBuffer != NULL) {
        memcpy(&t->res.info, c->lpbBuffer, sizeof t->res.info);
        t->res.info_valid = true;
    } else if (probe_error_is_transport(c->dwError)) {
        probing_drop_handle(t);
    }
    MprAdminBufferFree(c->lpbBuffer);
    probing_next_list(r, t, PROBE_INFO);
}

/* A list's completion: NO_ERROR when it came (a capped list is still
 * the router's list), else its code; a transport failure drops the
 * handle. */
static DWORD probing_list_code(struct router *t, const MPRMON_COMPLETION *c)
{
    if (c->dwError == NO_ERROR || c->dwError == ERROR_MORE_DATA)
        return NO_ERROR;
    if (probe_error_is_transport(c->dwError))
        probing_drop_handle(t);
    return c->dwError;
}

static void probing_interfaces_read(struct routers *r, struct router *t,
                                    const MPRMON_COMPLETION *c)
{
    t->res.ifaces_error = probing_list_code(t, c);
    if (t->res.ifaces_error == NO_ERROR) {
        /* routers_probe_done takes the list and frees it. */
        t->res.ifaces = (MPR_INTERFACE_0 *)c->lpbBuffer;
        t->res.n_ifaces = c->dwEntries;
    } else {
        MprAdminBufferFree(c->lpbBuffer);
    }
    probing_next_list(r, t, PROBE_INTERFACES);
}

/* Only the counts are kept: user names stay out of the daemon. */
static void probing_connections_read(struct routers *r, struct router *t,
                                     const MPRMON_COMPLETION *c)
{
    const RAS_CONNECTION_0 *conns = (const RAS_CONNECTION_0 *)c->lpbBuffer;

    t->res.conns_error = probing_list_code(t, c);
    if (t->res.conns_error == NO_ERROR) {
        t->res.connections = c->dwEntries;
        for (DWORD i = 0; i < c->dwEntries; i++) {
            if (conns[i].dwInterfaceType == ROUTER_IF_TYPE_CLIENT)
                t->res.client_connections++;
            else if (conns[i].dwInterfaceType == ROUTER_IF_TYPE_FULL_ROUTER ||
                     conns[i].dwInterfaceType == ROUTER_IF_TYPE_HOME_ROUTER)
                t->res.router_connections++;
        }
    }
    MprAdminBufferFree(c->lpbBuffer);
    probing_next_list(r, t, PROBE_CONNECTIONS);
}

/* Only the counts per type are kept. */
static void probing_ports_read(struct routers *r, struct router *t,
                               const MPRMON_COMPLETION *c)
{
    t->res.ports_error = probing_list_code(t, c);
    if (t->res.ports_error == NO_ERROR)
        port_counts_of((const RAS_PORT_0 *)c->lpbBuffer, c->dwEntries,
                       &t->res.ports);
    MprAdminBufferFree(c->lpbBuffer);
    probing_next_list(r, t, PROBE_PORTS);
}

void probing_step_done(struct routers *r, struct router *t,
                       const MPRMON_COMPLETION *c)
{
    /* The steps' own times, as the library measured them: not the time
     * their completions waited to be taken in a batch. */
    t->res.latency_ms = c->dwElapsedMs > UINT32_MAX - t->res.latency_ms
                            ? UINT32_MAX
                            : t->res.latency_ms + c->dwElapsedMs;
    switch (t->step) {
    case PROBE_CONNECT:
        probing_connected(r, t, c);
        break;
    case PROBE_SERVICE:
        probing_service_known(r, t, c);
        break;
    case PROBE_INFO:
        probing_info_read(r, t, c);
        break;
    case PROBE_INTERFACES:
        probing_interfaces_read(r, t, c);
        break;
    case PROBE_CONNECTIONS:
        probing_connections_read(r, t, c);
        break;
    case PROBE_PORTS:
        probing_ports_read(r, t, c);
        break;
    case PROBE_IDLE:
        break;
    }
}

void probing_abandon(struct routers *r, struct router *t)
{
    if (t->step != PROBE_IDLE) {
        /* Nothing of the request is delivered or kept after this. */
        MprmonAsyncCancel(r->queue, t->request);
        t->step = PROBE_IDLE;
        t->request = 0;
        r->in_flight--;
    }
    probing_drop_handle(t);
    if (t->ifaces.n > 0 || t->ifaces.read) {
        iface_set_clear(&t->ifaces);
        t->ifaces.read = false;
        routers_ifaces_changed(r);
    }
}
