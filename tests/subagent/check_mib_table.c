/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_mib_table.c - mprRouterTable lookups and cell values, without
 * snmpd: the pure functions behind the GET/GETNEXT handler. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mib_table.h"
#include "mprapi.h"

/* A row as a fresh router with this id has it. */
static struct router_row test_row(uint32_t id)
{
    struct router_row r;

    memset(&r, 0, sizeof(r));
    r.id = id;
    snprintf(r.name, sizeof(r.name), "router-%u", (unsigned)id);
    snprintf(r.address, sizeof(r.address), "10.0.0.%u", (unsigned)(id % 250));
    r.conn_state = MPR_CONN_DISCONNECTED;
    r.service_state = MPR_SVC_UNKNOWN;
    return r;
}

static struct router_row *test_rows(const uint32_t *ids, size_t n)
{
    struct router_row *rows = calloc(n + 1, sizeof(*rows));

    ck_assert_ptr_nonnull(rows);
    for (size_t i = 0; i < n; i++)
        rows[i] = test_row(ids[i]);
    return rows;
}

/* A snapshot of fresh rows with these ids, through the constructor. */
static const struct snapshot *snap_new(const uint32_t *ids, size_t n)
{
    struct router_row *rows = test_rows(ids, n);
    const struct snapshot *s = snapshot_new(rows, n);

    ck_assert_ptr_nonnull(s);
    free(rows);
    return s;
}

static void snap_free(const struct snapshot *s)
{
    snapshot_release(s);
}

static const uint32_t ids4[] = {3, 7, 100, 4294967295u};

START_TEST(test_find_row)
{
    const struct snapshot *s = snap_new(ids4, 4);
    size_t pos = 99;

    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(mib_table_find_row(s, ids4[i], &pos), 0);
        ck_assert_uint_eq(pos, i);
    }
    ck_assert_int_eq(mib_table_find_row(s, 1, &pos), -1);
    ck_assert_int_eq(mib_table_find_row(s, 8, &pos), -1);
    ck_assert_int_eq(mib_table_find_row(s, 4294967294u, &pos), -1);
    snap_free(s);
}
END_TEST

