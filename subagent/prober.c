/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * prober.c - probes routers off the SNMP path, with bounded workers.
 *
 * A fixed pool of worker threads shares one min-heap of routers ordered by
 * the time each is due.  A worker takes the earliest due router, probes it
 * without holding any lock, and puts it back with its next due time.  While
 * a router is out of the heap (busy) only that worker touches its handle, so
 * handles need no lock of their own.  A reload that changes or removes a
 * busy router leaves a note (pending / removed) that the worker acts on when
 * it comes back.
 *
 * One probe:
 *   1. no handle held: MprmonServerConnectEx (the handle is kept across
 *      probes, so a healthy router costs one SMB session, not one per probe);
 *   2. MprmonQueryServiceState, skipped when the connect found nothing
 *      answering (it would only wait for the same timeout again);
 *   3. with a handle, and the SCM not saying the service is stopped:
 *      MprAdminServerGetInfo level 0.  A transport failure drops the handle
 *      and the next probe reconnects.
 *
 * Locks: the prober lock protects the heap and every target's fields;
 * apply_lock serialises prober_apply_config and prober_stop.  The prober
 * lock may be held while taking the registry's lock, never the reverse.
 * Handles are disconnected with no lock held (it may do network I/O).
 */
#include "prober.h"
#include "probe_priv.h"
#include "schedule_priv.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROBER_WORKERS_MAX 256u

struct ptarget {
    struct sched_node node; /* first: the heap hands back &node */
    struct router_config cfg;
    /* Config to apply when the probe ends: a reload came while busy.  Held
     * apart, and only then, so that an idle router costs one config. */
    struct router_config *pending;
    bool busy;
    bool removed; /* gone from the config while busy: worker frees it */
    MPR_SERVER_HANDLE handle;
    unsigned failures; /* consecutive UNREACHABLE verdicts */
};

struct prober {
    struct registry *reg;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC */
    pthread_mutex_t apply_lock;
    bool stopping;
    struct ptarget **targets; /* sorted by id */
    size_t n_targets;
    struct sched_heap heap;
    uint64_t rng;
    pthread_t *threads;
    unsigned n_threads;
};

static struct ptarget *prober_target_of(struct sched_node *node)
{
    return (struct ptarget *)(void *)node;
}

static void prober_disconnect(MPR_SERVER_HANDLE h)
{
    if (h != NULL)
        MprAdminServerDisconnect(h);
}

