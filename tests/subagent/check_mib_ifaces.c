/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_mib_ifaces.c - mprInterfaceTable without snmpd: GET and GETNEXT
 * lookups over a snapshot (walk order, two-arc index, malformed
 * instances), every column's value, and the interface notifications'
 * varbinds. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ifaces.h"
#include "mib_ifaces.h"
#include "notify.h"

static MPR_INTERFACE_0 iface(const char *name, DWORD state)
{
    MPR_INTERFACE_0 f;

    memset(&f, 0, sizeof(f));
    for (size_t i = 0; name[i]; i++)
        f.wszInterfaceName[i] = (unsigned char)name[i];
    f.fEnabled = TRUE;
    f.dwIfType = ROUTER_IF_TYPE_FULL_ROUTER;
    f.dwConnectionState = state;
    f.fUnReachabilityReasons = state == 0 ? 6 : 0;
    f.dwLastError = state == 0 ? 678 : 0;
    return f;
}

/* Router 3 with two interfaces, router 8 with one. */
static struct iface_snapshot *three_rows(struct iface_set *a,
                                         struct iface_set *b)
{
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 la[2] = {iface("Branch-Paris", 3), iface("Branch-Lyon", 0)};
    MPR_INTERFACE_0 lb[1] = {iface("Internal", 3)};
    const struct iface_set *sets[2] = {a, b};

    memset(a, 0, sizeof(*a));
    memset(b, 0, sizeof(*b));
    ck_assert_int_ge(iface_set_update(a, 3, la, 2, 100, 1, ch, 4, &n), 0);
    ck_assert_int_ge(iface_set_update(b, 8, lb, 1, 100, 1, ch, 4, &n), 0);
    return iface_snapshot_build(sets, 2);
}

START_TEST(walk_visits_every_cell_in_oid_order)
{
    struct iface_set a, b;
    struct iface_snapshot *s = three_rows(&a, &b);
    unsigned long suffix[3] = {0, 0, 0};
    size_t len = 0, cells = 0;
    struct mib_iface_cell cell;

    /* Column by column, rows by (router, index); LastChange (11) has no
     * value before a change: 9 columns x 3 rows. */
    while (mib_ifaces_lookup_next(s, suffix, len, &cell) == MIB_FOUND) {
        const struct iface_row *row = iface_snapshot_row(s, cell.row);
        unsigned long next[3] = {cell.column, row->router_id, row->index};
        if (len == 3)
            ck_assert(snmp_oid_compare((oid *)suffix, 3, (oid *)next, 3) < 0);
        memcpy(suffix, next, sizeof(next));
        len = 3;
        cells++;
        ck_assert_uint_ne(cell.column, MIB_IFCOL_LAST_CHANGE);
    }
    ck_assert_uint_eq(cells, 9 * 3);
    iface_snapshot_release(s);
    iface_set_clear(&a);
    iface_set_clear(&b);
}
END_TEST

