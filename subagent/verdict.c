/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * verdict.c - a probe result into a router's row and hysteresis.
 *
 * Each probe gets a verdict (UP, DOWN, UNREACHABLE: see probe_priv.h).  A
 * verdict different from the last confirmed one becomes confirmed after
 * `hysteresis` consecutive probes agree on it; only then is there an event:
 *
 *   confirmed before -> after        event
 *   (none)           -> UP           none: a daemon start must not flood the
 *                                    manager with "up" notifications
 *   (none)           -> DOWN         SERVICE_DOWN     bad news at start is
 *   (none)           -> UNREACHABLE  CONNECT_FAILED   still news
 *   DOWN/UNREACHABLE -> UP           SERVICE_UP
 *   UP/UNREACHABLE   -> DOWN         SERVICE_DOWN
 *   UP/DOWN          -> UNREACHABLE  CONNECT_FAILED
 */
#include "verdict.h"

#include <string.h>

void verdict_init(struct router_health *h)
{
    memset(h, 0, sizeof *h);
    h->settled_conn = MPR_CONN_DISCONNECTED;
    h->confirmed = PROBE_HEALTH_NONE;
    h->candidate = PROBE_HEALTH_NONE;
}

static int verdict_event_for(enum probe_health before, enum probe_health after)
{
    switch (after) {
    case PROBE_HEALTH_UP:
        return before == PROBE_HEALTH_NONE ? 0 : ROUTER_EVENT_SERVICE_UP;
    case PROBE_HEALTH_DOWN:
        return ROUTER_EVENT_SERVICE_DOWN;
    case PROBE_HEALTH_UNREACHABLE:
        return ROUTER_EVENT_CONNECT_FAILED;
    case PROBE_HEALTH_NONE:
        break;
    }
    return 0;
}

static void verdict_fill_row(struct router_health *h, struct router_row *row,
                             const struct probe_result *res)
{
    enum mpr_conn_state conn = probe_conn_state(res);
    enum mpr_service_state svc = probe_service_state(res->service_state);

    row->probes++;
    if (res->connect_attempted) {
        row->connect_attempts++;
        if (res->connect_error != NO_ERROR)
            row->connect_failures++;
    }
    if (conn != h->settled_conn || svc != row->service_state)
        row->last_change_ms = res->finished_ms;
    row->conn_state = conn;
    h->settled_conn = conn;
    row->service_state = svc;
    row->last_error = probe_last_error(res);
    row->last_probe_ms = res->finished_ms;
    if (probe_router_answered(res))
        row->last_answer_ms = res->finished_ms;
    row->probe_latency_ms = res->latency_ms;
    row->info_valid = res->info_valid;
    row->uptime_s = res->info_valid ? res->info.dwUpTime : 0;
    row->total_ports = res->info_valid ? res->info.dwTotalPorts : 0;
    row->ports_in_use = res->info_valid ? res->info.dwPortsInUse : 0;
    row->conns_valid = res->conns_asked && res->conns_error == NO_ERROR;
    row->connections = row->conns_valid ? res->connections : 0;
    row->client_connections = row->conns_valid ? res->client_connections : 0;
    row->router_connections = row->conns_valid ? res->router_connections : 0;
    row->ports_valid = res->ports_asked && res->ports_error == NO_ERROR;
    if (row->ports_valid)
        row->ports = res->ports;
    else
        memset(&row->ports, 0, sizeof row->ports);
}

int verdict_record(struct router_health *h, struct router_row *row,
                   const struct probe_result *res, unsigned hysteresis)
{
    enum probe_health verdict = probe_classify(res);
    unsigned need = hysteresis > 0 ? hysteresis : 1;
    int kind;

    verdict_fill_row(h, row, res);
    if (verdict == h->confirmed) {
        h->candidate = PROBE_HEALTH_NONE;
        h->streak = 0;
        return 0;
    }
    if (verdict == h->candidate) {
        h->streak++;
    } else {
        h->candidate = verdict;
        h->streak = 1;
    }
    if (h->streak < need)
        return 0;
    kind = verdict_event_for(h->confirmed, verdict);
    h->confirmed = verdict;
    h->candidate = PROBE_HEALTH_NONE;
    h->streak = 0;
    return kind;
}
