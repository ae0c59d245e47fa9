/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * routers.c - the configured routers and their probes, on the caller's
 * loop (routers.h).
 *
 * Each router is one struct router (routers_priv.h), individually
 * allocated so that a reload keeps it, and everything about it, in place:
 * the list sorted by id gives the row position, the heap the next due time,
 * the completion cookie the way back from the library.  A router is either
 * in the heap (idle) or has one request in flight, never both.  Nothing is
 * locked: one thread does all of it.
 */
#include "routers_priv.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct routers *routers_new(void)
{
    struct routers *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->events = calloc(ROUTERS_EVENT_QUEUE_MAX, sizeof *r->events);
    r->store = row_store_new();
    if (r->events == NULL || r->store == NULL ||
        MprmonAsyncCreate(&r->queue) != NO_ERROR) {
        routers_free(r);
        return NULL;
    }
    r->concurrency = 1;
    r->rng = ((uint64_t)getpid() << 32) ^ mono_now_ms() ^
             (uint64_t)(uintptr_t)r;
    if (r->rng == 0)
        r->rng = 1;
    return r;
}

void routers_free(struct routers *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        probing_abandon(r, r->list[i]);
        free(r->list[i]);
    }
    free(r->list);
    MprmonAsyncDestroy(r->queue);
    sched_free(&r->heap);
    row_store_free(r->store);
    iface_snapshot_release(r->ifaces);
    free(r->events);
    free(r);
}

int routers_fd(const struct routers *r, uint64_t now_ms)
{
    return now_ms < r->batch_until_ms ? -1 : MprmonAsyncGetFd(r->queue);
}

struct router_row *routers_row_for_write(struct routers *r,
                                         const struct router *t)
{
    return row_store_write(r->store, t->pos);
}

const struct snapshot *routers_snapshot(struct routers *r)
{
    return row_store_snapshot(r->store);
}

void routers_ifaces_changed(struct routers *r)
{
    r->ifaces_dirty = true;
}

const struct iface_snapshot *routers_iface_snapshot(struct routers *r)
{
    if (r->ifaces == NULL || r->ifaces_dirty) {
        const struct iface_set **sets = calloc(r->n + 1, sizeof *sets);
        struct iface_snapshot *s = NULL;

        if (sets != NULL) {
            for (size_t i = 0; i < r->n; i++)
                sets[i] = &r->list[i]->ifaces;
            s = iface_snapshot_build(sets, r->n);
            free(sets);
        }
        /* Without memory the last view stays, and the next call retries. */
        if (s != NULL) {
            iface_snapshot_release(r->ifaces);
            r->ifaces = s;
            r->ifaces_dirty = false;
        }
    }
    if (r->ifaces != NULL)
        iface_snapshot_ref(r->ifaces);
    return r->ifaces;
}

size_t routers_in_flight(const struct routers *r)
{
    return r->in_flight;
}

/* ---- events ---- */

static struct router_event *routers_queue_event(struct routers *r,
                                                enum router_event_kind k,
                                                const struct router_row *row)
{
    struct router_event *ev;

    if (r->ev_count == ROUTERS_EVENT_QUEUE_MAX) {
        r->ev_head = (r->ev_head + 1) % ROUTERS_EVENT_QUEUE_MAX;
        r->ev_count--;
        r->ev_dropped++;
    }
    ev = &r->events[(r->ev_head + r->ev_count) % ROUTERS_EVENT_QUEUE_MAX];
    ev->kind = k;
    ev->row = *row;
    r->ev_count++;
    return ev;
}

/* Events per probe beyond which interface changes are dropped (and
 * counted): a router whose whole list flips at once must not flush the
 * queue of every other router's events. */
#define ROUTERS_IFACE_EVENTS_MAX 64

static void routers_queue_iface_event(struct routers *r,
                                      const struct router_row *row,
                                      const struct iface_change *c)
{
    struct router_event *ev = routers_queue_event(
        r, c->down ? ROUTER_EVENT_INTERFACE_DOWN : ROUTER_EVENT_INTERFACE_UP,
        row);

    ev->iface.index = c->row.index;
    row_copy_str(ev->iface.name, sizeof ev->iface.name, c->row.name);
    ev->iface.type = c->row.type;
    ev->iface.state = c->row.state;
    ev->iface.reasons = c->row.reasons;
    ev->iface.last_error = c->row.last_error;
}

/* The interfaces a probe read (or could not read) into t's set. */
static void routers_take_ifaces(struct routers *r, struct router *t,
                                const struct router_row *row)
{
    struct probe_result *res = &t->res;
    struct iface_change changes[ROUTERS_IFACE_EVENTS_MAX];
    size_t n = 0;

    if (!(t->cfg.collect & COLLECT_INTERFACES)) {
        if (t->ifaces.read) {
            iface_set_clear(&t->ifaces);
            t->ifaces.read = false;
            routers_ifaces_changed(r);
        }
    } else if (res->ifaces_asked && res->ifaces_error == NO_ERROR) {
        if (iface_set_update(&t->ifaces, t->cfg.id, res->ifaces,
                             res->n_ifaces, res->finished_ms,
                             t->cfg.hysteresis, changes,
                             ROUTERS_IFACE_EVENTS_MAX, &n) == 1)
            routers_ifaces_changed(r);
        for (size_t i = 0; i < n && row != NULL; i++)
            routers_queue_iface_event(r, row, &changes[i]);
    } else if (iface_set_mark_unknown(&t->ifaces)) {
        routers_ifaces_changed(r);
    }
    MprAdminBufferFree(res->ifaces);
    res->ifaces = NULL;
    res->n_ifaces = 0;
}

