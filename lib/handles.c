/* SPDX-License-Identifier: GPL-3.0-or-later */
/* handles.c - slot table with generations for MPR_SERVER_HANDLE. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "handles_priv.h"

/* Handle layout: low SLOT_BITS bits = slot index + 1 (so no valid handle is
 * NULL), the bits above = the slot's generation at insert time. */
#define SLOT_BITS 24
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
#define MAX_SLOTS ((size_t)SLOT_MASK - 1)

struct slot {
    void *obj;           /* NULL when free */
    uint64_t generation; /* bumped whenever the slot is freed */
    unsigned users;      /* calls in progress */
    int closing;         /* handles_remove is waiting */
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t table_idle = PTHREAD_COND_INITIALIZER;
static struct slot *slots;
static size_t n_slots;
static size_t n_live;

static MPR_SERVER_HANDLE encode(size_t index, uint64_t generation)
{
    uint64_t v = (generation << SLOT_BITS) | (uint64_t)(index + 1);
    return (MPR_SERVER_HANDLE)(uintptr_t)v;
}

/* The slot for h if h names its current generation; caller holds the lock. */
static struct slot *lookup_locked(MPR_SERVER_HANDLE h)
{
    uint64_t v = (uint64_t)(uintptr_t)h;
    uint64_t index1 = v & SLOT_MASK;

    if (index1 == 0 || index1 > n_slots)
        return NULL;
    struct slot *s = &slots[index1 - 1];
    if (s->obj == NULL || s->generation != (v >> SLOT_BITS))
        return NULL;
    return s;
}

static DWORD grow_locked(void)
{
    size_t want = n_slots ? n_slots * 2 : 16;

    if (want > MAX_SLOTS)
        want = MAX_SLOTS;
    if (want <= n_slots)
        return ERROR_NOT_ENOUGH_MEMORY;
    struct slot *bigger = realloc(slots, want * sizeof(*bigger));
    if (!bigger)
        return ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = n_slots; i < want; i++)
        bigger[i] = (struct slot){.obj = NULL, .generation = 1};
    slots = bigger;
    n_slots = want;
    return NO_ERROR;
}

DWORD handles_insert(void *obj, MPR_SERVER_HANDLE *out)
{
    DWORD rc = NO_ERROR;

    pthread_mutex_lock(&table_lock);
    if (n_live == n_slots)
        rc = grow_locked();
    if (rc == NO_ERROR) {
        size_t i = 0;
        while (slots[i].obj != NULL)
            i++;
        slots[i].obj = obj;
        slots[i].users = 0;
        slots[i].closing = 0;
        n_live++;
        *out = encode(i, slots[i].generation);
    }
    pthread_mutex_unlock(&table_lock);
    return rc;
}

void *handles_acquire(MPR_SERVER_HANDLE h)
{
    void *obj = NULL;

    pthread_mutex_lock(&table_lock);
    struct slot *s = lookup_locked(h);
    if (s && !s->closing) {
        s->users++;
        obj = s->obj;
    }
    pthread_mutex_unlock(&table_lock);
    return obj;
}

void handles_release(MPR_SERVER_HANDLE h)
{
    pthread_mutex_lock(&table_lock);
    struct slot *s = lookup_locked(h);
    if (s && s->users > 0) {
        s->users--;
        if (s->users == 0 && s->closing)
            pthread_cond_broadcast(&table_idle);
    }
    pthread_mutex_unlock(&table_lock);
}

void *handles_remove(MPR_SERVER_HANDLE h)
{
    void *obj = NULL;

    pthread_mutex_lock(&table_lock);
    struct slot *s = lookup_locked(h);
    if (s && !s->closing) {
        s->closing = 1;
        /* The table may be reallocated while we wait: look the slot up again
         * by index after every wake-up. */
        uint64_t index = ((uint64_t)(uintptr_t)h & SLOT_MASK) - 1;
        while (slots[index].users > 0)
            pthread_cond_wait(&table_idle, &table_lock);
        s = &slots[index];
        obj = s->obj;
        s->obj = NULL;
        s->closing = 0;
        s->generation++;
        n_live--;
    }
    pthread_mutex_unlock(&table_lock);
    return obj;
}

unsigned handles_count(void)
{
    pthread_mutex_lock(&table_lock);
    unsigned n = (unsigned)n_live;
    pthread_mutex_unlock(&table_lock);
    return n;
}