START_TEST(get_needs_the_whole_index)
{
    struct iface_set a, b;
    struct iface_snapshot *s = three_rows(&a, &b);
    const struct iface_row *row = iface_snapshot_row(s, 2);
    unsigned long ok[3] = {MIB_IFCOL_NAME, row->router_id, row->index};
    unsigned long short_[2] = {MIB_IFCOL_NAME, row->router_id};
    unsigned long other[3] = {MIB_IFCOL_NAME, row->router_id, row->index + 1};
    unsigned long col[3] = {12, row->router_id, row->index};
    unsigned long huge[3] = {MIB_IFCOL_NAME, 1ul << 33, row->index};
    unsigned long last[3] = {MIB_IFCOL_LAST_CHANGE, row->router_id,
                             row->index};
    struct mib_iface_cell cell;

    ck_assert_int_eq(mib_ifaces_lookup_exact(s, ok, 3, &cell), MIB_FOUND);
    ck_assert_uint_eq(cell.row, 2);
    ck_assert_int_eq(mib_ifaces_lookup_exact(s, short_, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_ifaces_lookup_exact(s, other, 3, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_ifaces_lookup_exact(s, col, 3, &cell),
                     MIB_NO_SUCH_OBJECT);
    ck_assert_int_eq(mib_ifaces_lookup_exact(s, huge, 3, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_ifaces_lookup_exact(s, last, 3, &cell),
                     MIB_NO_SUCH_INSTANCE);
    /* GETNEXT from a router between the two goes to router 8. */
    {
        unsigned long mid[2] = {MIB_IFCOL_NAME, 5};
        ck_assert_int_eq(mib_ifaces_lookup_next(s, mid, 2, &cell), MIB_FOUND);
        ck_assert_uint_eq(iface_snapshot_row(s, cell.row)->router_id, 8);
        unsigned long past[3] = {MIB_IFCOL_LAST_ERROR_TEXT, 8, 0xFFFFFFFFul};
        ck_assert_int_eq(mib_ifaces_lookup_next(s, past, 3, &cell), MIB_END);
    }
    iface_snapshot_release(s);
    iface_set_clear(&a);
    iface_set_clear(&b);
}
END_TEST

START_TEST(every_column_value)
{
    struct iface_set a, b;
    struct iface_snapshot *s = three_rows(&a, &b);
    const struct iface_row *lyon = NULL;
    struct mib_value v;
    char scratch[256];

    for (size_t i = 0; i < iface_snapshot_size(s); i++)
        if (strcmp(iface_snapshot_row(s, i)->name, "Branch-Lyon") == 0)
            lyon = iface_snapshot_row(s, i);
    ck_assert_ptr_nonnull(lyon);
#define VALUE(col) \
    ck_assert_int_eq(mib_ifaces_cell_value(lyon, col, 0, 0, scratch, \
                                           sizeof(scratch), &v), 0)
    VALUE(MIB_IFCOL_NAME);
    ck_assert_uint_eq(v.str_len, 11);
    VALUE(MIB_IFCOL_TYPE);
    ck_assert_uint_eq(v.num, 3); /* fullRouter */
    VALUE(MIB_IFCOL_ENABLED);
    ck_assert_uint_eq(v.num, 1);
    VALUE(MIB_IFCOL_CONN_STATE);
    ck_assert_uint_eq(v.num, 4);
    VALUE(MIB_IFCOL_UNREACHABILITY);
    ck_assert_uint_eq(v.num, 6);
    VALUE(MIB_IFCOL_UNREACHABILITY_TEXT);
    ck_assert_str_eq(v.str, "admin-disabled,connection-failure");
    VALUE(MIB_IFCOL_LAST_ERROR);
    ck_assert_uint_eq(v.num, 678);
    VALUE(MIB_IFCOL_LAST_ERROR_NAME);
    ck_assert_str_eq(v.str, "ERROR_NO_ANSWER");
    ck_assert_int_eq(mib_ifaces_cell_value(lyon, MIB_IFCOL_LAST_CHANGE, 0, 0,
                                           scratch, sizeof(scratch), &v),
                     MIB_CELL_ABSENT);
    ck_assert_int_eq(mib_ifaces_cell_value(lyon, MIB_IFCOL_INDEX, 0, 0,
                                           scratch, sizeof(scratch), &v),
                     -1);
    /* A type from a later Windows, and a state not read. */
    {
        struct iface_row odd = *lyon;
        odd.type = 42;
        odd.state_known = false;
        ck_assert_int_eq(mib_ifaces_cell_value(&odd, MIB_IFCOL_TYPE, 0, 0,
                                               scratch, sizeof(scratch), &v),
                         0);
        ck_assert_uint_eq(v.num, MIB_IF_TYPE_OTHER);
        ck_assert_int_eq(mib_ifaces_cell_value(&odd, MIB_IFCOL_CONN_STATE, 0,
                                               0, scratch, sizeof(scratch),
                                               &v),
                         0);
        ck_assert_uint_eq(v.num, MIB_IF_STATE_UNKNOWN);
    }
    iface_snapshot_release(s);
    iface_set_clear(&a);
    iface_set_clear(&b);
}
END_TEST

START_TEST(interface_notification_varbinds)
{
    static const oid ifentry[] = {MPRMON_MIB_OID, 1, 3, 1};
    struct router_event ev;
    netsnmp_variable_list *vb;
    void *out = NULL;
    unsigned want[] = {MIB_IFCOL_NAME, MIB_IFCOL_TYPE, MIB_IFCOL_CONN_STATE,
                       MIB_IFCOL_UNREACHABILITY, MIB_IFCOL_LAST_ERROR,
                       MIB_IFCOL_LAST_ERROR_TEXT};

    memset(&ev, 0, sizeof(ev));
    ev.kind = ROUTER_EVENT_INTERFACE_DOWN;
    ev.row.id = 3;
    strcpy(ev.row.name, "edge-3");
    ev.iface.index = 790948431u;
    strcpy(ev.iface.name, "Branch-Paris");
    ev.iface.state = ROUTER_IF_STATE_UNREACHABLE;
    ev.iface.reasons = 4;
    ev.iface.last_error = 629;
    ck_assert_int_eq(notify_build_varbinds(&ev, &out), 0);
    vb = out;
    ck_assert_uint_eq(vb->val.objid[vb->val_len / sizeof(oid) - 1], 4);
    vb = vb->next_variable; /* mprRouterName.3 */
    ck_assert_uint_eq(vb->name[vb->name_length - 1], 3);
    ck_assert(memcmp(vb->val.string, "edge-3", 6) == 0);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        vb = vb->next_variable;
        ck_assert_ptr_nonnull(vb);
        ck_assert_uint_eq(vb->name_length, OID_LENGTH(ifentry) + 3);
        ck_assert(snmp_oid_ncompare(vb->name, vb->name_length, ifentry,
                                    OID_LENGTH(ifentry),
                                    OID_LENGTH(ifentry)) == 0);
        ck_assert_uint_eq(vb->name[OID_LENGTH(ifentry)], want[i]);
        ck_assert_uint_eq(vb->name[OID_LENGTH(ifentry) + 1], 3);
        ck_assert_uint_eq(vb->name[OID_LENGTH(ifentry) + 2], 790948431u);
    }
    ck_assert_ptr_null(vb->next_variable);
    snmp_free_varbind(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mib_ifaces");
    TCase *tc = tcase_create("mib_ifaces");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, walk_visits_every_cell_in_oid_order);
    tcase_add_test(tc, get_needs_the_whole_index);
    tcase_add_test(tc, every_column_value);
    tcase_add_test(tc, interface_notification_varbinds);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
