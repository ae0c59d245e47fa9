/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snapshot.c - the row store and its immutable snapshots.
 *
 * Rows live in chunks of CHUNK_ROWS, shared by the store and by every
 * snapshot that saw them unchanged: taking a snapshot copies one pointer per
 * chunk, never the rows, and writing a row copies its chunk only when a
 * snapshot may still show it (copy on write).  With 10,000 rows and probes
 * finishing all the time, a full copy per SNMP request made a table walk
 * some 30 times slower.
 *
 * Lifetimes without a count per chunk (counting would touch every chunk at
 * each snapshot, a cache miss each): snapshots are numbered (seq) as they
 * are built; a chunk records the last seq before it was made (born) and,
 * once replaced, the last seq it could be part of (retired).  A chunk born
 * before the newest snapshot may be in it, so a write copies it first; a
 * replaced chunk waits on the retired list until every live snapshot is
 * newer than its `retired`, then it is freed.  Snapshots are reference
 * counted and listed oldest first; the store holds one reference on the
 * current one.  A snapshot made by snapshot_new has no store and owns its
 * chunks.
 */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_ROWS 32
#define CHUNKS(n_rows) (((n_rows) + CHUNK_ROWS - 1) / CHUNK_ROWS)

struct row_chunk {
    uint64_t born;
    uint64_t retired;
    struct row_chunk *next_retired;
    struct router_row rows[CHUNK_ROWS];
};

struct snapshot {
    size_t refs;
    uint64_t seq;
    struct row_store *store;          /* NULL: owns its chunks */
    struct snapshot *older, *newer;   /* the store's live snapshots */
    size_t n_rows;
    struct row_chunk *chunks[];       /* CHUNKS(n_rows) */
};

struct row_store {
    struct row_chunk **chunks;        /* row i in chunks[i / CHUNK_ROWS] */
    size_t n_rows;
    uint64_t seq;                     /* snapshots built so far */
    struct snapshot *oldest, *newest; /* live snapshots */
    struct row_chunk *retired, *retired_last; /* by `retired`, oldest first */
    struct snapshot *current;
    bool dirty;                       /* rows changed since `current` */
};

void row_copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src != NULL ? strnlen(src, size - 1) : 0;

    memcpy(dst, src != NULL ? src : "", n);
    dst[n] = '\0';
}

void row_init(struct router_row *row, const struct router_config *cfg)
{
    memset(row, 0, sizeof *row);
    row->id = cfg->id;
    row_copy_str(row->name, sizeof row->name, cfg->name);
    row_copy_str(row->address, sizeof row->address, cfg->address);
    row->conn_state = MPR_CONN_DISCONNECTED;
    row->service_state = MPR_SVC_UNKNOWN;
    row->configured_ms = mono_now_ms();
    row->interval_s = cfg->interval_s;
}

size_t snapshot_size(const struct snapshot *s)
{
    return s->n_rows;
}

const struct router_row *snapshot_row(const struct snapshot *s, size_t i)
{
    return &s->chunks[i / CHUNK_ROWS]->rows[i % CHUNK_ROWS];
}

static void chunks_free(struct row_chunk **chunks, size_t n_rows)
{
    if (chunks == NULL)
        return;
    for (size_t k = 0; k < CHUNKS(n_rows); k++)
        free(chunks[k]);
}

static struct row_chunk **chunks_new(size_t n_rows, uint64_t born)
{
    struct row_chunk **chunks = calloc(CHUNKS(n_rows) + 1, sizeof *chunks);

    if (chunks == NULL)
        return NULL;
    for (size_t k = 0; k < CHUNKS(n_rows); k++) {
        chunks[k] = calloc(1, sizeof *chunks[k]);
        if (chunks[k] == NULL) {
            chunks_free(chunks, n_rows);
            free(chunks);
            return NULL;
        }
        chunks[k]->born = born;
    }
    return chunks;
}

static struct snapshot *snapshot_alloc(size_t n_rows)
{
    struct snapshot *s =
        malloc(sizeof *s + CHUNKS(n_rows) * sizeof(struct row_chunk *));

    if (s == NULL)
        return NULL;
    memset(s, 0, sizeof *s);
    s->refs = 1;
    s->n_rows = n_rows;
    return s;
}

