/*
 * registry.c - router entries, state machine, published snapshots, events.
 *
 * Rows show every probe as it is (the table is the truth of the last probe);
 * notifications are filtered by hysteresis.  Each probe gets a verdict (UP,
 * DOWN, UNREACHABLE: see probe_priv.h).  A verdict different from the last
 * confirmed one becomes confirmed after `hysteresis` consecutive probes agree
 * on it; only then is an event queued:
 *
 *   confirmed before -> after        event
 *   (none)           -> UP           none: a daemon start must not flood the
 *                                    manager with "up" notifications
 *   (none)           -> DOWN         SERVICE_DOWN     bad news at start is
 *   (none)           -> UNREACHABLE  CONNECT_FAILED   still news
 *   DOWN/UNREACHABLE -> UP           SERVICE_UP
 *   UP/UNREACHABLE   -> DOWN         SERVICE_DOWN
 *   UP/DOWN          -> UNREACHABLE  CONNECT_FAILED
 *
 * A reload that changes a router's target (router_config_same_target) starts
 * it afresh, back at (none).
 *
 * Snapshots are rebuilt lazily: writers only mark the registry dirty, and the
 * next registry_snapshot_acquire copies the rows once, so a burst of probes
 * costs one copy, not one per probe.  Snapshots are immutable and carry a
 * reference count; the registry holds one reference on the current one.
 */
#include "registry.h"
#include "probe_priv.h"

#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct reg_entry {
    struct router_config cfg;
    struct router_row row;
    enum mpr_conn_state settled_conn; /* conn_state without CONNECTING */
    enum probe_health confirmed;
    enum probe_health candidate;
    unsigned streak; /* consecutive probes with verdict == candidate */
};

/* Lives just before each snapshot in the same allocation. */
struct snap_hdr {
    size_t refs;
};

#define SNAP_OFFSET                                                            \
    ((sizeof(struct snap_hdr) + alignof(max_align_t) - 1) /                    \
     alignof(max_align_t) * alignof(max_align_t))

struct registry {
    pthread_mutex_t lock;
    struct reg_entry *entries; /* sorted by id */
    size_t n_entries;
    struct snapshot *current;
    bool dirty;
    uint64_t generation;
    struct router_event *events; /* ring of REGISTRY_EVENT_QUEUE_MAX */
    size_t ev_head;
    size_t ev_count;
    uint64_t ev_dropped;
    int event_fd;
};

uint64_t registry_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct snap_hdr *registry_snap_hdr(const struct snapshot *s)
{
    return (struct snap_hdr *)(void *)((char *)(uintptr_t)s - SNAP_OFFSET);
}

static void registry_snap_unref(struct snapshot *s)
{
    struct snap_hdr *h;

    if (s == NULL)
        return;
    h = registry_snap_hdr(s);
    if (--h->refs == 0)
        free(h);
}

/* Called with the lock held. */
static struct snapshot *registry_snap_build(const struct registry *r)
{
    size_t size = SNAP_OFFSET + sizeof(struct snapshot) +
                  r->n_entries * sizeof(struct router_row);
    char *base = malloc(size);
    struct snapshot *s;

    if (base == NULL)
        return NULL;
    ((struct snap_hdr *)(void *)base)->refs = 1;
    s = (struct snapshot *)(void *)(base + SNAP_OFFSET);
    s->generation = r->generation;
    s->n_rows = r->n_entries;
    for (size_t i = 0; i < r->n_entries; i++)
        s->rows[i] = r->entries[i].row;
    return s;
}

static void registry_entry_init(struct reg_entry *e,
                                const struct router_config *cfg)
{
    memset(e, 0, sizeof *e);
    e->cfg = *cfg;
    e->row.id = cfg->id;
    memcpy(e->row.name, cfg->name, sizeof e->row.name);
    e->row.name[sizeof e->row.name - 1] = '\0';
    memcpy(e->row.address, cfg->address, sizeof e->row.address);
    e->row.address[sizeof e->row.address - 1] = '\0';
    e->row.conn_state = MPR_CONN_DISCONNECTED;
    e->row.service_state = MPR_SVC_UNKNOWN;
    e->settled_conn = MPR_CONN_DISCONNECTED;
    e->confirmed = PROBE_HEALTH_NONE;
    e->candidate = PROBE_HEALTH_NONE;
}

