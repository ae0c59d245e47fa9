/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routers_priv.h - one router's state, shared by routers.c (ownership,
 * schedule, events) and probing.c (the steps of one probe). */
#ifndef MPRMON_ROUTERS_PRIV_H
#define MPRMON_ROUTERS_PRIV_H

#include "probe_priv.h"
#include "routers.h"
#include "schedule_priv.h"
#include "verdict.h"

enum probe_step {
    PROBE_IDLE = 0,    /* waiting in the schedule */
    PROBE_CONNECT = 1, /* MprmonAsyncServerConnect in flight */
    PROBE_SERVICE = 2, /* MprmonAsyncQueryServiceState in flight */
    PROBE_INFO = 3,    /* MprmonAsyncServerGetInfo in flight */
    PROBE_INTERFACES = 4, /* MprmonAsyncEnumAll of the interfaces */
    PROBE_CONNECTIONS = 5, /* MprmonAsyncEnumAll of the connections */
    PROBE_PORTS = 6        /* MprmonAsyncEnumAll of the ports */
};

struct router {
    struct sched_node node; /* first: the heap hands back &node */
    struct router_config cfg;
    struct router_health health;
    MPR_SERVER_HANDLE handle; /* kept across probes; NULL = connect next */
    unsigned backoff_steps;   /* failed probes since confirmed unreachable */
    size_t pos;               /* row position in the store */
    /* The probe in flight (step != PROBE_IDLE). */
    enum probe_step step;
    MPRMON_REQUEST_ID request;
    uint64_t due_ms; /* when it was due: the next due time counts from it */
    struct probe_result res;
    struct iface_set ifaces; /* what the last probes read */
    struct ports_watch ports_watch; /* exhaustion per port type */
};

struct routers {
    MPRMON_ASYNC *queue;
    struct router **list; /* sorted by id; list[i]->pos == i */
    size_t n;
    struct row_store *store;
    struct sched_heap heap;
    unsigned concurrency;
    size_t in_flight;
    uint64_t batch_until_ms; /* completions are left queued until then */
    uint64_t rng;
    struct router_event *events; /* ring of ROUTERS_EVENT_QUEUE_MAX */
    size_t ev_head;
    size_t ev_count;
    uint64_t ev_dropped;
    const struct iface_snapshot *ifaces; /* the interfaces' current view */
    bool ifaces_dirty;                   /* a set changed since */
};

/* probing.c */

/* Start a probe of t (which is out of the schedule). */
void probing_start(struct routers *r, struct router *t);

/* A completion of one of t's steps: start the next step, or end the
 * probe with routers_probe_done. */
void probing_step_done(struct routers *r, struct router *t,
                       const MPRMON_COMPLETION *c);

/* Stop t's probe, if one is in flight, with nothing recorded, and let go
 * of its handle (a reload retargeted or removed it). */
void probing_abandon(struct routers *r, struct router *t);

/* routers.c: the probe of t has ended with t->res. */
void routers_probe_done(struct routers *r, struct router *t);

/* routers.c: t's row, to be changed; NULL when out of memory. */
struct router_row *routers_row_for_write(struct routers *r,
                                         const struct router *t);

/* routers.c: t's interfaces changed (or went). */
void routers_ifaces_changed(struct routers *r);

/* routers.c: queue idle router t, due at due_ms. */
void routers_schedule(struct routers *r, struct router *t, uint64_t due_ms);

#endif
