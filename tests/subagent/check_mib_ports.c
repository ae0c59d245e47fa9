/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_mib_ports.c - mprPortTypeTable lookups and values, and the
 * varbinds of mprRouterPortsExhausted, without snmpd. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mib_ports.h"
#include "notify.h"

static void set_type(struct router_row *r, unsigned type, uint32_t ports,
                     uint32_t in_use, uint32_t connected)
{
    r->ports_valid = true;
    r->ports.of[type - 1].ports = ports;
    r->ports.of[type - 1].in_use = in_use;
    r->ports.of[type - 1].connected = connected;
}

/* Routers 3 (SSTP and L2TP), 7 (does not collect ports), 100 (collects,
 * none at all), 200 (IKEv2 and other). */
static const struct snapshot *snap(void)
{
    struct router_row rows[4];
    const struct snapshot *s;

    memset(rows, 0, sizeof rows);
    rows[0].id = 3;
    set_type(&rows[0], PORT_TYPE_SSTP, 4, 2, 1);
    set_type(&rows[0], PORT_TYPE_L2TP, 1, 0, 0);
    rows[1].id = 7;
    rows[2].id = 100;
    rows[2].ports_valid = true;
    rows[3].id = 200;
    set_type(&rows[3], PORT_TYPE_IKEV2, 128, 128, 120);
    set_type(&rows[3], PORT_TYPE_OTHER, 2, 0, 0);
    s = snapshot_new(rows, 4);
    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(test_exact)
{
    const struct snapshot *s = snap();
    struct mib_port_cell cell;
    struct mib_value v;
    unsigned long sstp[] = {MIB_PTCOL_IN_USE, 3, PORT_TYPE_SSTP};
    unsigned long missing[][3] = {{MIB_PTCOL_PORTS, 3, PORT_TYPE_PPTP},
                                  {MIB_PTCOL_PORTS, 7, PORT_TYPE_SSTP},
                                  {MIB_PTCOL_PORTS, 100, PORT_TYPE_SSTP},
                                  {MIB_PTCOL_PORTS, 3, 0},
                                  {MIB_PTCOL_PORTS, 3, 7},
                                  {MIB_PTCOL_PORTS, 3, 0xFFFFFFFFul},
                                  {MIB_PTCOL_PORTS, 0, PORT_TYPE_SSTP}};
    unsigned long no_column[] = {6, 3, PORT_TYPE_SSTP};
    unsigned long index_column[] = {MIB_PTCOL_TYPE, 3, PORT_TYPE_SSTP};

    ck_assert_int_eq(mib_ports_lookup_exact(s, sstp, 3, &cell), MIB_FOUND);
    ck_assert_int_eq(mib_ports_cell_value(snapshot_row(s, cell.row), cell.type,
                                          cell.column, &v),
                     0);
    ck_assert_uint_eq(v.type, ASN_GAUGE);
    ck_assert_uint_eq(v.num, 2);
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        ck_assert_int_eq(mib_ports_lookup_exact(s, missing[i], 3, &cell),
                         MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_ports_lookup_exact(s, sstp, 2, &cell),
                     MIB_NO_SUCH_INSTANCE);
    ck_assert_int_eq(mib_ports_lookup_exact(s, no_column, 3, &cell),
                     MIB_NO_SUCH_OBJECT);
    ck_assert_int_eq(mib_ports_lookup_exact(s, index_column, 3, &cell),
                     MIB_NO_SUCH_OBJECT);
    snapshot_release(s);
}
END_TEST

/* Walk the whole table with GETNEXT from nothing. */
START_TEST(test_walk)
{
    static const unsigned want[][2] = {{3, PORT_TYPE_L2TP},
                                       {3, PORT_TYPE_SSTP},
                                       {200, PORT_TYPE_IKEV2},
                                       {200, PORT_TYPE_OTHER}};
    const struct snapshot *s = snap();
    struct mib_port_cell cell;
    unsigned long suffix[3];
    size_t len = 0, n = 0;

    while (mib_ports_lookup_next(s, suffix, len, &cell) == MIB_FOUND) {
        const size_t k = n % 4;

        ck_assert_uint_lt(n, 16);
        ck_assert_uint_eq(cell.column, MIB_PTCOL_FIRST + n / 4);
        ck_assert_uint_eq(snapshot_row(s, cell.row)->id, want[k][0]);
        ck_assert_uint_eq(cell.type, want[k][1]);
        suffix[0] = cell.column;
        suffix[1] = snapshot_row(s, cell.row)->id;
        suffix[2] = cell.type;
        len = 3;
        n++;
    }
    ck_assert_uint_eq(n, 16);
    snapshot_release(s);
}
END_TEST

START_TEST(test_next_from_odd_places)
{
    const struct snapshot *s = snap();
    struct mib_port_cell cell;
    unsigned long between[] = {MIB_PTCOL_NAME, 50};
    unsigned long below[] = {MIB_PTCOL_NAME, 3, PORT_TYPE_L2TP, 9};
    unsigned long past_types[] = {MIB_PTCOL_NAME, 3, 0xFFFFFFFFul};
    unsigned long past_routers[] = {MIB_PTCOL_CONNECTED, 0xFFFFFFFFul};
    unsigned long past_columns[] = {MIB_PTCOL_CONNECTED + 1};

    ck_assert_int_eq(mib_ports_lookup_next(s, between, 2, &cell), MIB_FOUND);
    ck_assert_uint_eq(snapshot_row(s, cell.row)->id, 200);
    ck_assert_uint_eq(cell.type, PORT_TYPE_IKEV2);
    ck_assert_int_eq(mib_ports_lookup_next(s, below, 4, &cell), MIB_FOUND);
    ck_assert_uint_eq(cell.type, PORT_TYPE_SSTP);
    ck_assert_int_eq(mib_ports_lookup_next(s, past_types, 3, &cell), MIB_FOUND);
    ck_assert_uint_eq(snapshot_row(s, cell.row)->id, 200);
    ck_assert_int_eq(mib_ports_lookup_next(s, past_routers, 2, &cell), MIB_END);
    ck_assert_int_eq(mib_ports_lookup_next(s, past_columns, 1, &cell), MIB_END);
    snapshot_release(s);
}
END_TEST

START_TEST(test_exhausted_varbinds)
{
    static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
    static const oid exhausted[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 4173, 0, 6};
    static const oid ports_entry[] = {1,    3,    6,    1, 4, 1,
                                      8072, 9999, 4173, 1, 4, 1};
    static const unsigned columns[] = {MIB_PTCOL_NAME, MIB_PTCOL_PORTS,
                                       MIB_PTCOL_IN_USE};
    const size_t base = OID_LENGTH(ports_entry);
    struct router_event ev;
    netsnmp_variable_list *vb;
    void *out = NULL;

    memset(&ev, 0, sizeof ev);
    ev.kind = ROUTER_EVENT_PORTS_EXHAUSTED;
    ev.row.id = 200;
    snprintf(ev.row.name, sizeof ev.row.name, "vpn-gw");
    set_type(&ev.row, PORT_TYPE_IKEV2, 128, 128, 120);
    ev.port_type = PORT_TYPE_IKEV2;
    ck_assert_int_eq(notify_build_varbinds(&ev, &out), 0);
    vb = out;
    ck_assert(snmp_oid_compare(vb->name, vb->name_length, trap_oid,
                               OID_LENGTH(trap_oid)) == 0);
    ck_assert(snmp_oid_compare(vb->val.objid, vb->val_len / sizeof(oid),
                               exhausted, OID_LENGTH(exhausted)) == 0);
    vb = vb->next_variable; /* mprRouterName.200 */
    ck_assert_uint_eq(vb->val_len, 6);
    ck_assert(memcmp(vb->val.string, "vpn-gw", 6) == 0);
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        vb = vb->next_variable;
        ck_assert_ptr_nonnull(vb);
        ck_assert_uint_eq(vb->name_length, base + 3);
        ck_assert(snmp_oid_compare(vb->name, base, ports_entry, base) == 0);
        ck_assert_uint_eq(vb->name[base], columns[i]);
        ck_assert_uint_eq(vb->name[base + 1], 200);
        ck_assert_uint_eq(vb->name[base + 2], PORT_TYPE_IKEV2);
    }
    ck_assert_ptr_null(vb->next_variable);
    snmp_free_varbind(out);
    /* A type the row has no ports of gives no notification. */
    out = NULL;
    ev.port_type = PORT_TYPE_PPTP;
    ck_assert_int_eq(notify_build_varbinds(&ev, &out), -1);
    ck_assert_ptr_null(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mib_ports");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_exact);
    tcase_add_test(tc, test_walk);
    tcase_add_test(tc, test_next_from_odd_places);
    tcase_add_test(tc, test_exhausted_varbinds);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
