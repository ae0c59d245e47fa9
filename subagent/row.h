/* SPDX-License-Identifier: GPL-3.0-or-later */
/* row.h - what the table shows of one router, and the daemon's clock.
 *
 * Plain values: rows are copied into snapshots and into events. */
#ifndef MPRMON_ROW_H
#define MPRMON_ROW_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "ifaces.h"
#include "ports.h"

/* Values as in MPRMON-MIB mprRouterConnState. */
enum mpr_conn_state {
    MPR_CONN_CONNECTED = 1,
    MPR_CONN_CONNECTING = 2,
    MPR_CONN_DISCONNECTED = 3,
    MPR_CONN_FAILED = 4
};

/* Values as in MPRMON-MIB mprRouterServiceState. */
enum mpr_service_state {
    MPR_SVC_RUNNING = 1,
    MPR_SVC_STOPPED = 2,
    MPR_SVC_NOT_INSTALLED = 3,
    MPR_SVC_ACCESS_DENIED = 4,
    MPR_SVC_UNKNOWN = 5
};

struct router_row {
    uint32_t id;
    char name[ROUTER_NAME_MAX];
    char address[ROUTER_ADDRESS_MAX];
    enum mpr_conn_state conn_state;
    enum mpr_service_state service_state;
    uint32_t last_error;       /* Windows code of the last probe, 0 = none */
    uint64_t last_change_ms;   /* monotonic ms of the last conn/service change, 0 = never */
    uint64_t last_probe_ms;    /* monotonic ms of the last finished probe, 0 = never */
    uint32_t probe_latency_ms; /* duration of the last probe */
    uint32_t connect_attempts; /* Counter32 */
    uint32_t connect_failures; /* Counter32 */
    uint32_t probes;           /* Counter32: probes finished */
    uint64_t last_answer_ms;   /* monotonic ms of the last probe the router answered, 0 = never */
    uint64_t configured_ms;    /* monotonic ms of when the router was configured */
    uint32_t interval_s;       /* the router's probe interval */
    bool info_valid;           /* the three below are from a current level-0 answer */
    uint32_t uptime_s;
    uint32_t total_ports;
    uint32_t ports_in_use;
    bool conns_valid;          /* the three below are from the last probe */
    uint32_t connections;      /* every connection */
    uint32_t client_connections; /* remote access clients */
    uint32_t router_connections; /* demand-dial routers */
    bool ports_valid;          /* ports: from the last probe */
    struct port_counts ports;
};

enum router_event_kind {
    ROUTER_EVENT_SERVICE_DOWN = 1,
    ROUTER_EVENT_SERVICE_UP = 2,
    ROUTER_EVENT_CONNECT_FAILED = 3,
    ROUTER_EVENT_INTERFACE_DOWN = 4, /* an interface became unreachable */
    ROUTER_EVENT_INTERFACE_UP = 5,   /* ... and is reachable again */
    ROUTER_EVENT_PORTS_EXHAUSTED = 6 /* one type's ports (port_type) */
};

/* The interface of an INTERFACE_* event, as it was. */
struct router_event_iface {
    uint32_t index;
    char name[IFACE_NAME_MAX];
    uint32_t type;
    uint32_t state;
    uint32_t reasons;
    uint32_t last_error;
};

/* A confirmed state change (after hysteresis), for notifications. */
struct router_event {
    enum router_event_kind kind;
    struct router_row row; /* the row as it was when the event fired */
    struct router_event_iface iface; /* INTERFACE_* events only */
    unsigned port_type;              /* PORTS_EXHAUSTED only: enum port_type */
};

/* Monotonic clock in ms: the time base of every *_ms field. */
static inline uint64_t mono_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A fresh row for a router never probed. */
void row_init(struct router_row *row, const struct router_config *cfg);

/* Copy a config string into a row's fixed array, always terminated. */
void row_copy_str(char *dst, size_t size, const char *src);

#endif
