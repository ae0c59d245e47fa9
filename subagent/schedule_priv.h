/* SPDX-License-Identifier: GPL-3.0-or-later */
/* schedule_priv.h - when to probe next: a min-heap by due time, and the
 * backoff rule.  Pure (no locks, no clock), so unit tests drive it. */
#ifndef MPRMON_SCHEDULE_PRIV_H
#define MPRMON_SCHEDULE_PRIV_H

#include <stddef.h>
#include <stdint.h>

/* Backoff never waits longer than this, unless the interval itself is. */
#define SCHED_BACKOFF_CAP_MS 600000u

#define SCHED_NOT_QUEUED ((size_t)-1)

/* Embedded in whatever is scheduled; the heap holds pointers to these. */
struct sched_node {
    uint64_t due_ms;
    size_t index; /* position in the heap, SCHED_NOT_QUEUED when out */
};

struct sched_heap {
    struct sched_node **nodes;
    size_t n;
    size_t cap;
};

/* Make room for cap nodes so that sched_push cannot fail afterwards.
 * Returns 0, or -1 when out of memory (heap unchanged). */
int sched_reserve(struct sched_heap *h, size_t cap);

/* Insert a node that is not queued; -1 when no room could be made. */
int sched_push(struct sched_heap *h, struct sched_node *node);

/* The earliest node, or NULL when empty. */
struct sched_node *sched_peek(const struct sched_heap *h);

/* Take the earliest node out, or NULL when empty. */
struct sched_node *sched_pop(struct sched_heap *h);

/* Take a queued node out from anywhere; a node not queued is ignored. */
void sched_remove(struct sched_heap *h, struct sched_node *node);

void sched_free(struct sched_heap *h);

/*
 * Delay until the next probe of a router after `backoff_steps` failed
 * probes that found it confirmed unreachable (0: it is not, or not yet).
 * Without steps the router keeps its interval, so a failure is confirmed
 * (and notified) as fast as configured; then the delay doubles per step, up
 * to SCHED_BACKOFF_CAP_MS, and loses up to a fifth to jitter (from rnd) so
 * that routers that failed together do not retry together.  Never less than
 * the interval.
 */
uint64_t sched_next_delay_ms(unsigned interval_s, unsigned backoff_steps,
                             uint32_t rnd);

/* xorshift64*: cheap jitter, not for secrets.  *state must not be 0. */
uint32_t sched_random(uint64_t *state);

#endif
