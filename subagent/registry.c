/* SPDX-License-Identifier: GPL-3.0-or-later */
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
 * Rows live in chunks (struct row_chunk, registry.h) shared by the registry
 * and the snapshots.  Snapshots are published lazily: writers only mark the
 * registry dirty, and the next registry_snapshot_acquire makes a snapshot
 * that points at the current chunks (an array of pointers, never a copy of
 * the rows).  A writer about to change a row whose chunk a snapshot may
 * show first replaces the registry's pointer by a private copy of that
 * chunk (copy on write), so snapshots stay immutable.  The copying is thus
 * done by the prober's threads, a chunk at a time and only for chunks that
 * changed, instead of by the SNMP thread, a whole table at a time: with
 * 10,000 rows and probes finishing all the time, a full copy per SNMP
 * request made a table walk some 30 times slower.
 *
 * Lifetimes without a count per chunk (counting would touch every chunk
 * at each publication, a cache miss each): snapshots are numbered (seq) as
 * they are built, and a chunk records the last seq before it was made
 * (born) and, once replaced, the last seq it could be part of (retired).
 * A chunk born before the newest snapshot may be in it, so writes copy it;
 * a replaced chunk waits on the retired list until every live snapshot is
 * newer than its `retired`, then it is freed.  Snapshots are reference
 * counted and listed oldest first; the registry holds one reference on the
 * current one.  All of it changes only under the lock.
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

/* A router's state besides its row (which is in the registry's chunks, at
 * the entry's position). */
struct reg_entry {
    struct router_config cfg;
    enum mpr_conn_state settled_conn; /* conn_state without CONNECTING */
    enum probe_health confirmed;
    enum probe_health candidate;
    unsigned streak; /* consecutive probes with verdict == candidate */
};

/* Lives just before each snapshot in the same allocation. */
struct snap_hdr {
    size_t refs;
    uint64_t seq;
    struct snap_hdr *older, *newer; /* the registry's live snapshots */
};

#define SNAP_OFFSET                                                            \
    ((sizeof(struct snap_hdr) + alignof(max_align_t) - 1) /                    \
     alignof(max_align_t) * alignof(max_align_t))

struct registry {
    pthread_mutex_t lock;
    struct reg_entry *entries; /* sorted by id */
    size_t n_entries;
    struct row_chunk **chunks; /* rows of entries[i] at i, SNAPSHOT_CHUNKS */
    uint64_t seq;              /* snapshots built so far */
    struct snap_hdr *oldest, *newest;         /* live snapshots */
    struct row_chunk *retired, *retired_last; /* by `retired`, oldest first */
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

/* Free the retired chunks that no live snapshot can show any more. */
static void registry_reclaim(struct registry *r)
{
    uint64_t oldest = r->oldest != NULL ? r->oldest->seq : UINT64_MAX;

    while (r->retired != NULL && r->retired->retired < oldest) {
        struct row_chunk *c = r->retired;
        r->retired = c->next_retired;
        free(c);
    }
    if (r->retired == NULL)
        r->retired_last = NULL;
}

/* The registry no longer uses chunk c.  Snapshots seq born+1 .. r->seq may
 * show it: it waits for them; if there are none it goes now. */
static void registry_chunk_retire(struct registry *r, struct row_chunk *c)
{
    if (c->born >= r->seq) {
        free(c);
        return;
    }
    c->retired = r->seq;
    c->next_retired = NULL;
    if (r->retired_last != NULL)
        r->retired_last->next_retired = c;
    else
        r->retired = c;
    r->retired_last = c;
}

/* Chunks never shared with a snapshot, and their array. */
static void registry_chunks_free(struct row_chunk **chunks, size_t n_rows)
{
    if (chunks == NULL)
        return;
    for (size_t k = 0; k < SNAPSHOT_CHUNKS(n_rows); k++)
        free(chunks[k]);
    free(chunks);
}

/* Called with the lock held. */
static void registry_snap_unref(struct registry *r, struct snapshot *s)
{
    struct snap_hdr *h;

    if (s == NULL)
        return;
    h = registry_snap_hdr(s);
    if (--h->refs > 0)
        return;
    if (h->older != NULL)
        h->older->newer = h->newer;
    else
        r->oldest = h->newer;
    if (h->newer != NULL)
        h->newer->older = h->older;
    else
        r->newest = h->older;
    free(h);
    registry_reclaim(r);
}

/* Called with the lock held.  Costs one pointer per chunk: the rows are
 * shared, not copied, and the chunks are not even touched. */
static struct snapshot *registry_snap_build(struct registry *r)
{
    size_t n_chunks = SNAPSHOT_CHUNKS(r->n_entries);
    size_t size = SNAP_OFFSET + sizeof(struct snapshot) +
                  n_chunks * sizeof(struct row_chunk *);
    char *base = malloc(size);
    struct snap_hdr *h = (struct snap_hdr *)(void *)base;
    struct snapshot *s;