START_TEST(test_lookup_exact)
{
    const struct snapshot *s = snap_new(ids4, 4);
    struct mib_cell cell = {0, 0};
    unsigned long ok[] = {MIB_COL_NAME, 7};
    unsigned long last[] = {MIB_COL_PROBES, 4294967295ul};
    unsigned long idx_col[] = {MIB_COL_INDEX, 7};
    unsigned long beyond[] = {MIB_COL_LAST + 1, 7};
    unsigned long missing[] = {MIB_COL_NAME, 8};
    unsigned long zero[] = {MIB_COL_NAME, 0};
    unsigned long too_long[] = {MIB_COL_NAME, 7, 0};
    unsigned long huge[] = {MIB_COL_NAME, 4294967296ul + 7};

    ck_assert_int_eq(mib_table_lookup_exact(s, ok, 2, &cell), MIB_FOUND);
    ck_assert_uint_eq(cell.column, MIB_COL_NAME);
    ck_assert_uint_eq(cell.row, 1);
    ck_assert_int_eq(mib_table_lookup_exact(s, last, 2, &cell), MIB_FOUND);
    ck_assert_uint_eq(cell.column, MIB_COL_PROBES);
    ck_assert_uint_eq(cell.row, 3);
    ck_assert_int_eq(mib_table_lookup_exact(s, idx_col, 2, &cell),
                     MIB_NO_SUCH_OBJECT);
    ck_assert_int_eq(mib_table_lookup_exact(s, beyond, 2, &cell),
                     MIB_NO_SUCH_OBJECT);
    ck_assert_int_eq(mib_table_lookup_exact(s, ok, 0, &cell),
                     MIB_NO_SUCH_OBJECT);
    ck_assert_int_eq(mib_table_lookup_exact(s, ok, 1, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_table_lookup_exact(s, missing, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_table_lookup_exact(s, zero, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_table_lookup_exact(s, too_long, 3, &cell),
                     MIB_NO_SUCH_INSTANCE);
    /* Net-SNMP sub-ids are 64-bit here: 2^32+7 must not alias row 7. */
    ck_assert_int_eq(mib_table_lookup_exact(s, huge, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    snap_free(s);
}
END_TEST

static void expect_next(const struct snapshot *s, const unsigned long *suf,
                        size_t len, unsigned col, uint32_t id)
{
    struct mib_cell cell = {0, 0};

    ck_assert_int_eq(mib_table_lookup_next(s, suf, len, &cell), MIB_FOUND);
    ck_assert_uint_eq(cell.column, col);
    ck_assert_uint_eq(snapshot_row(s, cell.row)->id, id);
}

static void expect_end(const struct snapshot *s, const unsigned long *suf,
                       size_t len)
{
    struct mib_cell cell = {0, 0};

    ck_assert_int_eq(mib_table_lookup_next(s, suf, len, &cell), MIB_END);
}

START_TEST(test_lookup_next_edges)
{
    const struct snapshot *s = snap_new(ids4, 4);
    unsigned long a[] = {0};
    unsigned long b[] = {MIB_COL_INDEX, 999};
    unsigned long c[] = {MIB_COL_NAME};
    unsigned long d[] = {MIB_COL_NAME, 4294967295ul};
    unsigned long e[] = {MIB_COL_CONN_STATE, 7, 9};
    unsigned long f[] = {MIB_COL_CONN_STATE, 4};
    unsigned long g[] = {MIB_COL_NAME, 4294967296ul + 5};
    unsigned long h[] = {MIB_COL_LAST, 4294967295ul};
    unsigned long k[] = {MIB_COL_PROBES, 4294967295ul};
    unsigned long i[] = {MIB_COL_LAST + 1};
    unsigned long j[] = {MIB_COL_PROBES, 100, 0, 1};

    expect_next(s, NULL, 0, MIB_COL_NAME, 3);
    expect_next(s, a, 1, MIB_COL_NAME, 3);
    expect_next(s, b, 2, MIB_COL_NAME, 3);
    expect_next(s, c, 1, MIB_COL_NAME, 3);
    expect_next(s, d, 2, MIB_COL_ADDRESS, 3);
    expect_next(s, e, 3, MIB_COL_CONN_STATE, 100);
    expect_next(s, f, 2, MIB_COL_CONN_STATE, 7);
    expect_next(s, g, 2, MIB_COL_ADDRESS, 3);
    expect_next(s, j, 4, MIB_COL_PROBES, 4294967295u);
    expect_next(s, k, 2, MIB_COL_SERVICE_STATE_TEXT, 3);
    expect_end(s, h, 2);
    expect_end(s, i, 1);
    snap_free(s);

    s = snap_new(NULL, 0);
    expect_end(s, NULL, 0);
    expect_end(s, c, 1);
    snap_free(s);
}
END_TEST

/* Walk the whole table with GETNEXT the way a manager does: every cell
 * with a value once, in strictly increasing OID order, column by column. */
static size_t walk(const struct snapshot *s)
{
    unsigned long cur[2] = {0, 0};
    size_t len = 0, n = 0;
    struct mib_cell cell;

    while (mib_table_lookup_next(s, cur, len, &cell) == MIB_FOUND) {
        const struct router_row *row = snapshot_row(s, cell.row);
        unsigned long next[2] = {cell.column, row->id};
        if (len == 2)
            ck_assert(next[0] > cur[0] ||
                      (next[0] == cur[0] && next[1] > cur[1]));
        ck_assert(!mib_table_cell_absent(row, cell.column));
        memcpy(cur, next, sizeof(cur));
        len = 2;
        n++;
    }
    return n;
}

/* Rows of three kinds, by id % 3: never probed; probed, never answered
 * (unreachable); answered with level-0 information. */
static void make_kinds(struct router_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct router_row *r = &rows[i];
        if (r->id % 3 == 0)
            continue;
        r->last_probe_ms = r->last_change_ms = 1000;
        r->conn_state = MPR_CONN_FAILED;
        r->last_error = RPC_S_SERVER_UNAVAILABLE;
        if (r->id % 3 == 2) {
            r->last_answer_ms = 1000;
            r->conn_state = MPR_CONN_CONNECTED;
            r->service_state = MPR_SVC_RUNNING;
            r->last_error = 0;
            r->info_valid = true;
        }
    }
}

START_TEST(test_walk_large)
{
    const size_t nrows = 10000;
    uint32_t *ids = calloc(nrows, sizeof(*ids));
    const struct snapshot *s;

    struct router_row *rows;
    size_t kinds[3] = {0, 0, 0};

    ck_assert_ptr_nonnull(ids);
    /* Sparse ids: gaps must not produce phantom rows. */
    for (size_t i = 0; i < nrows; i++)
        ids[i] = (uint32_t)(i * 7 + 1);
    s = snap_new(ids, nrows);
    /* Never probed: name, address, the two states, attempts, failures,
     * probes, the state text and staleness. */
    ck_assert_uint_eq(walk(s), nrows * 9);
    snap_free(s);

    rows = test_rows(ids, nrows);
    make_kinds(rows, nrows);
    for (size_t i = 0; i < nrows; i++)
        kinds[rows[i].id % 3]++;
    s = snapshot_new(rows, nrows);
    ck_assert_ptr_nonnull(s);
    /* Probed: also the error (3 columns), its times (4) and the latency;
     * answered with information: every one of the 21 columns. */
    ck_assert_uint_eq(walk(s), kinds[0] * 9 + kinds[1] * 17 + kinds[2] * 21);
    snap_free(s);
    free(rows);
    free(ids);
}
END_TEST

START_TEST(test_cell_values)
{
    struct router_row row = test_row(ids4[0]);
    struct router_row *r = &row;
    struct mib_value v;

    /* Never probed: nothing of a probe has a value yet. */
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_LAST_ERROR, 0, 0, &v),
                     MIB_CELL_ABSENT);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PROBE_LATENCY, 0, 0, &v),
                     MIB_CELL_ABSENT);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PROBES, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 0); /* a counter from 0 is a value */

    r->last_probe_ms = 500;
    r->conn_state = MPR_CONN_FAILED;
    r->service_state = MPR_SVC_ACCESS_DENIED;
    r->last_error = RPC_S_SERVER_UNAVAILABLE;
    r->probe_latency_ms = 42;
    r->connect_attempts = 5;
    r->connect_failures = 4;
    r->probes = 9;
    r->info_valid = false;
    r->uptime_s = 1234;
    r->total_ports = 8;
    r->ports_in_use = 2;

    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_NAME, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_OCTET_STR);
    ck_assert_uint_eq(v.str_len, strlen("router-3"));
    ck_assert(memcmp(v.str, "router-3", v.str_len) == 0);

    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_CONN_STATE, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_INTEGER);
    ck_assert_uint_eq(v.num, 4);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_SERVICE_STATE, 0, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 4);

    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_LAST_ERROR, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_UNSIGNED);
    ck_assert_uint_eq(v.num, 1722);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_LAST_ERROR_NAME, 0, 0, &v),
                     0);
    ck_assert_uint_eq(v.str_len, strlen("RPC_S_SERVER_UNAVAILABLE"));
    ck_assert(memcmp(v.str, "RPC_S_SERVER_UNAVAILABLE", v.str_len) == 0);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_LAST_ERROR_TEXT, 0, 0, &v),
                     0);
    ck_assert_str_eq(v.str, MprmonErrorText(1722));

    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PROBE_LATENCY, 0, 0, &v),
                     0);
    ck_assert_int_eq(v.type, ASN_GAUGE);
    ck_assert_uint_eq(v.num, 42);
    ck_assert_int_eq(
        mib_table_cell_value(r, MIB_COL_CONNECT_ATTEMPTS, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_COUNTER);
    ck_assert_uint_eq(v.num, 5);
    ck_assert_int_eq(
        mib_table_cell_value(r, MIB_COL_CONNECT_FAILURES, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 4);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PROBES, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_COUNTER);
    ck_assert_uint_eq(v.num, 9);

    /* Server info only has a value while it is current: not 0. */
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_UPTIME, 0, 0, &v),
                     MIB_CELL_ABSENT);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_TOTAL_PORTS, 0, 0, &v),
                     MIB_CELL_ABSENT);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PORTS_IN_USE, 0, 0, &v),
                     MIB_CELL_ABSENT);
    r->info_valid = true;
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_UPTIME, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 1234);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_TOTAL_PORTS, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 8);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_PORTS_IN_USE, 0, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 2);

    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_INDEX, 0, 0, &v), -1);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_LAST + 1, 0, 0, &v), -1);
}
END_TEST

