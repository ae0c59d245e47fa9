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
    unsigned long h[] = {MIB_COL_PROBES, 4294967295ul};
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
 * once, in strictly increasing OID order, column by column. */
static size_t walk(const struct snapshot *s)
{
    unsigned long cur[2] = {0, 0};
    size_t len = 0, n = 0;
    struct mib_cell cell;

    while (mib_table_lookup_next(s, cur, len, &cell) == MIB_FOUND) {
        unsigned long next[2] = {cell.column, snapshot_row(s, cell.row)->id};
        if (len == 2)
            ck_assert(next[0] > cur[0] ||
                      (next[0] == cur[0] && next[1] > cur[1]));
        ck_assert_uint_eq(cell.row, n % snapshot_size(s));
        memcpy(cur, next, sizeof(cur));
        len = 2;
        n++;
    }
    return n;
}

START_TEST(test_walk_large)
{
    const size_t nrows = 10000;
    uint32_t *ids = calloc(nrows, sizeof(*ids));
    const struct snapshot *s;

    ck_assert_ptr_nonnull(ids);
    /* Sparse ids: gaps must not produce phantom rows. */
    for (size_t i = 0; i < nrows; i++)
        ids[i] = (uint32_t)(i * 3 + 1);
    s = snap_new(ids, nrows);
    ck_assert_uint_eq(walk(s),
                      nrows * (size_t)(MIB_COL_LAST - MIB_COL_FIRST + 1));
    snap_free(s);
    free(ids);
}
END_TEST

START_TEST(test_cell_values)
{
    struct router_row row = test_row(ids4[0]);
    struct router_row *r = &row;
    struct mib_value v;

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

    /* Server info only counts while it is current. */
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_UPTIME, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 0);
    ck_assert_int_eq(mib_table_cell_value(r, MIB_COL_TOTAL_PORTS, 0, 0, &v), 0);
    ck_assert_uint_eq(v.num, 0);
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
