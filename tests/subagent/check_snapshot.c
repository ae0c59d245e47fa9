/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_snapshot.c - the row store and its snapshots: a snapshot keeps the
 * values it was taken with whatever the store does next (writes, replaces),
 * snapshots are reused while nothing changed, tables of several chunks keep
 * every row right, and releasing snapshots in any order frees everything
 * (run under valgrind to see no leak and no use after free). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subagent/snapshot.h"

/* Router id of row i in these tests: sorted, with gaps. */
static uint32_t id_of(size_t i)
{
    return (uint32_t)(10 * (i + 1));
}

static struct router_row make_row(uint32_t id, uint32_t probes)
{
    struct router_config c;
    struct router_row row;

    memset(&c, 0, sizeof c);
    c.id = id;
    snprintf(c.name, sizeof c.name, "gw%u", (unsigned)id);
    snprintf(c.address, sizeof c.address, "host-%u", (unsigned)id);
    row_init(&row, &c);
    row.probes = probes;
    return row;
}

static void check_row(const struct router_row *row, uint32_t id,
                      uint32_t probes)
{
    char name[ROUTER_NAME_MAX];

    ck_assert_ptr_nonnull(row);
    snprintf(name, sizeof name, "gw%u", (unsigned)id);
    ck_assert_uint_eq(row->id, id);
    ck_assert_str_eq(row->name, name);
    ck_assert_uint_eq(row->probes, probes);
}

/* row_store_replace's fill: n fresh rows id_of(i), no probes yet. */
static void fill_fresh(void *ctx, size_t i, struct router_row *row)
{
    (void)ctx;
    *row = make_row(id_of(i), 0);
}

static struct row_store *store_with(size_t n)
{
    struct row_store *st = row_store_new();

    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(row_store_replace(st, n, fill_fresh, NULL), 0);
    ck_assert_uint_eq(row_store_size(st), n);
    return st;
}

/* Set row i's probe count in the store. */
static void set_probes(struct row_store *st, size_t i, uint32_t probes)
{
    struct router_row *row = row_store_write(st, i);

    ck_assert_ptr_nonnull(row);
    row->probes = probes;
}

START_TEST(test_snapshot_new)
{
    struct router_row rows[3];
    const struct snapshot *s;

    for (size_t i = 0; i < 3; i++)
        rows[i] = make_row(id_of(i), (uint32_t)i + 5);
    s = snapshot_new(rows, 3);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(snapshot_size(s), 3);
    /* Copies: changing the input afterwards changes nothing. */
    rows[1].probes = 99;
    strcpy(rows[2].name, "changed");
    for (size_t i = 0; i < 3; i++)
        check_row(snapshot_row(s, i), id_of(i), (uint32_t)i + 5);
    ck_assert_ptr_ne(snapshot_row(s, 0), &rows[0]);
    ck_assert_str_eq(snapshot_row(s, 0)->address, "host-10");
    snapshot_release(s);
}
END_TEST