static uint32_t prober_elapsed(uint64_t from, uint64_t to)
{
    uint64_t d = to > from ? to - from : 0;

    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* Runs with no lock held; *handle belongs to the calling worker. */
static void prober_probe(struct prober *p, const struct router_config *cfg,
                         MPR_SERVER_HANDLE *handle, struct probe_result *res)
{
    MPRMON_CONNECT_OPTIONS opts;
    MPRMON_SERVICE_STATE state = MPRMON_SERVICE_UNKNOWN;
    uint64_t t0 = registry_now_ms();
    LPWSTR wide;

    memset(res, 0, sizeof *res);
    res->service_state = MPRMON_SERVICE_UNKNOWN;
    memset(&opts, 0, sizeof opts);
    opts.dwPort = cfg->port;
    opts.dwTimeoutMs = cfg->timeout_ms;
    opts.encryption = cfg->encryption;
    opts.dwRpcAuthLevel = cfg->rpc_auth_level;
    opts.pszCredentialsFile =
        cfg->auth_file != NULL && cfg->auth_file[0] != '\0' ? cfg->auth_file
                                                            : NULL;

    wide = MprmonUtf8ToWide(cfg->address);
    if (wide == NULL) {
        /* The config validated the address, so this is memory. */
        res->connect_attempted = true;
        res->connect_error = ERROR_NOT_ENOUGH_MEMORY;
        goto done;
    }
    if (*handle == NULL) {
        registry_mark_connecting(p->reg, cfg->id);
        res->connect_attempted = true;
        res->connect_error = MprmonServerConnectEx(wide, &opts, handle);
        if (res->connect_error != NO_ERROR)
            *handle = NULL;
    }
    if (res->connect_attempted &&
        probe_error_is_unreachable(res->connect_error)) {
        res->service_state = MPRMON_SERVICE_UNREACHABLE;
        res->service_error = res->connect_error;
    } else {
        res->service_error = MprmonQueryServiceState(wide, &opts, &state, NULL);
        res->service_state = state;
    }
    if (*handle != NULL) {
        if (state == MPRMON_SERVICE_STOPPED ||
            state == MPRMON_SERVICE_NOT_INSTALLED) {
            /* The binding outlived the service: start clean next time. */
            prober_disconnect(*handle);
            *handle = NULL;
        } else {
            LPBYTE buf = NULL;
            res->info_error = MprAdminServerGetInfo(*handle, 0, &buf);
            if (res->info_error == NO_ERROR && buf != NULL) {
                memcpy(&res->info, buf, sizeof res->info);
                res->info_valid = true;
            } else if (probe_error_is_transport(res->info_error)) {
                prober_disconnect(*handle);
                *handle = NULL;
            }
            MprAdminBufferFree(buf);
        }
    }
    MprAdminBufferFree(wide);
done:
    res->finished_ms = registry_now_ms();
    res->latency_ms = prober_elapsed(t0, res->finished_ms);
}

/* Called with the lock held.  Wakes the workers when node became the
 * earliest, since they may be sleeping until a later time. */
static void prober_schedule(struct prober *p, struct ptarget *t,
                            uint64_t due_ms)
{
    t->node.due_ms = due_ms;
    /* Cannot fail: apply_config reserved room for every target. */
    (void)sched_push(&p->heap, &t->node);
    if (sched_peek(&p->heap) == &t->node)
        pthread_cond_broadcast(&p->cond);
}

static void prober_deadline(uint64_t due_ms, struct timespec *ts)
{
    ts->tv_sec = (time_t)(due_ms / 1000u);
    ts->tv_nsec = (long)(due_ms % 1000u) * 1000000L;
}

/* Called with the lock held, after a probe of t ended. */
static MPR_SERVER_HANDLE prober_requeue(struct prober *p, struct ptarget *t,
                                        uint64_t started_due,
                                        enum probe_health verdict)
{
    MPR_SERVER_HANDLE stale = NULL;
    uint64_t now = registry_now_ms();
    uint64_t due;

    t->busy = false;
    if (t->pending != NULL) {
        struct router_config *next = t->pending;
        bool same = router_config_same_target(&t->cfg, next);

        t->cfg = *next;
        t->pending = NULL;
        free(next);
        if (!same) {
            stale = t->handle;
            t->handle = NULL;
            t->failures = 0;
            prober_schedule(p, t, now);
            return stale;
        }
    }
    t->failures = verdict == PROBE_HEALTH_UNREACHABLE ? t->failures + 1 : 0;
    /* Due times advance from the previous due time, not from the end of the
     * probe, so a slow probe does not make the interval drift. */
    due = started_due + sched_next_delay_ms(t->cfg.interval_s, t->failures,
                                            t->cfg.hysteresis,
                                            sched_random(&p->rng));
    prober_schedule(p, t, due > now ? due : now);
    return NULL;
}

static void *prober_worker(void *arg)
{
    struct prober *p = arg;

    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        struct sched_node *node = sched_peek(&p->heap);
        struct ptarget *t;
        struct router_config cfg;
        MPR_SERVER_HANDLE handle, stale;
        struct probe_result res;
        uint64_t now, due;

        if (node == NULL) {
            pthread_cond_wait(&p->cond, &p->lock);
            continue;
        }
        now = registry_now_ms();
        if (node->due_ms > now) {
            struct timespec ts;
            prober_deadline(node->due_ms, &ts);
            pthread_cond_timedwait(&p->cond, &p->lock, &ts);
            continue;
        }
        sched_pop(&p->heap);
        t = prober_target_of(node);
        t->busy = true;
        due = node->due_ms;
        cfg = t->cfg;
        handle = t->handle;
        pthread_mutex_unlock(&p->lock);

        prober_probe(p, &cfg, &handle, &res);
        /* Ignored by the registry if a reload changed the target meanwhile. */
        registry_record_probe_cfg(p->reg, &cfg, &res);

        pthread_mutex_lock(&p->lock);
        if (t->removed) {
            stale = handle;
            free(t->pending);
            free(t);
        } else {
            t->handle = handle;
            stale = prober_requeue(p, t, due, probe_classify(&res));
        }
        if (stale != NULL) {
            pthread_mutex_unlock(&p->lock);
            prober_disconnect(stale);
            pthread_mutex_lock(&p->lock);
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static struct ptarget *prober_find(struct prober *p, uint32_t id)
{
    size_t lo = 0, hi = p->n_targets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->targets[mid]->cfg.id == id)
            return p->targets[mid];
        if (p->targets[mid]->cfg.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Called with the lock held, before anything changes: one spare config for
 * every router of cfg whose probe is in flight and that has no pending config
 * yet (a busy one keeps probing its old config until the worker is back).
 * Allocated here, under the lock, because only now is "busy" known; the lock
 * is held for a few mallocs at most, one per worker. */
static int prober_alloc_spares(struct prober *p,
                               const struct daemon_config *cfg,
                               struct router_config ***out, size_t *n_out)
{
    struct router_config **spares = NULL;
    size_t n = 0;

    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; i < cfg->n_routers; i++) {
        struct ptarget *t = prober_find(p, cfg->routers[i].id);
        if (t != NULL && t->busy && t->pending == NULL)
            n++;
    }
    if (n == 0)
        return 0;
    spares = calloc(n, sizeof *spares);
    if (spares == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        spares[i] = malloc(sizeof *spares[i]);
        if (spares[i] == NULL) {
            for (size_t j = 0; j < i; j++)
                free(spares[j]);
            free(spares);
            return -1;
        }
    }
    *out = spares;
    *n_out = n;
    return 0;
}

int prober_apply_config(struct prober *p, const struct daemon_config *cfg)
{
    struct ptarget **targets = NULL;
    struct router_config **spares = NULL;
    size_t n_spares = 0, used_spares = 0;
    MPR_SERVER_HANDLE *stale = NULL;
    size_t n_stale = 0;
    uint64_t now;
    int rc = -1;

    if (!config_routers_sorted(cfg))
        return -1;
    pthread_mutex_lock(&p->apply_lock);
    /* Only this function changes p->targets, and apply_lock is held, so it
     * can be read without the prober lock; everything that can fail is
     * allocated before the change, which then cannot fail. */
    if (cfg->n_routers > 0) {
        targets = calloc(cfg->n_routers, sizeof *targets);
        if (targets == NULL)
            goto out;
    }
    if (cfg->n_routers + p->n_targets > 0) {
        stale = calloc(cfg->n_routers + p->n_targets, sizeof *stale);
        if (stale == NULL)
            goto out;
    }
    for (size_t i = 0; i < cfg->n_routers; i++) {
        if (prober_find(p, cfg->routers[i].id) != NULL)
            continue;
        targets[i] = calloc(1, sizeof *targets[i]);
        if (targets[i] == NULL)
            goto out;
        targets[i]->node.index = SCHED_NOT_QUEUED;
        targets[i]->cfg = cfg->routers[i];
    }

    pthread_mutex_lock(&p->lock);
    if (sched_reserve(&p->heap, cfg->n_routers + p->n_targets) ||
        prober_alloc_spares(p, cfg, &spares, &n_spares)) {
        pthread_mutex_unlock(&p->lock);
        goto out;
    }
    now = registry_now_ms();
    for (size_t i = 0; i < p->n_targets; i++)
        p->targets[i]->removed = true; /* until found in the new config */
    for (size_t i = 0; i < cfg->n_routers; i++) {
        const struct router_config *c = &cfg->routers[i];
        struct ptarget *t = targets[i];

        if (t != NULL) {
            prober_schedule(p, t, now);
            continue;
        }
        t = prober_find(p, c->id);
        t->removed = false;
        targets[i] = t;
        if (t->busy) {
            if (t->pending == NULL)
                t->pending = spares[used_spares++];
            *t->pending = *c;
        } else if (!router_config_same_target(&t->cfg, c)) {
            stale[n_stale++] = t->handle;
            t->handle = NULL;
            t->failures = 0;
            t->cfg = *c;
            sched_remove(&p->heap, &t->node);
            prober_schedule(p, t, now);
        } else {
            uint64_t soon = now + (uint64_t)c->interval_s * 1000u;
            t->cfg = *c;
            /* A shorter interval takes effect now, not after the old one. */
            if (t->node.due_ms > soon) {
                sched_remove(&p->heap, &t->node);
                prober_schedule(p, t, soon);
            }
        }
    }
    for (size_t i = 0; i < p->n_targets; i++) {
        struct ptarget *t = p->targets[i];
        if (!t->removed || t->busy)
            continue; /* kept, or freed by its worker */
        sched_remove(&p->heap, &t->node);
        stale[n_stale++] = t->handle;
        free(t);
    }
    free(p->targets);
    p->targets = targets;
    p->n_targets = cfg->n_routers;
    targets = NULL;
    pthread_mutex_unlock(&p->lock);
    rc = 0;
out:
    if (targets != NULL) {
        /* Failed before the change: the array holds only fresh targets. */
        for (size_t i = 0; i < cfg->n_routers; i++)
            free(targets[i]);
        free(targets);
    }
    pthread_mutex_unlock(&p->apply_lock);
    for (size_t i = used_spares; i < n_spares; i++)
        free(spares[i]); /* none left after a success; all after a failure */
    free(spares);
    for (size_t i = 0; i < n_stale; i++)
        prober_disconnect(stale[i]);
    free(stale);
    return rc;
}

static void prober_free(struct prober *p)
{
    for (size_t i = 0; i < p->n_targets; i++) {
        prober_disconnect(p->targets[i]->handle);
        free(p->targets[i]->pending);
        free(p->targets[i]);
    }
    free(p->targets);
    sched_free(&p->heap);
    free(p->threads);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    pthread_mutex_destroy(&p->apply_lock);
    free(p);
}

static int prober_init_sync(struct prober *p)
{
    pthread_condattr_t attr;
    int rc;

    if (pthread_condattr_init(&attr) != 0)
        return -1;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(&p->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        pthread_cond_destroy(&p->cond);
        return -1;
    }
    if (pthread_mutex_init(&p->apply_lock, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->cond);
        return -1;
    }
    return 0;
}

struct prober *prober_start(struct registry *reg,
                            const struct daemon_config *cfg, unsigned workers)
{
    struct prober *p;

    if (reg == NULL || cfg == NULL)
        return NULL;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    if (prober_init_sync(p)) {
        free(p);
        return NULL;
    }
    p->reg = reg;
    p->rng =
        ((uint64_t)getpid() << 32) ^ registry_now_ms() ^ (uint64_t)(uintptr_t)p;
    if (p->rng == 0)
        p->rng = 1;
    if (workers == 0)
        workers = 1;
    if (workers > PROBER_WORKERS_MAX)
        workers = PROBER_WORKERS_MAX;
    p->threads = calloc(workers, sizeof *p->threads);
    if (p->threads == NULL || prober_apply_config(p, cfg)) {
        prober_free(p);
        return NULL;
    }
    for (unsigned i = 0; i < workers; i++) {
        if (pthread_create(&p->threads[i], NULL, prober_worker, p) != 0) {
            p->n_threads = i;
            prober_stop(p);
            return NULL;
        }
    }
    p->n_threads = workers;
    return p;
}

void prober_stop(struct prober *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->apply_lock);
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_unlock(&p->apply_lock);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    /* Workers are gone: no target is busy, every handle is back. */
    prober_free(p);
}