size_t routers_take_events(struct routers *r, struct router_event *out,
                           size_t max)
{
    size_t n = r->ev_count < max ? r->ev_count : max;

    for (size_t i = 0; i < n; i++) {
        out[i] = r->events[r->ev_head];
        r->ev_head = (r->ev_head + 1) % ROUTERS_EVENT_QUEUE_MAX;
    }
    r->ev_count -= n;
    return n;
}

uint64_t routers_events_dropped(const struct routers *r)
{
    return r->ev_dropped;
}

/* ---- schedule ---- */

static struct router *routers_of(struct sched_node *node)
{
    return (struct router *)(void *)node;
}

/* Room for every router was reserved by routers_apply_config. */
void routers_schedule(struct routers *r, struct router *t,
                             uint64_t due_ms)
{
    t->node.due_ms = due_ms;
    (void)sched_push(&r->heap, &t->node);
}

/* One notification for each port type the probe found exhausted. */
static void routers_watch_ports(struct routers *r, struct router *t,
                                const struct router_row *row)
{
    unsigned fired = ports_watch_update(&t->ports_watch, &row->ports,
                                        row->ports_valid,
                                        t->cfg.ports_exhausted_pct,
                                        t->cfg.hysteresis);

    for (unsigned type = 1; type <= PORT_TYPES; type++)
        if (fired & (1u << (type - 1)))
            routers_queue_event(r, ROUTER_EVENT_PORTS_EXHAUSTED, row)
                ->port_type = type;
}

void routers_probe_done(struct routers *r, struct router *t)
{
    struct router_row *row = routers_row_for_write(r, t);
    uint64_t now = t->res.finished_ms, due;
    int kind;

    /* Without memory for the row the result is dropped whole; the next
     * probe tries again. */
    if (row != NULL) {
        kind = verdict_record(&t->health, row, &t->res, t->cfg.hysteresis);
        if (kind != 0)
            routers_queue_event(r, (enum router_event_kind)kind, row);
    }
    routers_take_ifaces(r, t, row);
    if (row != NULL)
        routers_watch_ports(r, t, row);
    /* Back off only once the router is known to be unreachable: until
     * then the interval holds, so hysteresis confirms it in time. */
    if (probe_classify(&t->res) == PROBE_HEALTH_UNREACHABLE &&
        t->health.confirmed == PROBE_HEALTH_UNREACHABLE)
        t->backoff_steps++;
    else
        t->backoff_steps = 0;
    /* Due times advance from the previous due time, not from the end of the
     * probe, so a slow probe does not make the interval drift. */
    due = t->due_ms + sched_next_delay_ms(t->cfg.interval_s, t->backoff_steps,
                                          sched_random(&r->rng));
    routers_schedule(r, t, due > now ? due : now);
}

static void routers_take_completions(struct routers *r, uint64_t now_ms)
{
    MPRMON_COMPLETION c;
    bool took = false;

    while (MprmonAsyncNextCompletion(r->queue, &c)) {
        struct router *t = c.pCookie;

        took = true;

        /* Requests of routers a reload changed were cancelled, so every
         * completion belongs to the step its router waits for. */
        if (t == NULL || t->step == PROBE_IDLE || t->request != c.id) {
            MprmonServerDisconnectNoWait(c.hMprServer);
            MprAdminBufferFree(c.lpbBuffer);
            continue;
        }
        probing_step_done(r, t, &c);
    }
    if (took)
        r->batch_until_ms = now_ms + ROUTERS_COMPLETION_BATCH_MS;
}

static void routers_start_due(struct routers *r, uint64_t now_ms)
{
    struct sched_node *node;

    while (r->in_flight < r->concurrency &&
           (node = sched_peek(&r->heap)) != NULL && node->due_ms <= now_ms) {
        struct router *t = routers_of(sched_pop(&r->heap));

        t->due_ms = node->due_ms;
        probing_start(r, t);
    }
}

void routers_process(struct routers *r, uint64_t now_ms)
{
    routers_take_completions(r, now_ms);
    routers_start_due(r, now_ms);
}

static long routers_ms_until(uint64_t when_ms, uint64_t now_ms)
{
    if (when_ms <= now_ms)
        return 0;
    return when_ms - now_ms > (uint64_t)LONG_MAX ? LONG_MAX
                                                 : (long)(when_ms - now_ms);
}

long routers_next_wakeup_ms(const struct routers *r, uint64_t now_ms)
{
    const struct sched_node *node = sched_peek(&r->heap);
    long batch = -1, probe = -1;

    /* While completions are held back, the end of the batch is a wakeup:
     * the descriptor is not polled meanwhile. */
    if (r->in_flight > 0 && now_ms < r->batch_until_ms)
        batch = routers_ms_until(r->batch_until_ms, now_ms);
    /* With every slot taken only a completion can start the next probe. */
    if (node != NULL && r->in_flight < r->concurrency)
        probe = routers_ms_until(node->due_ms, now_ms);
    if (batch < 0 || (probe >= 0 && probe < batch))
        return probe;
    return batch;
}