const struct snapshot *snapshot_new(const struct router_row *rows, size_t n)
{
    struct snapshot *s = snapshot_alloc(n);
    struct row_chunk **chunks = chunks_new(n, 0);

    if (s == NULL || chunks == NULL) {
        free(s);
        chunks_free(chunks, n);
        free(chunks);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        chunks[i / CHUNK_ROWS]->rows[i % CHUNK_ROWS] = rows[i];
    memcpy(s->chunks, chunks, CHUNKS(n) * sizeof *chunks);
    free(chunks);
    return s;
}

/* Free the retired chunks that no live snapshot can show any more. */
static void store_reclaim(struct row_store *st)
{
    uint64_t oldest = st->oldest != NULL ? st->oldest->seq : UINT64_MAX;

    while (st->retired != NULL && st->retired->retired < oldest) {
        struct row_chunk *c = st->retired;
        st->retired = c->next_retired;
        free(c);
    }
    if (st->retired == NULL)
        st->retired_last = NULL;
}

/* The store no longer uses chunk c.  Snapshots seq born+1 .. st->seq may
 * show it: it waits for them; if there are none it goes now. */
static void store_retire(struct row_store *st, struct row_chunk *c)
{
    if (c->born >= st->seq) {
        free(c);
        return;
    }
    c->retired = st->seq;
    c->next_retired = NULL;
    if (st->retired_last != NULL)
        st->retired_last->next_retired = c;
    else
        st->retired = c;
    st->retired_last = c;
}

static void store_unlink(struct row_store *st, struct snapshot *s)
{
    if (s->older != NULL)
        s->older->newer = s->newer;
    else
        st->oldest = s->newer;
    if (s->newer != NULL)
        s->newer->older = s->older;
    else
        st->newest = s->older;
}

void snapshot_release(const struct snapshot *cs)
{
    struct snapshot *s = (struct snapshot *)(uintptr_t)cs;

    if (s == NULL || --s->refs > 0)
        return;
    if (s->store != NULL) {
        store_unlink(s->store, s);
        store_reclaim(s->store);
    } else {
        chunks_free(s->chunks, s->n_rows);
    }
    free(s);
}

/* Costs one pointer per chunk: the rows are shared, not copied. */
static struct snapshot *store_build(struct row_store *st)
{
    struct snapshot *s = snapshot_alloc(st->n_rows);

    if (s == NULL)
        return NULL;
    s->store = st;
    s->seq = ++st->seq;
    s->older = st->newest;
    if (st->newest != NULL)
        st->newest->newer = s;
    else
        st->oldest = s;
    st->newest = s;
    if (st->n_rows > 0)
        memcpy(s->chunks, st->chunks,
               CHUNKS(st->n_rows) * sizeof(struct row_chunk *));
    return s;
}

struct row_store *row_store_new(void)
{
    struct row_store *st = calloc(1, sizeof *st);

    if (st == NULL)
        return NULL;
    st->chunks = chunks_new(0, 0);
    st->current = st->chunks != NULL ? store_build(st) : NULL;
    if (st->current == NULL) {
        free(st->chunks);
        free(st);
        return NULL;
    }
    return st;
}

void row_store_free(struct row_store *st)
{
    if (st == NULL)
        return;
    snapshot_release(st->current);
    chunks_free(st->chunks, st->n_rows);
    free(st->chunks);
    /* Snapshots still held would dangle: there must be none. */
    st->oldest = NULL;
    store_reclaim(st);
    free(st);
}

size_t row_store_size(const struct row_store *st)
{
    return st->n_rows;
}

const struct router_row *row_store_row(const struct row_store *st, size_t i)
{
    return &st->chunks[i / CHUNK_ROWS]->rows[i % CHUNK_ROWS];
}

struct router_row *row_store_write(struct row_store *st, size_t i)
{
    struct row_chunk **slot = &st->chunks[i / CHUNK_ROWS];

    if ((*slot)->born < st->seq) {
        struct row_chunk *copy = malloc(sizeof *copy);
        if (copy == NULL)
            return NULL;
        memcpy(copy->rows, (*slot)->rows, sizeof copy->rows);
        copy->born = st->seq;
        copy->retired = 0;
        copy->next_retired = NULL;
        store_retire(st, *slot);
        *slot = copy;
    }
    st->dirty = true;
    return &(*slot)->rows[i % CHUNK_ROWS];
}

int row_store_replace(struct row_store *st, size_t n,
                      void (*fill)(void *ctx, size_t i, struct router_row *row),
                      void *ctx)
{
    struct row_chunk **chunks = chunks_new(n, st->seq);

    if (chunks == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        fill(ctx, i, &chunks[i / CHUNK_ROWS]->rows[i % CHUNK_ROWS]);
    for (size_t k = 0; k < CHUNKS(st->n_rows); k++)
        store_retire(st, st->chunks[k]);
    free(st->chunks);
    st->chunks = chunks;
    st->n_rows = n;
    st->dirty = true;
    return 0;
}

const struct snapshot *row_store_snapshot(struct row_store *st)
{
    if (st->dirty) {
        struct snapshot *s = store_build(st);
        /* Out of memory: keep serving the previous one, retry next time. */
        if (s != NULL) {
            snapshot_release(st->current);
            st->current = s;
            st->dirty = false;
        }
    }
    st->current->refs++;
    return st->current;
}
