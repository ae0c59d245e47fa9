/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_ifaces.c - the routers' interface sets: indexes from names,
 * collisions, last changes, hysteresis of the interface notifications,
 * unknown state after a failed read, and the snapshot across routers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subagent/ifaces.h"

/* An MPR_INTERFACE_0 with an ASCII name. */
static MPR_INTERFACE_0 iface(const char *name, DWORD handle, DWORD state)
{
    MPR_INTERFACE_0 f;
    size_t i;

    memset(&f, 0, sizeof(f));
    for (i = 0; name[i] && i < MAX_INTERFACE_NAME_LEN; i++)
        f.wszInterfaceName[i] = (unsigned char)name[i];
    f.hInterface = (HANDLE)(uintptr_t)handle;
    f.fEnabled = TRUE;
    f.dwIfType = ROUTER_IF_TYPE_FULL_ROUTER;
    f.dwConnectionState = state;
    if (state == ROUTER_IF_STATE_UNREACHABLE) {
        f.fUnReachabilityReasons = MPR_INTERFACE_CONNECTION_FAILURE;
        f.dwLastError = 678;
    }
    return f;
}

static const struct iface_row *row_named(const struct iface_set *s,
                                         const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->entries[i].row.name, name) == 0)
            return &s->entries[i].row;
    return NULL;
}

START_TEST(index_is_fnv1a_of_the_folded_name)
{
    /* FNV-1a 32 of "branch-paris", computed independently in Python:
     * h = 2166136261; for b in name: h = ((h ^ b) * 16777619) % 2**32 */
    ck_assert_uint_eq(iface_index_of("branch-paris"), 790948431u);
    ck_assert_uint_eq(iface_index_of("Branch-Paris"), 790948431u);
    ck_assert_uint_eq(iface_index_of("BRANCH-PARIS"), 790948431u);
    ck_assert_uint_eq(iface_index_of(""), 2166136261u);
    ck_assert_uint_ne(iface_index_of("Branch-Lyon"),
                      iface_index_of("Branch-Paris"));
}
END_TEST

START_TEST(indexes_survive_new_handles_and_order)
{
    struct iface_set s = {0};
    struct iface_change ch[8];
    size_t n;
    MPR_INTERFACE_0 a[2] = {iface("Branch-Paris", 17, 3),
                            iface("Internal", 1, 3)};
    MPR_INTERFACE_0 b[2] = {iface("Internal", 101, 3),
                            iface("Branch-Paris", 117, 3)};
    uint32_t paris;

    ck_assert_int_eq(iface_set_update(&s, 7, a, 2, 1000, 1, ch, 8, &n), 1);
    paris = row_named(&s, "Branch-Paris")->index;
    ck_assert_uint_eq(paris, iface_index_of("Branch-Paris"));
    ck_assert_uint_eq(row_named(&s, "Branch-Paris")->router_id, 7);
    /* Seen at the first read: no change yet. */
    ck_assert_uint_eq(row_named(&s, "Branch-Paris")->last_change_ms, 0);
    ck_assert_int_eq(iface_set_update(&s, 7, b, 2, 2000, 1, ch, 8, &n), 0);
    ck_assert_uint_eq(row_named(&s, "Branch-Paris")->index, paris);
    ck_assert(s.entries[0].row.index < s.entries[1].row.index);
    iface_set_clear(&s);
}
END_TEST

/* Two names that collide (FNV-1a: "costarring"/"liquid" is a known
 * colliding pair) take distinct indexes, the same whatever the order. */
START_TEST(colliding_names_get_distinct_stable_indexes)
{
    struct iface_set s = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 a[2] = {iface("costarring", 1, 3), iface("liquid", 2, 3)};
    MPR_INTERFACE_0 b[2] = {iface("liquid", 2, 3), iface("costarring", 1, 3)};
    uint32_t x, y;

    ck_assert_uint_eq(iface_index_of("costarring"), iface_index_of("liquid"));
    ck_assert_int_ge(iface_set_update(&s, 1, a, 2, 1, 1, ch, 4, &n), 0);
    x = row_named(&s, "costarring")->index;
    y = row_named(&s, "liquid")->index;
    ck_assert_uint_ne(x, y);
    ck_assert_int_ge(iface_set_update(&s, 1, b, 2, 2, 1, ch, 4, &n), 0);
    ck_assert_uint_eq(row_named(&s, "costarring")->index, x);
    ck_assert_uint_eq(row_named(&s, "liquid")->index, y);
    iface_set_clear(&s);
}
END_TEST

