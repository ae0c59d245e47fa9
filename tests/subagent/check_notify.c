/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_notify.c - the notification rate limit and varbind lists, without
 * snmpd (the integration tests see the traps arrive through it). */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <check.h>
#include <string.h>

#include "mib_table.h"
#include "notify.h"
#include "mprapi.h"

START_TEST(test_bucket_burst_and_refill)
{
    struct notify_bucket b;
    uint64_t t = 1000000;

    notify_bucket_init(&b, 2, t);
    ck_assert(notify_bucket_take(&b, t));
    ck_assert(notify_bucket_take(&b, t));
    ck_assert(!notify_bucket_take(&b, t));
    /* 2 per minute: one token every 30 s. */
    ck_assert(!notify_bucket_take(&b, t + 29999));
    ck_assert(notify_bucket_take(&b, t + 30000));
    ck_assert(!notify_bucket_take(&b, t + 30000));
    /* A long quiet time fills the bucket only up to its size. */
    t += 3600 * 1000;
    ck_assert(notify_bucket_take(&b, t));
    ck_assert(notify_bucket_take(&b, t));
    ck_assert(!notify_bucket_take(&b, t));
}
END_TEST

START_TEST(test_bucket_many_small_steps)
{
    struct notify_bucket b;
    uint64_t t = 5000;
    unsigned got = 0;

    /* Refill in 7 ms steps must not lose the fractions: 2/min for 91 s
     * after the burst is 3 more. */
    notify_bucket_init(&b, 2, t);
    while (notify_bucket_take(&b, t))
        got++;
    ck_assert_uint_eq(got, 2);
    got = 0;
    for (uint64_t end = t + 91000; t <= end; t += 7)
        if (notify_bucket_take(&b, t))
            got++;
    ck_assert_uint_eq(got, 3);
}
END_TEST

START_TEST(test_bucket_zero_sends_none)
{
    struct notify_bucket b;

    notify_bucket_init(&b, 0, 1);
    ck_assert(!notify_bucket_take(&b, 1));
    ck_assert(!notify_bucket_take(&b, 1000000));
}
END_TEST

START_TEST(test_bucket_set_rate)
{
    struct notify_bucket b;

    notify_bucket_init(&b, 10, 0);
    notify_bucket_set_rate(&b, 1, 0);
    ck_assert(notify_bucket_take(&b, 0));
    ck_assert(!notify_bucket_take(&b, 0));
    notify_bucket_set_rate(&b, 0, 0);
    ck_assert(!notify_bucket_take(&b, 120000));
}
END_TEST

static void check_column(const netsnmp_variable_list *vb, unsigned column,
                         uint32_t id, u_char type)
{
    static const oid entry[] = {MPRMON_MIB_OID, 1, 2, 1};
    const size_t n = OID_LENGTH(entry);

    ck_assert_ptr_nonnull(vb);
    ck_assert_uint_eq(vb->name_length, n + 2);
    ck_assert(snmp_oid_compare(vb->name, n, entry, n) == 0);
    ck_assert_uint_eq(vb->name[n], column);
    ck_assert_uint_eq(vb->name[n + 1], id);
    ck_assert_int_eq(vb->type, type);
}

START_TEST(test_varbinds)
{
    static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
    static const oid down[] = {MPRMON_MIB_OID, 0, 1};
    static const struct {
        enum router_event_kind kind;
        unsigned last;
    } kinds[] = {{ROUTER_EVENT_SERVICE_DOWN, 1},
                 {ROUTER_EVENT_SERVICE_UP, 2},
                 {ROUTER_EVENT_CONNECT_FAILED, 3}};

    for (size_t k = 0; k < 3; k++) {
        struct router_event ev;
        void *out = NULL;
        netsnmp_variable_list *vb;

        memset(&ev, 0, sizeof(ev));
        ev.kind = kinds[k].kind;
        ev.row.id = 4000000000u;
        strcpy(ev.row.name, "edge-1");
        ev.row.conn_state = MPR_CONN_CONNECTED;
        ev.row.service_state = MPR_SVC_STOPPED;
        ev.row.last_error = RPC_S_UNKNOWN_IF;
        ev.row.last_probe_ms = 1000; /* events follow a finished probe */

        ck_assert_int_eq(notify_build_varbinds(&ev, &out), 0);
        vb = out;
        ck_assert_ptr_nonnull(vb);
        ck_assert(snmp_oid_compare(vb->name, vb->name_length, trap_oid,
                                   OID_LENGTH(trap_oid)) == 0);
        ck_assert_int_eq(vb->type, ASN_OBJECT_ID);
        ck_assert_uint_eq(vb->val_len, sizeof(down));
        ck_assert(snmp_oid_compare(vb->val.objid, OID_LENGTH(down) - 1, down,
                                   OID_LENGTH(down) - 1) == 0);
        ck_assert_uint_eq(vb->val.objid[OID_LENGTH(down) - 1], kinds[k].last);

        vb = vb->next_variable;
        check_column(vb, MIB_COL_NAME, ev.row.id, ASN_OCTET_STR);
        ck_assert_uint_eq(vb->val_len, 6);
        ck_assert(memcmp(vb->val.string, "edge-1", 6) == 0);
        vb = vb->next_variable;
        check_column(vb, MIB_COL_CONN_STATE, ev.row.id, ASN_INTEGER);
        ck_assert_int_eq(*vb->val.integer, MPR_CONN_CONNECTED);
        vb = vb->next_variable;
        check_column(vb, MIB_COL_SERVICE_STATE, ev.row.id, ASN_INTEGER);
        ck_assert_int_eq(*vb->val.integer, MPR_SVC_STOPPED);
        vb = vb->next_variable;
        check_column(vb, MIB_COL_LAST_ERROR, ev.row.id, ASN_UNSIGNED);
        ck_assert_uint_eq((unsigned long)*vb->val.integer, 1717);
        vb = vb->next_variable;
        check_column(vb, MIB_COL_LAST_ERROR_TEXT, ev.row.id, ASN_OCTET_STR);
        ck_assert_uint_eq(vb->val_len, strlen(MprmonErrorText(1717)));
        vb = vb->next_variable;
        check_column(vb, MIB_COL_SERVICE_STATE_TEXT, ev.row.id, ASN_OCTET_STR);
        ck_assert_uint_eq(vb->val_len, strlen("RemoteAccess is stopped"));
        ck_assert(memcmp(vb->val.string, "RemoteAccess is stopped",
                         vb->val_len) == 0);
        ck_assert_ptr_null(vb->next_variable);
        snmp_free_varbind(out);
    }
}
END_TEST

START_TEST(test_varbinds_bad_kind)
{
    struct router_event ev;
    void *out = NULL;

    memset(&ev, 0, sizeof(ev));
    ev.kind = (enum router_event_kind)99;
    ev.row.id = 1;
    ck_assert_int_eq(notify_build_varbinds(&ev, &out), -1);
    ck_assert_ptr_null(out);
}
END_TEST

static Suite *notify_suite(void)
{
    Suite *su = suite_create("notify");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_bucket_burst_and_refill);
    tcase_add_test(tc, test_bucket_many_small_steps);
    tcase_add_test(tc, test_bucket_zero_sends_none);
    tcase_add_test(tc, test_bucket_set_rate);
    tcase_add_test(tc, test_varbinds);
    tcase_add_test(tc, test_varbinds_bad_kind);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(notify_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
