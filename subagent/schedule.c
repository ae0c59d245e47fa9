/* SPDX-License-Identifier: GPL-3.0-or-later */
/* schedule.c - min-heap of due times and the backoff rule. */
#include "schedule_priv.h"

#include <stdlib.h>

static void sched_set(struct sched_heap *h, size_t i, struct sched_node *node)
{
    h->nodes[i] = node;
    node->index = i;
}

static void sched_up(struct sched_heap *h, size_t i)
{
    struct sched_node *node = h->nodes[i];

    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->nodes[parent]->due_ms <= node->due_ms)
            break;
        sched_set(h, i, h->nodes[parent]);
        i = parent;
    }
    sched_set(h, i, node);
}

static void sched_down(struct sched_heap *h, size_t i)
{
    struct sched_node *node = h->nodes[i];

    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->n)
            break;
        if (child + 1 < h->n &&
            h->nodes[child + 1]->due_ms < h->nodes[child]->due_ms)
            child++;
        if (node->due_ms <= h->nodes[child]->due_ms)
            break;
        sched_set(h, i, h->nodes[child]);
        i = child;
    }
    sched_set(h, i, node);
}

int sched_reserve(struct sched_heap *h, size_t cap)
{
    struct sched_node **nodes;

    if (cap <= h->cap)
        return 0;
    if (cap > SIZE_MAX / sizeof *nodes)
        return -1;
    nodes = realloc(h->nodes, cap * sizeof *nodes);
    if (nodes == NULL)
        return -1;
    h->nodes = nodes;
    h->cap = cap;
    return 0;
}

int sched_push(struct sched_heap *h, struct sched_node *node)
{
    if (h->n == h->cap && sched_reserve(h, h->cap ? h->cap * 2 : 16))
        return -1;
    sched_set(h, h->n, node);
    h->n++;
    sched_up(h, h->n - 1);
    return 0;
}

struct sched_node *sched_peek(const struct sched_heap *h)
{
    return h->n > 0 ? h->nodes[0] : NULL;
}

struct sched_node *sched_pop(struct sched_heap *h)
{
    struct sched_node *top = sched_peek(h);

    if (top != NULL)
        sched_remove(h, top);
    return top;
}

void sched_remove(struct sched_heap *h, struct sched_node *node)
{
    size_t i = node->index;
    struct sched_node *last;

    if (i == SCHED_NOT_QUEUED || i >= h->n || h->nodes[i] != node)
        return;
    node->index = SCHED_NOT_QUEUED;
    last = h->nodes[--h->n];
    if (i == h->n)
        return;
    sched_set(h, i, last);
    if (i > 0 && h->nodes[(i - 1) / 2]->due_ms > last->due_ms)
        sched_up(h, i);
    else
        sched_down(h, i);
}

void sched_free(struct sched_heap *h)
{
    free(h->nodes);
    h->nodes = NULL;
    h->n = 0;
    h->cap = 0;
}

uint64_t sched_next_delay_ms(unsigned interval_s, unsigned backoff_steps,
                             uint32_t rnd)
{
    uint64_t base = (uint64_t)(interval_s > 0 ? interval_s : 1) * 1000u;
    uint64_t delay = base;

    if (backoff_steps == 0)
        return base;
    while (backoff_steps-- > 0 && delay < SCHED_BACKOFF_CAP_MS)
        delay *= 2;
    if (delay > SCHED_BACKOFF_CAP_MS)
        delay = SCHED_BACKOFF_CAP_MS;
    delay -= rnd % (delay / 5 + 1);
    return delay > base ? delay : base;
}

uint32_t sched_random(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}