START_TEST(down_and_up_after_hysteresis)
{
    struct iface_set s = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 up = iface("Branch-Paris", 17, ROUTER_IF_STATE_CONNECTED);
    MPR_INTERFACE_0 idle = iface("Branch-Paris", 17,
                                 ROUTER_IF_STATE_DISCONNECTED);
    MPR_INTERFACE_0 down = iface("Branch-Paris", 17,
                                 ROUTER_IF_STATE_UNREACHABLE);

    /* Up at start: no news. */
    iface_set_update(&s, 1, &up, 1, 10, 2, ch, 4, &n);
    iface_set_update(&s, 1, &up, 1, 20, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 0);
    /* Idle (disconnected) is not down. */
    iface_set_update(&s, 1, &idle, 1, 30, 2, ch, 4, &n);
    iface_set_update(&s, 1, &idle, 1, 40, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(s.entries[0].row.last_change_ms, 30);
    /* One unreachable probe is not enough with hysteresis 2... */
    iface_set_update(&s, 1, &down, 1, 50, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 0);
    /* ...and a good one in between starts over. */
    iface_set_update(&s, 1, &up, 1, 60, 2, ch, 4, &n);
    iface_set_update(&s, 1, &down, 1, 70, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 0);
    iface_set_update(&s, 1, &down, 1, 80, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert(ch[0].down);
    ck_assert_str_eq(ch[0].row.name, "Branch-Paris");
    ck_assert_uint_eq(ch[0].row.last_error, 678);
    ck_assert_uint_eq(s.entries[0].row.last_change_ms, 70);
    iface_set_update(&s, 1, &down, 1, 90, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 0);
    iface_set_update(&s, 1, &up, 1, 100, 2, ch, 4, &n);
    iface_set_update(&s, 1, &up, 1, 110, 2, ch, 4, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert(!ch[0].down);
    iface_set_clear(&s);
}
END_TEST

START_TEST(unreachable_at_start_is_news)
{
    struct iface_set s = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 down = iface("Branch-Lyon", 18, 0);

    iface_set_update(&s, 1, &down, 1, 10, 1, ch, 4, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert(ch[0].down);
    iface_set_clear(&s);
}
END_TEST

START_TEST(failed_read_keeps_rows_state_unknown)
{
    struct iface_set s = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 up = iface("Branch-Paris", 17, 3);

    iface_set_update(&s, 1, &up, 1, 10, 1, ch, 4, &n);
    ck_assert(iface_set_mark_unknown(&s));
    ck_assert(!iface_set_mark_unknown(&s));
    ck_assert_uint_eq(s.n, 1);
    ck_assert(!s.entries[0].row.state_known);
    /* Known again: a change, dated. */
    ck_assert_int_eq(iface_set_update(&s, 1, &up, 1, 30, 1, ch, 4, &n), 1);
    ck_assert(s.entries[0].row.state_known);
    ck_assert_uint_eq(s.entries[0].row.last_change_ms, 30);
    iface_set_clear(&s);
}
END_TEST

START_TEST(appearing_and_vanishing_interfaces)
{
    struct iface_set s = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 one[1] = {iface("A", 1, 3)};
    MPR_INTERFACE_0 two[2] = {iface("A", 1, 3), iface("B", 2, 3)};

    iface_set_update(&s, 1, one, 1, 10, 1, ch, 4, &n);
    ck_assert_int_eq(iface_set_update(&s, 1, two, 2, 20, 1, ch, 4, &n), 1);
    ck_assert_uint_eq(row_named(&s, "B")->last_change_ms, 20);
    ck_assert_int_eq(iface_set_update(&s, 1, one, 1, 30, 1, ch, 4, &n), 1);
    ck_assert_ptr_null(row_named(&s, "B"));
    ck_assert_int_eq(iface_set_update(&s, 1, NULL, 0, 40, 1, ch, 4, &n), 1);
    ck_assert_uint_eq(s.n, 0);
    iface_set_clear(&s);
}
END_TEST

/* More confirmed changes than room: the extra ones are dropped, the set
 * is still complete. */
START_TEST(changes_beyond_room_are_dropped)
{
    struct iface_set s = {0};
    struct iface_change ch[2];
    MPR_INTERFACE_0 all[5];
    char name[8];
    size_t n;

    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "if%d", i);
        all[i] = iface(name, (DWORD)i + 1, 0);
    }
    iface_set_update(&s, 1, all, 5, 10, 1, ch, 2, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(s.n, 5);
    iface_set_clear(&s);
}
END_TEST

START_TEST(snapshot_across_routers)
{
    struct iface_set a = {0}, b = {0};
    struct iface_change ch[4];
    size_t n;
    MPR_INTERFACE_0 la[2] = {iface("X", 1, 3), iface("Y", 2, 3)};
    MPR_INTERFACE_0 lb[1] = {iface("Z", 3, 3)};
    const struct iface_set *sets[2] = {&a, &b};
    struct iface_snapshot *s;
    size_t pos;

    iface_set_update(&a, 5, la, 2, 1, 1, ch, 4, &n);
    iface_set_update(&b, 9, lb, 1, 1, 1, ch, 4, &n);
    s = iface_snapshot_build(sets, 2);
    ck_assert_ptr_nonnull(s);
    /* The snapshot owns its names: the sets may change or go. */
    iface_set_clear(&a);
    ck_assert_uint_eq(iface_snapshot_size(s), 3);
    ck_assert_uint_eq(iface_snapshot_row(s, 2)->router_id, 9);
    ck_assert_str_eq(iface_snapshot_row(s, 2)->name, "Z");
    pos = iface_snapshot_lower_bound(s, 9, 0);
    ck_assert_uint_eq(pos, 2);
    ck_assert_uint_eq(iface_snapshot_lower_bound(s, 9, UINT32_MAX), 3);
    ck_assert_uint_eq(iface_snapshot_lower_bound(s, 0, 0), 0);
    ck_assert(iface_snapshot_row(s, 0)->index < iface_snapshot_row(s, 1)->index);
    iface_snapshot_ref(s);
    iface_snapshot_release(s);
    ck_assert_str_eq(iface_snapshot_row(s, 0)->name,
                     iface_index_of("X") < iface_index_of("Y") ? "X" : "Y");
    iface_snapshot_release(s);
    iface_snapshot_release(NULL);
    iface_set_clear(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ifaces");
    TCase *tc = tcase_create("ifaces");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, index_is_fnv1a_of_the_folded_name);
    tcase_add_test(tc, indexes_survive_new_handles_and_order);
    tcase_add_test(tc, colliding_names_get_distinct_stable_indexes);
    tcase_add_test(tc, down_and_up_after_hysteresis);
    tcase_add_test(tc, unreachable_at_start_is_news);
    tcase_add_test(tc, failed_read_keeps_rows_state_unknown);
    tcase_add_test(tc, appearing_and_vanishing_interfaces);
    tcase_add_test(tc, changes_beyond_room_are_dropped);
    tcase_add_test(tc, snapshot_across_routers);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