    if (base == NULL)
        return NULL;
    h->refs = 1;
    h->seq = ++r->seq;
    h->older = r->newest;
    h->newer = NULL;
    if (r->newest != NULL)
        r->newest->newer = h;
    else
        r->oldest = h;
    r->newest = h;
    s = (struct snapshot *)(void *)(base + SNAP_OFFSET);
    s->generation = r->generation;
    s->n_rows = r->n_entries;
    if (n_chunks > 0)
        memcpy(s->chunks, r->chunks, n_chunks * sizeof(struct row_chunk *));
    return s;
}

/* Row i, read-only (called with the lock held). */
static const struct router_row *registry_row(const struct registry *r, size_t i)
{
    return &r->chunks[i / SNAPSHOT_CHUNK_ROWS]->rows[i % SNAPSHOT_CHUNK_ROWS];
}

/* Row i, to be changed (called with the lock held): if a snapshot may show
 * its chunk (one was built since the chunk was made), the registry first
 * takes a private copy of the chunk.  NULL when that copy cannot be made
 * (no memory). */
static struct router_row *registry_row_for_write(struct registry *r, size_t i)
{
    struct row_chunk **slot = &r->chunks[i / SNAPSHOT_CHUNK_ROWS];

    if ((*slot)->born < r->seq) {
        struct row_chunk *copy = malloc(sizeof *copy);
        if (copy == NULL)
            return NULL;
        memcpy(copy->rows, (*slot)->rows, sizeof copy->rows);
        copy->born = r->seq;
        copy->retired = 0;
        copy->next_retired = NULL;
        registry_chunk_retire(r, *slot);
        *slot = copy;
    }
    return &(*slot)->rows[i % SNAPSHOT_CHUNK_ROWS];
}

/* Copy a config string into a row's fixed array, always terminated.  The
 * config may hold its strings in arrays or behind pointers. */
static void registry_copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src != NULL ? strnlen(src, size - 1) : 0;

    memcpy(dst, src != NULL ? src : "", n);
    dst[n] = '\0';
}

static void registry_row_init(struct router_row *row,
                              const struct router_config *cfg)
{
    memset(row, 0, sizeof *row);
    row->id = cfg->id;
    registry_copy_str(row->name, sizeof row->name, cfg->name);
    registry_copy_str(row->address, sizeof row->address, cfg->address);
    row->conn_state = MPR_CONN_DISCONNECTED;
    row->service_state = MPR_SVC_UNKNOWN;
}

static void registry_entry_init(struct reg_entry *e,
                                const struct router_config *cfg)
{
    memset(e, 0, sizeof *e);
    e->cfg = *cfg;
    e->settled_conn = MPR_CONN_DISCONNECTED;
    e->confirmed = PROBE_HEALTH_NONE;
    e->candidate = PROBE_HEALTH_NONE;
}