static struct reg_entry *registry_find(struct registry *r, uint32_t id)
{
    size_t lo = 0, hi = r->n_entries;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->entries[mid].cfg.id == id)
            return &r->entries[mid];
        if (r->entries[mid].cfg.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Build the entry array for cfg, carrying over the state of routers whose
 * target did not change.  Called with the lock held (or before sharing). */
static int registry_build_entries(struct registry *r,
                                  const struct daemon_config *cfg,
                                  struct reg_entry **out)
{
    struct reg_entry *entries = NULL;

    *out = NULL;
    if (!config_routers_sorted(cfg))
        return -1;
    if (cfg->n_routers > 0) {
        entries = calloc(cfg->n_routers, sizeof *entries);
        if (entries == NULL)
            return -1;
    }
    for (size_t i = 0; i < cfg->n_routers; i++) {
        const struct router_config *c = &cfg->routers[i];
        const struct reg_entry *old = registry_find(r, c->id);

        if (old != NULL && router_config_same_target(&old->cfg, c)) {
            entries[i] = *old;
            entries[i].cfg = *c;
            memcpy(entries[i].row.name, c->name, sizeof entries[i].row.name);
            entries[i].row.name[sizeof entries[i].row.name - 1] = '\0';
        } else {
            registry_entry_init(&entries[i], c);
        }
    }
    *out = entries;
    return 0;
}

struct registry *registry_new(const struct daemon_config *cfg)
{
    struct registry *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->event_fd = -1;
    if (pthread_mutex_init(&r->lock, NULL) != 0) {
        free(r);
        return NULL;
    }
    r->events = calloc(REGISTRY_EVENT_QUEUE_MAX, sizeof *r->events);
    if (r->events == NULL)
        goto fail;
    r->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->event_fd < 0)
        goto fail;
    if (registry_build_entries(r, cfg, &r->entries))
        goto fail;
    r->n_entries = cfg->n_routers;
    r->generation = 1;
    r->current = registry_snap_build(r);
    if (r->current == NULL)
        goto fail;
    return r;
fail:
    free(r->entries);
    free(r->events);
    if (r->event_fd >= 0)
        close(r->event_fd);
    pthread_mutex_destroy(&r->lock);
    free(r);
    return NULL;
}

