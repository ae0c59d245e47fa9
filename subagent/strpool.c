/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strpool.c - immutable strings interned for the life of the process
 * (see strpool.h): an open-addressing hash set under one mutex. */
#include "strpool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t strpool_lock = PTHREAD_MUTEX_INITIALIZER;
static char **strpool_slots; /* NULL = empty; capacity a power of two */
static size_t strpool_cap;
static size_t strpool_n;

static size_t strpool_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

/* The slot holding s, or the empty slot where it belongs.  Needs cap > 0. */
static size_t strpool_probe(char **slots, size_t cap, const char *s)
{
    size_t i = strpool_hash(s) & (cap - 1);

    while (slots[i] != NULL && strcmp(slots[i], s) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

/* Called with the lock held.  Keeps the table at most half full so that
 * probe sequences stay short. */
static int strpool_grow(void)
{
    size_t cap = strpool_cap ? strpool_cap * 2 : 16;
    char **slots;

    if (cap > SIZE_MAX / 2 / sizeof *slots)
        return -1;
    slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < strpool_cap; i++)
        if (strpool_slots[i] != NULL)
            slots[strpool_probe(slots, cap, strpool_slots[i])] =
                strpool_slots[i];
    free(strpool_slots);
    strpool_slots = slots;
    strpool_cap = cap;
    return 0;
}

const char *strpool_intern(const char *s)
{
    const char *found = NULL;
    size_t i;

    if (s == NULL)
        return NULL;
    pthread_mutex_lock(&strpool_lock);
    if (strpool_cap > 0) {
        i = strpool_probe(strpool_slots, strpool_cap, s);
        if (strpool_slots[i] != NULL) {
            found = strpool_slots[i];
            goto out;
        }
    }
    if ((strpool_n + 1) * 2 > strpool_cap && strpool_grow() != 0)
        goto out;
    i = strpool_probe(strpool_slots, strpool_cap, s);
    strpool_slots[i] = strdup(s);
    if (strpool_slots[i] != NULL) {
        strpool_n++;
        found = strpool_slots[i];
    }
out:
    pthread_mutex_unlock(&strpool_lock);
    return found;
}

size_t strpool_count(void)
{
    size_t n;

    pthread_mutex_lock(&strpool_lock);
    n = strpool_n;
    pthread_mutex_unlock(&strpool_lock);
    return n;
}