/* Position of router id in entries (and rows), or -1. */
static ptrdiff_t registry_find_pos(const struct registry *r, uint32_t id)
{
    size_t lo = 0, hi = r->n_entries;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->entries[mid].cfg.id == id)
            return (ptrdiff_t)mid;
        if (r->entries[mid].cfg.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Build the entries and row chunks for cfg, carrying over the state and
 * row of routers whose target did not change.  Called with the lock held
 * (or before sharing).  Nothing of r changes; on failure nothing is left
 * allocated. */
static int registry_build_entries(const struct registry *r,
                                  const struct daemon_config *cfg,
                                  struct reg_entry **out_entries,
                                  struct row_chunk ***out_chunks)
{
    size_t n = cfg->n_routers, n_chunks = SNAPSHOT_CHUNKS(cfg->n_routers);
    struct reg_entry *entries = NULL;
    struct row_chunk **chunks = NULL;

    *out_entries = NULL;
    *out_chunks = NULL;
    if (!config_routers_sorted(cfg))
        return -1;
    if (n > 0) {
        entries = calloc(n, sizeof *entries);
        chunks = calloc(n_chunks, sizeof *chunks);
        if (entries == NULL || chunks == NULL)
            goto fail;
    }
    for (size_t k = 0; k < n_chunks; k++) {
        chunks[k] = calloc(1, sizeof *chunks[k]);
        if (chunks[k] == NULL)
            goto fail;
        chunks[k]->born = r->seq;
    }
    for (size_t i = 0; i < n; i++) {
        const struct router_config *c = &cfg->routers[i];
        ptrdiff_t old = registry_find_pos(r, c->id);
        struct router_row *row =
            &chunks[i / SNAPSHOT_CHUNK_ROWS]->rows[i % SNAPSHOT_CHUNK_ROWS];

        if (old >= 0 && router_config_same_target(&r->entries[old].cfg, c)) {
            entries[i] = r->entries[old];
            entries[i].cfg = *c;
            *row = *registry_row(r, (size_t)old);
            registry_copy_str(row->name, sizeof row->name, c->name);
        } else {
            registry_entry_init(&entries[i], c);
            registry_row_init(row, c);
        }
    }
    *out_entries = entries;
    *out_chunks = chunks;
    return 0;
fail:
    registry_chunks_free(chunks, n);
    free(entries);
    return -1;
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
    if (registry_build_entries(r, cfg, &r->entries, &r->chunks))
        goto fail;
    r->n_entries = cfg->n_routers;
    r->generation = 1;
    r->current = registry_snap_build(r);
    if (r->current == NULL)
        goto fail;
    return r;
fail:
    registry_chunks_free(r->chunks, r->n_entries);
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
    registry_snap_unref(r, r->current);
    registry_chunks_free(r->chunks, r->n_entries);
    /* Chunks of snapshots still held would dangle: there must be none. */
    while (r->retired != NULL) {
        struct row_chunk *c = r->retired;
        r->retired = c->next_retired;
        free(c);
    }
    free(r->entries);
    free(r->events);
    close(r->event_fd);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

int registry_apply_config(struct registry *r, const struct daemon_config *cfg)
{
    struct reg_entry *entries;
    struct row_chunk **chunks;

    pthread_mutex_lock(&r->lock);
    if (registry_build_entries(r, cfg, &entries, &chunks)) {
        pthread_mutex_unlock(&r->lock);
        return -1;
    }
    /* Snapshots may still show the old chunks: they wait for them. */
    for (size_t k = 0; k < SNAPSHOT_CHUNKS(r->n_entries); k++)
        registry_chunk_retire(r, r->chunks[k]);
    free(r->chunks);
    free(r->entries);
    r->entries = entries;
    r->chunks = chunks;
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

/* Called with the lock held, for the router at position pos.  Without
 * memory for a copy of its row's chunk the result is dropped whole (row
 * and state machine stay as they were; the next probe tries again). */
static void registry_apply_probe(struct registry *r, size_t pos,
                                 const struct probe_result *res)
{
    struct reg_entry *e = &r->entries[pos];
    struct router_row *row = registry_row_for_write(r, pos);
    uint64_t when =
        res->finished_ms != 0 ? res->finished_ms : registry_now_ms();
    enum mpr_conn_state conn = probe_conn_state(res);
    enum mpr_service_state svc = probe_service_state(res->service_state);
    enum probe_health verdict = probe_classify(res);
    unsigned need = e->cfg.hysteresis > 0 ? e->cfg.hysteresis : 1;

    if (row == NULL)
        return;
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
    ptrdiff_t pos;

    pthread_mutex_lock(&r->lock);
    pos = registry_find_pos(r, id);
    if (pos >= 0)
        registry_apply_probe(r, (size_t)pos, res);
    pthread_mutex_unlock(&r->lock);
}

void registry_record_probe_cfg(struct registry *r,
                               const struct router_config *probed,
                               const struct probe_result *res)
{
    ptrdiff_t pos;

    pthread_mutex_lock(&r->lock);
    pos = registry_find_pos(r, probed->id);
    if (pos >= 0 && router_config_same_target(&r->entries[pos].cfg, probed))
        registry_apply_probe(r, (size_t)pos, res);
    pthread_mutex_unlock(&r->lock);
}

void registry_mark_connecting(struct registry *r, uint32_t id)
{
    ptrdiff_t pos;

    pthread_mutex_lock(&r->lock);
    pos = registry_find_pos(r, id);
    if (pos >= 0 &&
        registry_row(r, (size_t)pos)->conn_state != MPR_CONN_CONNECTING) {
        struct router_row *row = registry_row_for_write(r, (size_t)pos);
        /* No memory for the copy: the row just does not show CONNECTING. */
        if (row != NULL) {
            row->conn_state = MPR_CONN_CONNECTING;
            r->generation++;
            r->dirty = true;
        }
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
            registry_snap_unref(r, r->current);
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
    registry_snap_unref(r, (struct snapshot *)(uintptr_t)s);
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
        if (snapshot_row(s, mid)->id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_rows ? snapshot_row(s, lo) : NULL;
}
