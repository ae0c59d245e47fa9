/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * reconcile.c - a (re)loaded configuration taken by the routers
 * (routers_apply_config in routers.h).
 *
 * Everything that can fail is done first (the new list, new routers, room
 * in the heap, the new rows); then the change is made, which cannot fail.
 * A router keeps its struct, handle, verdict and counters when its target
 * is the same; otherwise it starts afresh, as a new one does.
 */
#include "routers_priv.h"

#include <stdlib.h>
#include <string.h>

enum plan_kind {
    PLAN_KEPT = 0,     /* same target: state carried over */
    PLAN_RETARGET = 1, /* same id, new target: starts afresh */
    PLAN_NEW = 2       /* not configured before */
};

struct plan {
    struct routers *r;
    const struct router_config *cfgs;
    size_t n;
    struct router **next;   /* the new list */
    unsigned char *kind;    /* enum plan_kind of next[i] */
    size_t n_fresh;         /* PLAN_RETARGET + PLAN_NEW */
};

static struct router *reconcile_find(const struct routers *r, uint32_t id)
{
    size_t lo = 0, hi = r->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->list[mid]->cfg.id == id)
            return r->list[mid];
        if (r->list[mid]->cfg.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void plan_free(struct plan *p, bool failed)
{
    for (size_t i = 0; failed && p->kind != NULL && i < p->n; i++)
        if (p->kind[i] == PLAN_NEW)
            free(p->next[i]);
    free(p->next);
    free(p->kind);
}

static int plan_make(struct plan *p)
{
    p->next = calloc(p->n + 1, sizeof *p->next);
    p->kind = calloc(p->n + 1, 1);
    if (p->next == NULL || p->kind == NULL)
        return -1;
    for (size_t i = 0; i < p->n; i++) {
        struct router *old = reconcile_find(p->r, p->cfgs[i].id);

        if (old == NULL) {
            p->kind[i] = PLAN_NEW;
            p->next[i] = calloc(1, sizeof *p->next[i]);
            if (p->next[i] == NULL)
                return -1;
            p->next[i]->node.index = SCHED_NOT_QUEUED;
        } else {
            p->next[i] = old;
            p->kind[i] = router_config_same_target(&old->cfg, &p->cfgs[i])
                             ? PLAN_KEPT
                             : PLAN_RETARGET;
        }
        if (p->kind[i] != PLAN_KEPT)
            p->n_fresh++;
    }
    return 0;
}

/* Row i of the new table: carried over (with the new name) or fresh. */
static void plan_fill_row(void *ctx, size_t i, struct router_row *row)
{
    const struct plan *p = ctx;
    const struct router_config *c = &p->cfgs[i];

    if (p->kind[i] != PLAN_KEPT) {
        row_init(row, c);
        return;
    }
    *row = *row_store_row(p->r->store, p->next[i]->pos);
    row_copy_str(row->name, sizeof row->name, c->name);
    row->interval_s = c->interval_s;
}

/* A kept router: new settings; a shorter interval takes effect now. */
static void reconcile_keep(struct routers *r, struct router *t,
                           const struct router_config *c, uint64_t now_ms)
{
    uint64_t soon = now_ms + (uint64_t)c->interval_s * 1000u;

    t->cfg = *c;
    if (t->step == PROBE_IDLE && t->node.due_ms > soon) {
        sched_remove(&r->heap, &t->node);
        routers_schedule(r, t, soon);
    }
}

/* A new or retargeted router: the k-th of n such is due after
 * interval * k / n, so a fleet's first probes are spread, not fired at
 * once. */
static void reconcile_start_afresh(struct routers *r, struct router *t,
                                   const struct router_config *c,
                                   uint64_t now_ms, size_t k, size_t n)
{
    uint64_t interval_ms = (uint64_t)c->interval_s * 1000u;

    probing_abandon(r, t);
    sched_remove(&r->heap, &t->node);
    t->cfg = *c;
    verdict_init(&t->health);
    memset(&t->ports_watch, 0, sizeof t->ports_watch);
    t->backoff_steps = 0;
    routers_schedule(r, t, now_ms + interval_ms * k / (n > 0 ? n : 1));
}

static void reconcile_drop_removed(struct routers *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct router *t = r->list[i];

        if (t->pos != SIZE_MAX)
            continue;
        probing_abandon(r, t);
        sched_remove(&r->heap, &t->node);
        free(t);
    }
}

static void plan_commit(struct plan *p, uint64_t now_ms, bool at_once)
{
    struct routers *r = p->r;
    size_t k = 0;

    for (size_t i = 0; i < r->n; i++)
        r->list[i]->pos = SIZE_MAX; /* until found in the new list */
    for (size_t i = 0; i < p->n; i++)
        p->next[i]->pos = i;
    reconcile_drop_removed(r);
    for (size_t i = 0; i < p->n; i++) {
        if (p->kind[i] == PLAN_KEPT)
            reconcile_keep(r, p->next[i], &p->cfgs[i], now_ms);
        else
            reconcile_start_afresh(r, p->next[i], &p->cfgs[i], now_ms,
                                   at_once ? 0 : k++, p->n_fresh);
    }
    free(r->list);
    r->list = p->next;
    r->n = p->n;
    p->next = NULL;
}

int routers_apply_config(struct routers *r, struct daemon_config *cfg,
                         uint64_t now_ms)
{
    struct plan p;

    if (!config_routers_sorted(cfg))
        return -1;
    memset(&p, 0, sizeof p);
    p.r = r;
    p.cfgs = cfg->routers;
    p.n = cfg->n_routers;
    if (plan_make(&p) != 0 || sched_reserve(&r->heap, p.n) != 0 ||
        row_store_replace(r->store, p.n, plan_fill_row, &p) != 0) {
        plan_free(&p, true);
        return -1;
    }
    plan_commit(&p, now_ms, cfg->first_probes_at_once);
    plan_free(&p, false);
    r->concurrency = cfg->max_concurrency > 0 ? cfg->max_concurrency : 1;
    routers_ifaces_changed(r); /* routers came, went or moved */
    free(cfg->routers);
    cfg->routers = NULL;
    cfg->n_routers = 0;
    return 0;
}