void registry_free(struct registry *r)
{
    if (r == NULL)
        return;
    registry_snap_unref(r->current);
    free(r->entries);
    free(r->events);
    close(r->event_fd);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

int registry_apply_config(struct registry *r, const struct daemon_config *cfg)
{
    struct reg_entry *entries;

    pthread_mutex_lock(&r->lock);
    if (registry_build_entries(r, cfg, &entries)) {
        pthread_mutex_unlock(&r->lock);
        return -1;
    }
    free(r->entries);
    r->entries = entries;
    r->n_entries = cfg->n_routers;
    r->generation++;
    r->dirty = true;
    pthread_mutex_unlock(&r->lock);
    return 0;
}

/* Called with the lock held. */
static void registry_queue_event(struct registry *r, enum router_event_kind k,
                                 const struct router_row *row)
{
    const uint64_t one = 1;
    struct router_event *ev;

    if (r->ev_count == REGISTRY_EVENT_QUEUE_MAX) {
        r->ev_head = (r->ev_head + 1) % REGISTRY_EVENT_QUEUE_MAX;
        r->ev_count--;
        r->ev_dropped++;
    }
    ev = &r->events[(r->ev_head + r->ev_count) % REGISTRY_EVENT_QUEUE_MAX];
    ev->kind = k;
    ev->row = *row;
    r->ev_count++;
    /* Only fails when the counter would overflow: it is readable anyway. */
    if (write(r->event_fd, &one, sizeof one) < 0) {
        /* nothing to do */
    }
}

static int registry_event_for(enum probe_health before, enum probe_health after)
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

/* Called with the lock held. */
static void registry_apply_probe(struct registry *r, struct reg_entry *e,
                                 const struct probe_result *res)
{
    struct router_row *row = &e->row;
    uint64_t when =
        res->finished_ms != 0 ? res->finished_ms : registry_now_ms();
    enum mpr_conn_state conn = probe_conn_state(res);
    enum mpr_service_state svc = probe_service_state(res->service_state);
    enum probe_health verdict = probe_classify(res);
    unsigned need = e->cfg.hysteresis > 0 ? e->cfg.hysteresis : 1;

    row->probes++;
    if (res->connect_attempted) {
        row->connect_attempts++;
        if (res->connect_error != NO_ERROR)
            row->connect_failures++;
    }
    if (conn != e->settled_conn || svc != row->service_state)
        row->last_change_ms = when;
    row->conn_state = conn;
    e->settled_conn = conn;
    row->service_state = svc;
    row->last_error = probe_last_error(res);
    row->last_probe_ms = when;
    row->probe_latency_ms = res->latency_ms;
    row->info_valid = res->info_valid;
    row->uptime_s = res->info_valid ? res->info.dwUpTime : 0;
    row->total_ports = res->info_valid ? res->info.dwTotalPorts : 0;
    row->ports_in_use = res->info_valid ? res->info.dwPortsInUse : 0;

    if (verdict == e->confirmed) {
        e->candidate = PROBE_HEALTH_NONE;
        e->streak = 0;
    } else {
        if (verdict == e->candidate) {
            e->streak++;
        } else {
            e->candidate = verdict;
            e->streak = 1;
        }
        if (e->streak >= need) {
            int kind = registry_event_for(e->confirmed, verdict);
            e->confirmed = verdict;
            e->candidate = PROBE_HEALTH_NONE;
            e->streak = 0;
            if (kind != 0)
                registry_queue_event(r, (enum router_event_kind)kind, row);
        }
    }
    r->generation++;
    r->dirty = true;
}

void registry_record_probe(struct registry *r, uint32_t id,
                           const struct probe_result *res)
{
    struct reg_entry *e;

    pthread_mutex_lock(&r->lock);
    e = registry_find(r, id);
    if (e != NULL)
        registry_apply_probe(r, e, res);
    pthread_mutex_unlock(&r->lock);
}

void registry_record_probe_cfg(struct registry *r,
                               const struct router_config *probed,
                               const struct probe_result *res)
{
    struct reg_entry *e;

    pthread_mutex_lock(&r->lock);
    e = registry_find(r, probed->id);
    if (e != NULL && router_config_same_target(&e->cfg, probed))
        registry_apply_probe(r, e, res);
    pthread_mutex_unlock(&r->lock);
}

void registry_mark_connecting(struct registry *r, uint32_t id)
{
    struct reg_entry *e;

    pthread_mutex_lock(&r->lock);
    e = registry_find(r, id);
    if (e != NULL && e->row.conn_state != MPR_CONN_CONNECTING) {
        e->row.conn_state = MPR_CONN_CONNECTING;
        r->generation++;
        r->dirty = true;
    }
    pthread_mutex_unlock(&r->lock);
}

const struct snapshot *registry_snapshot_acquire(struct registry *r)
{
    struct snapshot *s;

    pthread_mutex_lock(&r->lock);
    if (r->dirty) {
        s = registry_snap_build(r);
        /* Out of memory: keep serving the previous snapshot, retry later. */
        if (s != NULL) {
            registry_snap_unref(r->current);
            r->current = s;
            r->dirty = false;
        }
    }
    s = r->current;
    registry_snap_hdr(s)->refs++;
    pthread_mutex_unlock(&r->lock);
    return s;
}

void registry_snapshot_release(struct registry *r, const struct snapshot *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&r->lock);
    registry_snap_unref((struct snapshot *)(uintptr_t)s);
    pthread_mutex_unlock(&r->lock);
}

size_t registry_take_events(struct registry *r, struct router_event *out,
                            size_t max)
{
    size_t n;

    pthread_mutex_lock(&r->lock);
    n = r->ev_count < max ? r->ev_count : max;
    for (size_t i = 0; i < n; i++) {
        out[i] = r->events[r->ev_head];
        r->ev_head = (r->ev_head + 1) % REGISTRY_EVENT_QUEUE_MAX;
    }
    r->ev_count -= n;
    if (r->ev_count == 0) {
        uint64_t drain;
        /* EAGAIN when nothing was written since the last drain: fine. */
        if (read(r->event_fd, &drain, sizeof drain) < 0 && errno != EAGAIN) {
            /* the fd stays readable; the next call drains it */
        }
    }
    pthread_mutex_unlock(&r->lock);
    return n;
}

int registry_event_fd(struct registry *r)
{
    return r->event_fd;
}

uint64_t registry_events_dropped(struct registry *r)
{
    uint64_t n;

    pthread_mutex_lock(&r->lock);
    n = r->ev_dropped;
    pthread_mutex_unlock(&r->lock);
    return n;
}

const struct router_row *snapshot_find(const struct snapshot *s, uint32_t id)
{
    const struct router_row *row = snapshot_next(s, id == 0 ? 0 : id - 1);

    if (id == 0 || row == NULL || row->id != id)
        return NULL;
    return row;
}

const struct router_row *snapshot_next(const struct snapshot *s, uint32_t id)
{
    size_t lo = 0, hi;

    if (s == NULL)
        return NULL;
    hi = s->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->rows[mid].id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_rows ? &s->rows[lo] : NULL;
}