START_TEST(test_unterminated_name)
{
    struct router_row row = test_row(ids4[0]);
    struct mib_value v;

    memset(row.name, 'x', sizeof(row.name));
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_NAME, 0, 0, &v), 0);
    ck_assert_uint_eq(v.str_len, sizeof(row.name));
}
END_TEST

START_TEST(test_timestamps)
{
    struct router_row row = test_row(ids4[0]);
    struct mib_value v;

    /* never happened */
    ck_assert_uint_eq(mib_table_timestamp(0, 50000, 3000), 0);
    /* 2.5 s ago, agent up 30 s: 27.5 s of uptime */
    ck_assert_uint_eq(mib_table_timestamp(47500, 50000, 3000), 2750);
    /* just now */
    ck_assert_uint_eq(mib_table_timestamp(50000, 50000, 3000), 3000);
    /* before the agent started: clamp to 0 */
    ck_assert_uint_eq(mib_table_timestamp(1000, 50000, 3000), 0);

    row.last_change_ms = 47500;
    row.last_probe_ms = 49990;
    ck_assert_int_eq(
        mib_table_cell_value(&row, MIB_COL_LAST_CHANGE, 50000, 3000, &v), 0);
    ck_assert_int_eq(v.type, ASN_TIMETICKS);
    ck_assert_uint_eq(v.num, 2750);
    ck_assert_int_eq(
        mib_table_cell_value(&row, MIB_COL_LAST_PROBE, 50000, 3000, &v), 0);
    ck_assert_uint_eq(v.num, 2999);
}
END_TEST