START_TEST(test_snapshot_new_sizes)
{
    const size_t n = 100; /* more than one chunk */
    struct router_row *rows = calloc(n, sizeof *rows);
    const struct snapshot *s;

    ck_assert_ptr_nonnull(rows);
    s = snapshot_new(NULL, 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(snapshot_size(s), 0);
    snapshot_release(s);

    for (size_t i = 0; i < n; i++)
        rows[i] = make_row(id_of(i), (uint32_t)(3 * i));
    s = snapshot_new(rows, 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(snapshot_size(s), 0);
    snapshot_release(s);

    s = snapshot_new(rows, 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(snapshot_size(s), 1);
    check_row(snapshot_row(s, 0), id_of(0), 0);
    snapshot_release(s);

    s = snapshot_new(rows, n);
    ck_assert_ptr_nonnull(s);
    memset(rows, 0, n * sizeof *rows);
    ck_assert_uint_eq(snapshot_size(s), n);
    for (size_t i = 0; i < n; i++)
        check_row(snapshot_row(s, i), id_of(i), (uint32_t)(3 * i));
    snapshot_release(s);
    snapshot_release(NULL);
    free(rows);
}
END_TEST

START_TEST(test_empty_store)
{
    struct row_store *st = row_store_new();
    const struct snapshot *s1, *s2;

    ck_assert_ptr_nonnull(st);
    ck_assert_uint_eq(row_store_size(st), 0);
    s1 = row_store_snapshot(st);
    ck_assert_ptr_nonnull(s1);
    ck_assert_uint_eq(snapshot_size(s1), 0);
    s2 = row_store_snapshot(st);
    ck_assert_ptr_eq(s1, s2);
    snapshot_release(s1);
    snapshot_release(s2);
    row_store_free(st);
    row_store_free(NULL);
}
END_TEST

START_TEST(test_snapshot_is_immutable)
{
    struct row_store *st = store_with(2);
    const struct snapshot *s1, *s2, *s3, *s4;
    struct router_row *row;

    s1 = row_store_snapshot(st);
    row = row_store_write(st, 0);
    ck_assert_ptr_nonnull(row);
    row->probes = 3;
    row->conn_state = MPR_CONN_CONNECTED;
    /* The store shows the write at once. */
    ck_assert_uint_eq(row_store_row(st, 0)->probes, 3);
    s2 = row_store_snapshot(st);
    ck_assert_ptr_ne(s1, s2);
    check_row(snapshot_row(s1, 0), 10, 0);
    ck_assert_int_eq(snapshot_row(s1, 0)->conn_state, MPR_CONN_DISCONNECTED);
    check_row(snapshot_row(s2, 0), 10, 3);
    ck_assert_int_eq(snapshot_row(s2, 0)->conn_state, MPR_CONN_CONNECTED);

    /* Nothing changed: the same snapshot is shared. */
    s3 = row_store_snapshot(st);
    ck_assert_ptr_eq(s2, s3);
    snapshot_release(s3);

    /* A write after s2 was taken: s2 keeps what it saw. */
    set_probes(st, 1, 1);
    set_probes(st, 0, 4);
    check_row(snapshot_row(s2, 0), 10, 3);
    check_row(snapshot_row(s2, 1), 20, 0);
    check_row(row_store_row(st, 1), 20, 1);

    /* A replace: both old snapshots keep their rows and their size. */
    ck_assert_int_eq(row_store_replace(st, 3, fill_fresh, NULL), 0);
    ck_assert_uint_eq(row_store_size(st), 3);
    s4 = row_store_snapshot(st);
    ck_assert_ptr_ne(s4, s2);
    ck_assert_uint_eq(snapshot_size(s4), 3);
    for (size_t i = 0; i < 3; i++)
        check_row(snapshot_row(s4, i), id_of(i), 0);
    ck_assert_uint_eq(snapshot_size(s1), 2);
    ck_assert_uint_eq(snapshot_size(s2), 2);
    check_row(snapshot_row(s1, 0), 10, 0);
    check_row(snapshot_row(s2, 0), 10, 3);
    check_row(snapshot_row(s2, 1), 20, 0);

    snapshot_release(s1);
    check_row(snapshot_row(s2, 0), 10, 3);
    snapshot_release(s2);
    snapshot_release(s4);
    snapshot_release(NULL);
    row_store_free(st);
}
END_TEST

START_TEST(test_snapshot_reused_until_changed)
{
    struct row_store *st = store_with(5);
    const struct snapshot *a, *b, *c, *d;

    a = row_store_snapshot(st);
    b = row_store_snapshot(st);
    ck_assert_ptr_eq(a, b);
    snapshot_release(b);

    set_probes(st, 2, 1);
    b = row_store_snapshot(st);
    ck_assert_ptr_ne(a, b);
    c = row_store_snapshot(st);
    ck_assert_ptr_eq(b, c);
    snapshot_release(c);

    /* A replace is a change even with the same rows. */
    ck_assert_int_eq(row_store_replace(st, 5, fill_fresh, NULL), 0);
    c = row_store_snapshot(st);
    ck_assert_ptr_ne(b, c);
    check_row(snapshot_row(b, 2), id_of(2), 1);
    check_row(snapshot_row(c, 2), id_of(2), 0);

    /* The store's own reference keeps a snapshot alive when every caller
     * has released it: the next call still returns it. */
    snapshot_release(c);
    d = row_store_snapshot(st);
    ck_assert_ptr_eq(c, d);
    check_row(snapshot_row(d, 4), id_of(4), 0);

    snapshot_release(a);
    snapshot_release(b);
    snapshot_release(d);
    row_store_free(st);
}
END_TEST

/* fill for a reload: keep the probes of rows whose id stays, as a reload
 * that keeps a router does; ctx is the list of new ids. */
struct reload_ctx {
    struct row_store *st;
    const uint32_t *ids;
};

static void fill_keep(void *p, size_t i, struct router_row *row)
{
    const struct reload_ctx *ctx = p;

    *row = make_row(ctx->ids[i], 0);
    for (size_t k = 0; k < row_store_size(ctx->st); k++)
        if (row_store_row(ctx->st, k)->id == ctx->ids[i])
            row->probes = row_store_row(ctx->st, k)->probes;
}

START_TEST(test_replace_reads_old_rows)
{
    struct row_store *st = store_with(3);
    const uint32_t ids[] = {10, 25, 30, 40};
    struct reload_ctx ctx = {.st = st, .ids = ids};
    const struct snapshot *before, *after;

    set_probes(st, 0, 7);
    set_probes(st, 1, 8);
    set_probes(st, 2, 9);
    before = row_store_snapshot(st);
    ck_assert_int_eq(row_store_replace(st, 4, fill_keep, &ctx), 0);
    after = row_store_snapshot(st);
    ck_assert_uint_eq(snapshot_size(after), 4);
    check_row(snapshot_row(after, 0), 10, 7);
    check_row(snapshot_row(after, 1), 25, 0);
    check_row(snapshot_row(after, 2), 30, 9);
    check_row(snapshot_row(after, 3), 40, 0);
    ck_assert_uint_eq(snapshot_size(before), 3);
    check_row(snapshot_row(before, 1), 20, 8);

    /* Down to nothing and back. */
    ck_assert_int_eq(row_store_replace(st, 0, fill_fresh, NULL), 0);
    snapshot_release(after);
    after = row_store_snapshot(st);
    ck_assert_uint_eq(snapshot_size(after), 0);
    ck_assert_int_eq(row_store_replace(st, 2, fill_fresh, NULL), 0);
    check_row(row_store_row(st, 1), 20, 0);
    check_row(snapshot_row(before, 2), 30, 9);
    snapshot_release(after);
    snapshot_release(before);
    row_store_free(st);
}
END_TEST

/* 100 rows: chunks 0..2 full, chunk 3 partial.  Writes in the middle chunk
 * and in the last leave every other row as it was, in every snapshot. */
START_TEST(test_many_rows_write_in_middle_chunk)
{
    const size_t n = 100;
    struct row_store *st = store_with(n);
    const struct snapshot *s1, *s2, *s3;

    s1 = row_store_snapshot(st);
    set_probes(st, 50, 1);
    s2 = row_store_snapshot(st);
    /* Two writes to one row and one to its neighbour, then the last row. */
    set_probes(st, 40, 1);
    set_probes(st, 40, 2);
    set_probes(st, 63, 5);
    set_probes(st, n - 1, 9);
    s3 = row_store_snapshot(st);

    ck_assert_uint_eq(snapshot_size(s1), n);
    ck_assert_uint_eq(snapshot_size(s2), n);
    ck_assert_uint_eq(snapshot_size(s3), n);
    for (size_t i = 0; i < n; i++) {
        uint32_t p2 = i == 50 ? 1 : 0;
        uint32_t p3 = p2;

        if (i == 40)
            p3 = 2;
        else if (i == 63)
            p3 = 5;
        else if (i == n - 1)
            p3 = 9;
        check_row(snapshot_row(s1, i), id_of(i), 0);
        check_row(snapshot_row(s2, i), id_of(i), p2);
        check_row(snapshot_row(s3, i), id_of(i), p3);
        check_row(row_store_row(st, i), id_of(i), p3);
    }
    snapshot_release(s2);
    snapshot_release(s1);
    check_row(snapshot_row(s3, 50), id_of(50), 1);
    check_row(snapshot_row(s3, 40), id_of(40), 2);
    snapshot_release(s3);
    row_store_free(st);
}
END_TEST

/* Many snapshots held while the store is written and replaced: each keeps
 * exactly what the rows were when it was taken.  A model (the expected
 * probe counts of every snapshot) is checked after every step; snapshots
 * are then released in the order `order` gives, the store still being
 * written meanwhile.  Valgrind sees any chunk freed too early or never. */
#define HELD 120
#define ROWS 100

enum release_order { RELEASE_FIFO, RELEASE_LIFO, RELEASE_SHUFFLED };

struct model {
    const struct snapshot *s[HELD];
    size_t n_rows[HELD];
    uint32_t probes[HELD][ROWS];
    size_t taken;
};

static void model_check(const struct model *m, size_t k)
{
    ck_assert_ptr_nonnull(m->s[k]);
    ck_assert_uint_eq(snapshot_size(m->s[k]), m->n_rows[k]);
    for (size_t i = 0; i < m->n_rows[k]; i++)
        check_row(snapshot_row(m->s[k], i), id_of(i), m->probes[k][i]);
}

static void model_check_all(const struct model *m)
{
    for (size_t k = 0; k < m->taken; k++)
        if (m->s[k] != NULL)
            model_check(m, k);
}

static void many_snapshots(enum release_order order)
{
    struct model *m = calloc(1, sizeof *m);
    struct row_store *st = store_with(ROWS);
    uint32_t cur[ROWS] = {0};
    size_t n_rows = ROWS, perm[HELD];
    uint32_t rng = 12345;

    ck_assert_ptr_nonnull(m);
    for (size_t k = 0; k < HELD; k++) {
        /* One to three writes between snapshots, all over the table. */
        for (size_t w = 0; w <= k % 3; w++) {
            size_t i = (k * 37 + w * 11) % n_rows;
            cur[i]++;
            set_probes(st, i, cur[i]);
        }
        if (k % 7 == 0) {
            /* Some snapshots are taken twice: the same one comes back. */
            const struct snapshot *a = row_store_snapshot(st);
            const struct snapshot *b = row_store_snapshot(st);
            ck_assert_ptr_eq(a, b);
            snapshot_release(b);
            m->s[k] = a;
        } else {
            m->s[k] = row_store_snapshot(st);
        }
        m->n_rows[k] = n_rows;
        memcpy(m->probes[k], cur, sizeof cur);
        m->taken = k + 1;
        if (k == HELD / 3 || k == 2 * HELD / 3) {
            /* Reloads: first fewer rows than a chunk boundary, then all. */
            n_rows = k == HELD / 3 ? ROWS - 40 : ROWS;
            ck_assert_int_eq(row_store_replace(st, n_rows, fill_fresh, NULL),
                             0);
            memset(cur, 0, sizeof cur);
        }
        if (k % 10 == 0)
            model_check_all(m);
    }
    model_check_all(m);
    for (size_t i = 0; i < n_rows; i++)
        check_row(row_store_row(st, i), id_of(i), cur[i]);

    for (size_t k = 0; k < HELD; k++)
        perm[k] = order == RELEASE_LIFO ? HELD - 1 - k : k;
    if (order == RELEASE_SHUFFLED) {
        for (size_t k = HELD - 1; k > 0; k--) {
            size_t j, t;
            rng = rng * 1103515245u + 12345u;
            j = (rng >> 8) % (k + 1);
            t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
    }
    for (size_t k = 0; k < HELD; k++) {
        snapshot_release(m->s[perm[k]]);
        m->s[perm[k]] = NULL;
        /* The store goes on meanwhile. */
        cur[k % n_rows]++;
        set_probes(st, k % n_rows, cur[k % n_rows]);
        if (k % 4 == 0)
            snapshot_release(row_store_snapshot(st));
        if (k % 10 == 0)
            model_check_all(m);
    }
    for (size_t i = 0; i < n_rows; i++)
        check_row(row_store_row(st, i), id_of(i), cur[i]);
    row_store_free(st);
    free(m);
}

START_TEST(test_many_snapshots_released_fifo)
{
    many_snapshots(RELEASE_FIFO);
}
END_TEST

START_TEST(test_many_snapshots_released_lifo)
{
    many_snapshots(RELEASE_LIFO);
}
END_TEST

START_TEST(test_many_snapshots_released_shuffled)
{
    many_snapshots(RELEASE_SHUFFLED);
}
END_TEST

static Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");

    tcase_add_test(tc, test_snapshot_new);
    tcase_add_test(tc, test_snapshot_new_sizes);
    tcase_add_test(tc, test_empty_store);
    tcase_add_test(tc, test_snapshot_is_immutable);
    tcase_add_test(tc, test_snapshot_reused_until_changed);
    tcase_add_test(tc, test_replace_reads_old_rows);
    tcase_add_test(tc, test_many_rows_write_in_middle_chunk);
    tcase_add_test(tc, test_many_snapshots_released_fifo);
    tcase_add_test(tc, test_many_snapshots_released_lifo);
    tcase_add_test(tc, test_many_snapshots_released_shuffled);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(snapshot_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
