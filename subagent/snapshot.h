/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot.h - immutable, reference-counted views of the table's rows, and
 * the row store they are taken from.
 *
 * The store is written by its one owner (routers.c); snapshots are read by
 * the SNMP handlers and stay unchanged, whatever the store does next, until
 * released.  Single-threaded: no locks. */
#ifndef MPRMON_SNAPSHOT_H
#define MPRMON_SNAPSHOT_H

#include <stddef.h>

#include "row.h"

struct snapshot;

/* Rows sorted by id ascending; row i for 0 <= i < snapshot_size(s). */
size_t snapshot_size(const struct snapshot *s);
const struct router_row *snapshot_row(const struct snapshot *s, size_t i);

/* Drop a reference; the last one frees the snapshot.  NULL is safe. */
void snapshot_release(const struct snapshot *s);

/* A snapshot of copies of rows[0..n) (sorted by id), owned by no store:
 * for tests and tools.  NULL when out of memory. */
const struct snapshot *snapshot_new(const struct router_row *rows, size_t n);

struct row_store;

struct row_store *row_store_new(void);

/* Free the store.  Every snapshot taken from it must be released first. */
void row_store_free(struct row_store *st);

size_t row_store_size(const struct row_store *st);
const struct router_row *row_store_row(const struct row_store *st, size_t i);

/* Row i, to be changed now.  Snapshots already taken keep showing the old
 * value.  NULL when out of memory (nothing changed). */
struct router_row *row_store_write(struct row_store *st, size_t i);

/* Replace every row: fill(ctx, i, row) writes row i of n; it may read the
 * old rows with row_store_row meanwhile.  On failure (no memory, -1) the
 * store is as it was. */
int row_store_replace(struct row_store *st, size_t n,
                      void (*fill)(void *ctx, size_t i, struct router_row *row),
                      void *ctx);

/* The current rows as a snapshot, with a reference for the caller.  Cheap:
 * rows are shared with the store, not copied.  Never NULL: without memory
 * for a new one it is the last one taken. */
const struct snapshot *row_store_snapshot(struct row_store *st);

#endif