/* GET of a cell without a value: noSuchInstance, like a missing row. */
START_TEST(test_absent_cells_get)
{
    struct router_row *rows = test_rows(ids4, 4);
    const struct snapshot *s;
    struct mib_cell cell;
    unsigned long in_use[] = {MIB_COL_PORTS_IN_USE, 7};
    unsigned long error[] = {MIB_COL_LAST_ERROR, 7};
    unsigned long stale[] = {MIB_COL_STALE, 7};

    rows[1].last_probe_ms = 10;
    s = snapshot_new(rows, 4);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(mib_table_lookup_exact(s, in_use, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_table_lookup_exact(s, error, 2, &cell), MIB_FOUND);
    ck_assert_int_eq(mib_table_lookup_exact(s, stale, 2, &cell), MIB_FOUND);
    /* GETNEXT from row 3's error: row 7's error, then (rows 100 and
     * 4294967295 never probed) on to the next column. */
    error[1] = 3;
    expect_next(s, error, 2, MIB_COL_LAST_ERROR, 7);
    error[1] = 7;
    expect_next(s, error, 2, MIB_COL_LAST_ERROR_NAME, 7);
    snap_free(s);
    free(rows);
}
END_TEST

START_TEST(test_service_text)
{
    struct router_row row = test_row(1);
    struct mib_value v;

    ck_assert_str_eq(mib_table_service_text(&row),
                     "RemoteAccess state unknown: not probed yet");
    row.last_probe_ms = 1;
    row.conn_state = MPR_CONN_FAILED;
    ck_assert_str_eq(mib_table_service_text(&row),
                     "RemoteAccess state unknown: the router could not be "
                     "reached");
    row.conn_state = MPR_CONN_CONNECTED;
    ck_assert_str_eq(mib_table_service_text(&row), "RemoteAccess state unknown");
    row.service_state = MPR_SVC_STOPPED;
    ck_assert_int_eq(
        mib_table_cell_value(&row, MIB_COL_SERVICE_STATE_TEXT, 0, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_OCTET_STR);
    ck_assert_uint_eq(v.str_len, strlen("RemoteAccess is stopped"));
    ck_assert(memcmp(v.str, "RemoteAccess is stopped", v.str_len) == 0);
    row.service_state = MPR_SVC_RUNNING;
    ck_assert_str_eq(mib_table_service_text(&row), "RemoteAccess is running");
    row.service_state = MPR_SVC_NOT_INSTALLED;
    ck_assert_str_eq(mib_table_service_text(&row),
                     "RemoteAccess is not installed");
    row.service_state = MPR_SVC_ACCESS_DENIED;
    ck_assert_ptr_nonnull(strstr(mib_table_service_text(&row), "denied"));
}
END_TEST

START_TEST(test_ages_and_stale)
{
    struct router_row row = test_row(1);
    struct mib_value v;

    row.interval_s = 30;
    row.configured_ms = 1000;
    /* Never answered: stale once three intervals have passed since it
     * was configured, not before. */
    ck_assert(!mib_table_row_stale(&row, 1000 + 90000));
    ck_assert(mib_table_row_stale(&row, 1000 + 90001));
    ck_assert_int_eq(
        mib_table_cell_value(&row, MIB_COL_STALE, 1000 + 90001, 0, &v), 0);
    ck_assert_int_eq(v.type, ASN_INTEGER);
    ck_assert_uint_eq(v.num, 1); /* true */
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_SECONDS_SINCE_ANSWER,
                                          5000, 0, &v),
                     MIB_CELL_ABSENT);

    row.last_probe_ms = 200000;
    row.last_change_ms = 150000;
    row.last_answer_ms = 100000;
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_SECONDS_SINCE_PROBE,
                                          260500, 0, &v),
                     0);
    ck_assert_int_eq(v.type, ASN_GAUGE);
    ck_assert_uint_eq(v.num, 60);
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_SECONDS_SINCE_CHANGE,
                                          260500, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 110);
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_SECONDS_SINCE_ANSWER,
                                          260500, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 160);
    /* Answered 160 s ago, interval 30 s: stale; at 60 s it is not. */
    ck_assert(mib_table_row_stale(&row, 260500));
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_STALE, 160000, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 2); /* false */
    /* A clock that went backwards gives ages of 0, not huge ones. */
    ck_assert_int_eq(mib_table_cell_value(&row, MIB_COL_SECONDS_SINCE_PROBE,
                                          100, 0, &v),
                     0);
    ck_assert_uint_eq(v.num, 0);
}
END_TEST

