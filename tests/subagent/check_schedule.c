/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_schedule.c - the probe schedule (min-heap) and the backoff rule. */
#include <check.h>
#include <stdlib.h>

#include "subagent/schedule_priv.h"

START_TEST(test_delay_before_confirmation)
{
    /* No backoff step yet: the interval holds, so a failure is confirmed
     * as fast as configured. */
    ck_assert_uint_eq(sched_next_delay_ms(30, 0, 12345), 30000);
    ck_assert_uint_eq(sched_next_delay_ms(30, 0, 0xffffffffu), 30000);
    ck_assert_uint_eq(sched_next_delay_ms(5, 0, 7), 5000);
    ck_assert_uint_eq(sched_next_delay_ms(0, 0, 7), 1000);
}
END_TEST

START_TEST(test_delay_doubles_to_cap)
{
    /* rnd 0 = no jitter: exact doubling. */
    ck_assert_uint_eq(sched_next_delay_ms(30, 1, 0), 60000);
    ck_assert_uint_eq(sched_next_delay_ms(30, 2, 0), 120000);
    ck_assert_uint_eq(sched_next_delay_ms(30, 3, 0), 240000);
    ck_assert_uint_eq(sched_next_delay_ms(30, 4, 0), 480000);
    ck_assert_uint_eq(sched_next_delay_ms(30, 5, 0), SCHED_BACKOFF_CAP_MS);
    ck_assert_uint_eq(sched_next_delay_ms(30, 3999999999u, 0),
                      SCHED_BACKOFF_CAP_MS);
    ck_assert_uint_eq(sched_next_delay_ms(1, 1, 0), 2000);
    /* An interval above the cap is kept: backoff never probes faster. */
    ck_assert_uint_eq(sched_next_delay_ms(3600, 9, 0), 3600000);
    ck_assert_uint_eq(sched_next_delay_ms(3600, 9, 999999), 3600000);
    ck_assert_uint_eq(sched_next_delay_ms(86400, 50, 0), 86400000u);
}
END_TEST

START_TEST(test_delay_jitter_range)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint64_t lo = UINT64_MAX, hi = 0;

    for (int i = 0; i < 10000; i++) {
        uint64_t d = sched_next_delay_ms(30, 2, sched_random(&state));
        ck_assert_uint_le(d, 120000);
        ck_assert_uint_ge(d, 96000); /* loses at most a fifth */
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    /* The jitter really spreads retries. */
    ck_assert_uint_lt(lo, 98000);
    ck_assert_uint_gt(hi, 118000);
    for (int i = 0; i < 1000; i++) {
        uint64_t d = sched_next_delay_ms(2, 1, sched_random(&state));
        ck_assert_uint_ge(d, 3200);
        ck_assert_uint_le(d, 4000);
    }
}
END_TEST

START_TEST(test_heap_order)
{
    enum { N = 500 };
    struct sched_node *nodes = calloc(N, sizeof *nodes);
    struct sched_heap h = {0};
    uint64_t state = 42, last = 0;
    size_t popped = 0;

    ck_assert_ptr_nonnull(nodes);
    ck_assert_ptr_null(sched_peek(&h));
    ck_assert_ptr_null(sched_pop(&h));
    for (size_t i = 0; i < N; i++) {
        nodes[i].index = SCHED_NOT_QUEUED;
        nodes[i].due_ms = sched_random(&state) % 1000;
        ck_assert_int_eq(sched_push(&h, &nodes[i]), 0);
        ck_assert_uint_eq(h.nodes[nodes[i].index]->due_ms, nodes[i].due_ms);
    }
    /* Take out a third from anywhere, twice (the second time is a no-op). */
    for (size_t i = 0; i < N; i += 3) {
        sched_remove(&h, &nodes[i]);
        ck_assert_uint_eq(nodes[i].index, SCHED_NOT_QUEUED);
        sched_remove(&h, &nodes[i]);
    }
    ck_assert_uint_eq(h.n, N - (N + 2) / 3);
    for (size_t i = 0; i < h.n; i++)
        ck_assert_ptr_eq(h.nodes[h.nodes[i]->index], h.nodes[i]);
    while (sched_peek(&h) != NULL) {
        struct sched_node *n = sched_pop(&h);
        ck_assert_uint_ge(n->due_ms, last);
        ck_assert_uint_eq(n->index, SCHED_NOT_QUEUED);
        ck_assert_uint_ne((size_t)(n - nodes) % 3, 0);
        last = n->due_ms;
        popped++;
    }
    ck_assert_uint_eq(popped, N - (N + 2) / 3);
    sched_free(&h);
    free(nodes);
}
END_TEST

START_TEST(test_heap_reserve)
{
    struct sched_heap h = {0};
    struct sched_node a = {.due_ms = 5, .index = SCHED_NOT_QUEUED};
    struct sched_node b = {.due_ms = 1, .index = SCHED_NOT_QUEUED};

    ck_assert_int_eq(sched_reserve(&h, 2), 0);
    ck_assert_uint_eq(h.cap, 2);
    ck_assert_int_eq(sched_reserve(&h, 1), 0);
    ck_assert_uint_eq(h.cap, 2);
    ck_assert_int_eq(sched_reserve(&h, SIZE_MAX), -1);
    ck_assert_uint_eq(h.cap, 2);
    ck_assert_int_eq(sched_push(&h, &a), 0);
    ck_assert_int_eq(sched_push(&h, &b), 0);
    ck_assert_ptr_eq(sched_peek(&h), &b);
    /* Re-queue with a later time, as the prober does after a probe. */
    sched_remove(&h, &b);
    b.due_ms = 10;
    ck_assert_int_eq(sched_push(&h, &b), 0);
    ck_assert_ptr_eq(sched_pop(&h), &a);
    ck_assert_ptr_eq(sched_pop(&h), &b);
    sched_free(&h);
    ck_assert_uint_eq(h.cap, 0);
}
END_TEST

static Suite *schedule_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *tc = tcase_create("schedule");

    tcase_add_test(tc, test_delay_before_confirmation);
    tcase_add_test(tc, test_delay_doubles_to_cap);
    tcase_add_test(tc, test_delay_jitter_range);
    tcase_add_test(tc, test_heap_order);
    tcase_add_test(tc, test_heap_reserve);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(schedule_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