START_TEST(test_count_running)
{
    const struct snapshot *s = snap_new(ids4, 4);
    struct router_row *rows = test_rows(ids4, 4);

    ck_assert_uint_eq(mib_table_count_running(s), 0);
    snap_free(s);
    rows[0].service_state = MPR_SVC_RUNNING;
    rows[3].service_state = MPR_SVC_RUNNING;
    rows[2].service_state = MPR_SVC_STOPPED;
    s = snapshot_new(rows, 4);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(mib_table_count_running(s), 2);
    snap_free(s);
    free(rows);
}
END_TEST

static Suite *mib_table_suite(void)
{
    Suite *su = suite_create("mib_table");
    TCase *tc = tcase_create("lookup");

    tcase_add_test(tc, test_find_row);
    tcase_add_test(tc, test_lookup_exact);
    tcase_add_test(tc, test_lookup_next_edges);
    tcase_add_test(tc, test_walk_large);
    tcase_add_test(tc, test_cell_values);
    tcase_add_test(tc, test_unterminated_name);
    tcase_add_test(tc, test_timestamps);
    tcase_add_test(tc, test_absent_cells_get);
    tcase_add_test(tc, test_service_text);
    tcase_add_test(tc, test_ages_and_stale);
    tcase_add_test(tc, test_count_running);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(mib_table_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
