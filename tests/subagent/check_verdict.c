/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_verdict.c - a probe result into a router's row (state, errors,
 * counters, times, level-0 values) and the hysteresis that decides which
 * events fire, after how many probes.  verdict_record is pure: the tests
 * feed it probe results with explicit times. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subagent/verdict.h"

/* One router as a config stanza would give it. */
static struct router_config make_router(uint32_t id, unsigned hysteresis)
{
    struct router_config c;

    memset(&c, 0, sizeof c);
    c.id = id;
    snprintf(c.name, sizeof c.name, "gw%u", (unsigned)id);
    snprintf(c.address, sizeof c.address, "10.0.0.%u", (unsigned)id);
    c.port = 445;
    c.auth_file = "";
    c.interval_s = 30;
    c.timeout_ms = 1000;
    c.hysteresis = hysteresis;
    c.encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    return c;
}

/* What the owner of a router keeps: its config, row and hysteresis. */
struct router_fixture {
    struct router_config cfg;
    struct router_row row;
    struct router_health health;
    uint64_t clock_ms; /* finished_ms of the next probe */
};

static void fixture_init(struct router_fixture *f, uint32_t id,
                         unsigned hysteresis)
{
    f->cfg = make_router(id, hysteresis);
    row_init(&f->row, &f->cfg);
    verdict_init(&f->health);
    f->clock_ms = 1000;
}

/* Held handle reused, service running, level-0 info answered. */
static struct probe_result res_up(void)
{
    struct probe_result r;

    memset(&r, 0, sizeof r);
    r.service_state = MPRMON_SERVICE_RUNNING;
    r.info_valid = true;
    r.info.dwUpTime = 3600;
    r.info.dwTotalPorts = 128;
    r.info.dwPortsInUse = 7;
    r.latency_ms = 42;
    return r;
}

/* RRAS stopped: no ROUTER pipe, the SCM says stopped. */
static struct probe_result res_down(void)
{
    struct probe_result r;

    memset(&r, 0, sizeof r);
    r.connect_attempted = true;
    r.connect_error = RPC_S_UNKNOWN_IF;
    r.service_state = MPRMON_SERVICE_STOPPED;
    r.latency_ms = 9;
    return r;
}

/* Nothing answers. */
static struct probe_result res_unreachable(void)
{
    struct probe_result r;

    memset(&r, 0, sizeof r);
    r.connect_attempted = true;
    r.connect_error = RPC_S_SERVER_UNAVAILABLE;
    r.service_error = RPC_S_SERVER_UNAVAILABLE;
    r.service_state = MPRMON_SERVICE_UNREACHABLE;
    r.latency_ms = 1000;
    return r;
}

/* One probe, finished 10 ms after the previous one; the event kind. */
static int record1(struct router_fixture *f, struct probe_result res)
{
    f->clock_ms += 10;
    res.finished_ms = f->clock_ms;
    return verdict_record(&f->health, &f->row, &res, f->cfg.hysteresis);
}

/* `times` probes that must all be quiet. */
static void record_quiet(struct router_fixture *f, struct probe_result res,
                         int times)
{
    for (int i = 0; i < times; i++)
        ck_assert_msg(record1(f, res) == 0, "event at probe %d of %d",
                      i + 1, times);
}

START_TEST(test_fresh_row)
{
    struct router_fixture f;

    fixture_init(&f, 10, 2);
    ck_assert_uint_eq(f.row.id, 10);
    ck_assert_str_eq(f.row.name, "gw10");
    ck_assert_str_eq(f.row.address, "10.0.0.10");
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_DISCONNECTED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_UNKNOWN);
    ck_assert_uint_eq(f.row.probes, 0);
    ck_assert_uint_eq(f.row.connect_attempts, 0);
    ck_assert_uint_eq(f.row.connect_failures, 0);
    ck_assert_uint_eq(f.row.last_probe_ms, 0);
    ck_assert_uint_eq(f.row.last_change_ms, 0);
    ck_assert_uint_eq(f.row.last_error, 0);
    ck_assert(!f.row.info_valid);
    ck_assert_int_eq(f.health.confirmed, PROBE_HEALTH_NONE);
    ck_assert_int_eq(f.health.candidate, PROBE_HEALTH_NONE);
    ck_assert_uint_eq(f.health.streak, 0);
}
END_TEST

START_TEST(test_start_up_is_quiet)
{
    struct router_fixture f;

    fixture_init(&f, 10, 2);
    record_quiet(&f, res_up(), 5);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_RUNNING);
    ck_assert(f.row.info_valid);
    ck_assert_uint_eq(f.row.uptime_s, 3600);
    ck_assert_uint_eq(f.row.total_ports, 128);
    ck_assert_uint_eq(f.row.ports_in_use, 7);
    ck_assert_uint_eq(f.row.probe_latency_ms, 42);
    ck_assert_uint_eq(f.row.last_error, 0);
    ck_assert_uint_eq(f.row.probes, 5);
    /* A reused handle is no connect attempt. */
    ck_assert_uint_eq(f.row.connect_attempts, 0);
    /* Confirmed UP, quietly: a later DOWN is news. */
    ck_assert_int_eq(f.health.confirmed, PROBE_HEALTH_UP);
}
END_TEST

START_TEST(test_down_then_up_after_hysteresis)
{
    struct router_fixture f, other;

    fixture_init(&f, 20, 3);
    fixture_init(&other, 10, 3);
    record_quiet(&f, res_up(), 3);

    /* Two probes down: the row shows each at once, no event yet. */
    ck_assert_int_eq(record1(&f, res_down()), 0);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_STOPPED);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(f.row.probes, 4);
    ck_assert_int_eq(record1(&f, res_down()), 0);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_STOPPED);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(f.row.last_error, RPC_S_UNKNOWN_IF);
    ck_assert(!f.row.info_valid);
    ck_assert_uint_eq(f.row.uptime_s, 0);
    ck_assert_uint_eq(f.row.total_ports, 0);
    ck_assert_uint_eq(f.row.ports_in_use, 0);
    ck_assert_uint_eq(f.row.probe_latency_ms, 9);

    /* The third agreeing probe confirms it. */
    ck_assert_int_eq(record1(&f, res_down()), ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_uint_eq(f.row.id, 20);
    ck_assert_str_eq(f.row.name, "gw20");
    ck_assert_int_eq(f.row.service_state, MPR_SVC_STOPPED);
    ck_assert_uint_eq(f.row.probes, 6);

    /* Staying down says nothing more. */
    record_quiet(&f, res_down(), 5);

    record_quiet(&f, res_up(), 2);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(record1(&f, res_up()), ROUTER_EVENT_SERVICE_UP);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_RUNNING);
    ck_assert_uint_eq(f.row.probes, 14);
    record_quiet(&f, res_up(), 3);

    /* The other router never moved. */
    ck_assert_uint_eq(other.row.probes, 0);
    ck_assert_int_eq(other.row.conn_state, MPR_CONN_DISCONNECTED);
}
END_TEST

START_TEST(test_flapping_is_filtered)
{
    struct router_fixture f;

    fixture_init(&f, 10, 2);
    record_quiet(&f, res_up(), 2);
    for (int i = 0; i < 20; i++) {
        record_quiet(&f, i % 2 ? res_unreachable() : res_down(), 1);
        record_quiet(&f, res_up(), 1);
    }
    ck_assert_uint_eq(f.row.probes, 42);
    /* Down then unreachable are two different verdicts: still nothing. */
    record_quiet(&f, res_down(), 1);
    record_quiet(&f, res_unreachable(), 1);
    ck_assert_int_eq(record1(&f, res_unreachable()),
                     ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_uint_eq(f.row.last_error, RPC_S_SERVER_UNAVAILABLE);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_UNKNOWN);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
}
END_TEST

START_TEST(test_bad_news_at_start)
{
    struct router_fixture a, b;

    fixture_init(&a, 10, 2);
    fixture_init(&b, 20, 2);
    record_quiet(&a, res_unreachable(), 1);
    ck_assert_int_eq(record1(&a, res_unreachable()),
                     ROUTER_EVENT_CONNECT_FAILED);
    record_quiet(&b, res_down(), 1);
    ck_assert_int_eq(record1(&b, res_down()), ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_uint_eq(a.row.id, 10);
    ck_assert_uint_eq(b.row.id, 20);

    /* Unreachable -> down -> unreachable: each confirmed change notifies. */
    record_quiet(&a, res_down(), 1);
    ck_assert_int_eq(record1(&a, res_down()), ROUTER_EVENT_SERVICE_DOWN);
    record_quiet(&a, res_unreachable(), 1);
    ck_assert_int_eq(record1(&a, res_unreachable()),
                     ROUTER_EVENT_CONNECT_FAILED);
    record_quiet(&a, res_unreachable(), 3);
}
END_TEST

START_TEST(test_classification)
{
    struct router_fixture f;
    struct probe_result res;

    fixture_init(&f, 10, 1);

    /* Bound to DIMSVC but the SCM refuses us (Samba does so for
     * non-administrators): the router is up, the SCM state says why. */
    res = res_up();
    res.connect_attempted = true;
    res.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    res.service_error = ERROR_ACCESS_DENIED;
    res.info_valid = false;
    res.info_error = ERROR_ACCESS_DENIED;
    ck_assert_int_eq(record1(&f, res), 0);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert_uint_eq(f.row.last_error, ERROR_ACCESS_DENIED);
    ck_assert(!f.row.info_valid);
    ck_assert_uint_eq(f.row.uptime_s, 0);
    ck_assert_int_eq(f.health.confirmed, PROBE_HEALTH_UP);

    /* The held binding broke during GetInfo: connection failed. */
    res = res_up();
    res.info_valid = false;
    res.info_error = RPC_S_CALL_FAILED;
    ck_assert_int_eq(record1(&f, res), ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_RUNNING);
    ck_assert_uint_eq(f.row.last_error, RPC_S_CALL_FAILED);

    /* Not installed counts as down. */
    res = res_down();
    res.service_state = MPRMON_SERVICE_NOT_INSTALLED;
    res.service_error = ERROR_SERVICE_DOES_NOT_EXIST;
    ck_assert_int_eq(record1(&f, res), ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_NOT_INSTALLED);
    ck_assert_uint_eq(f.row.last_error, RPC_S_UNKNOWN_IF);

    /* Wrong password: the connect is refused. */
    res = res_down();
    res.connect_error = ERROR_ACCESS_DENIED;
    res.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    res.service_error = ERROR_ACCESS_DENIED;
    ck_assert_int_eq(record1(&f, res), ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(f.row.last_error, ERROR_ACCESS_DENIED);

    /* A fresh connect that works: up again, with the level-0 values. */
    res = res_up();
    res.connect_attempted = true;
    ck_assert_int_eq(record1(&f, res), ROUTER_EVENT_SERVICE_UP);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_uint_eq(f.row.last_error, 0);
    ck_assert(f.row.info_valid);
    ck_assert_uint_eq(f.row.ports_in_use, 7);
    ck_assert_uint_eq(f.row.connect_attempts, 4);
    ck_assert_uint_eq(f.row.connect_failures, 2);
}
END_TEST

START_TEST(test_counters_and_times)
{
    struct router_fixture f;
    struct probe_result res;

    fixture_init(&f, 10, 2);
    /* The owner shows CONNECTING in the row while a connect runs. */
    f.row.conn_state = MPR_CONN_CONNECTING;

    res = res_up();
    res.connect_attempted = true;
    res.finished_ms = 1000;
    ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2), 0);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_uint_eq(f.row.connect_attempts, 1);
    ck_assert_uint_eq(f.row.connect_failures, 0);
    ck_assert_uint_eq(f.row.last_change_ms, 1000);
    ck_assert_uint_eq(f.row.last_probe_ms, 1000);

    res = res_up();
    res.finished_ms = 2000;
    res.latency_ms = 17;
    ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2), 0);
    ck_assert_uint_eq(f.row.last_change_ms, 1000);
    ck_assert_uint_eq(f.row.last_probe_ms, 2000);
    ck_assert_uint_eq(f.row.probe_latency_ms, 17);
    ck_assert_uint_eq(f.row.connect_attempts, 1);

    for (unsigned i = 0; i < 4; i++) {
        f.row.conn_state = MPR_CONN_CONNECTING;
        res = res_unreachable();
        res.finished_ms = 3000 + i;
        ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2),
                         i == 1 ? ROUTER_EVENT_CONNECT_FAILED : 0);
        ck_assert_int_eq(f.row.conn_state, MPR_CONN_FAILED);
        ck_assert_uint_eq(f.row.last_probe_ms, 3000 + i);
    }
    /* Retrying through CONNECTING is no change: the first failure is. */
    ck_assert_uint_eq(f.row.last_change_ms, 3000);
    ck_assert_uint_eq(f.row.last_probe_ms, 3003);
    ck_assert_uint_eq(f.row.connect_attempts, 5);
    ck_assert_uint_eq(f.row.connect_failures, 4);
    ck_assert_uint_eq(f.row.probes, 6);
    ck_assert_uint_eq(f.row.probe_latency_ms, 1000);

    /* A change of service state alone is a change too. */
    res = res_unreachable();
    res.service_error = ERROR_ACCESS_DENIED;
    res.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    res.finished_ms = 4000;
    ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2), 0);
    ck_assert_int_eq(f.row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert_uint_eq(f.row.last_change_ms, 4000);

    f.row.conn_state = MPR_CONN_CONNECTING;
    res = res_up();
    res.connect_attempted = true;
    res.finished_ms = 5000;
    ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2), 0);
    ck_assert_uint_eq(f.row.last_change_ms, 5000);
    ck_assert_uint_eq(f.row.last_probe_ms, 5000);
    ck_assert_uint_eq(f.row.connect_attempts, 7);
    ck_assert_uint_eq(f.row.connect_failures, 5);
    ck_assert_uint_eq(f.row.probes, 8);

    /* No clock is read: an earlier time is taken as given. */
    res = res_up();
    res.finished_ms = 4500;
    ck_assert_int_eq(verdict_record(&f.health, &f.row, &res, 2),
                     ROUTER_EVENT_SERVICE_UP);
    ck_assert_uint_eq(f.row.last_probe_ms, 4500);
    ck_assert_uint_eq(f.row.last_change_ms, 5000);
}
END_TEST

/* The last answer: kept through unreachable probes, moved by any probe the
 * router answered, access denied included. */
START_TEST(test_last_answer)
{
    struct router_fixture f;
    struct probe_result denied;
    uint64_t answered;

    fixture_init(&f, 12, 100);
    ck_assert_uint_eq(f.row.interval_s, 30);
    ck_assert_uint_gt(f.row.configured_ms, 0);
    (void)record1(&f, res_unreachable());
    ck_assert_uint_eq(f.row.last_answer_ms, 0);
    (void)record1(&f, res_down());
    ck_assert_uint_eq(f.row.last_answer_ms, f.clock_ms);
    answered = f.clock_ms;
    (void)record1(&f, res_unreachable());
    ck_assert_uint_eq(f.row.last_answer_ms, answered);

    memset(&denied, 0, sizeof denied);
    denied.connect_attempted = true;
    denied.connect_error = ERROR_ACCESS_DENIED;
    denied.service_error = ERROR_ACCESS_DENIED;
    denied.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    (void)record1(&f, denied);
    ck_assert_uint_eq(f.row.last_answer_ms, f.clock_ms);
    (void)record1(&f, res_up());
    ck_assert_uint_eq(f.row.last_answer_ms, f.clock_ms);
}
END_TEST

START_TEST(test_hysteresis_zero_means_one)
{
    struct router_fixture zero, one;
    const struct probe_result seq[] = {
        res_up(), res_down(), res_down(), res_unreachable(), res_up(),
        res_up(), res_down(), res_up(),
    };
    const int want[] = {
        0, ROUTER_EVENT_SERVICE_DOWN, 0, ROUTER_EVENT_CONNECT_FAILED,
        ROUTER_EVENT_SERVICE_UP, 0, ROUTER_EVENT_SERVICE_DOWN,
        ROUTER_EVENT_SERVICE_UP,
    };

    fixture_init(&zero, 10, 0);
    fixture_init(&one, 10, 1);
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        ck_assert_int_eq(record1(&zero, seq[i]), want[i]);
        ck_assert_int_eq(record1(&one, seq[i]), want[i]);
    }
    /* Bad news at start, too, fires at the first probe. */
    fixture_init(&zero, 20, 0);
    ck_assert_int_eq(record1(&zero, res_unreachable()),
                     ROUTER_EVENT_CONNECT_FAILED);
}
END_TEST

/* A reload that changes a router's target starts it afresh: a new row and
 * verdict_init again.  Its first verdict is then quiet when UP, as at a
 * daemon start, whatever was confirmed before. */
START_TEST(test_retarget_is_a_fresh_start)
{
    struct router_fixture f;

    fixture_init(&f, 10, 2);
    record_quiet(&f, res_down(), 1);
    ck_assert_int_eq(record1(&f, res_down()), ROUTER_EVENT_SERVICE_DOWN);
    /* Half-way to UP when the reload comes. */
    record_quiet(&f, res_up(), 1);

    snprintf(f.cfg.address, sizeof f.cfg.address, "10.9.9.9");
    row_init(&f.row, &f.cfg);
    verdict_init(&f.health);
    ck_assert_str_eq(f.row.address, "10.9.9.9");
    ck_assert_uint_eq(f.row.probes, 0);
    ck_assert_int_eq(f.health.confirmed, PROBE_HEALTH_NONE);
    ck_assert_uint_eq(f.health.streak, 0);

    /* DOWN -> UP across the retarget is no SERVICE_UP. */
    record_quiet(&f, res_up(), 4);
    ck_assert_uint_eq(f.row.probes, 4);
    ck_assert_int_eq(f.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(f.health.confirmed, PROBE_HEALTH_UP);
    /* From there on, changes notify as usual. */
    record_quiet(&f, res_down(), 1);
    ck_assert_int_eq(record1(&f, res_down()), ROUTER_EVENT_SERVICE_DOWN);

    /* Bad news right after a retarget is still news, even when it is the
     * verdict confirmed before it. */
    verdict_init(&f.health);
    row_init(&f.row, &f.cfg);
    record_quiet(&f, res_down(), 1);
    ck_assert_int_eq(record1(&f, res_down()), ROUTER_EVENT_SERVICE_DOWN);
}
END_TEST

static Suite *verdict_suite(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("verdict");

    tcase_add_test(tc, test_fresh_row);
    tcase_add_test(tc, test_start_up_is_quiet);
    tcase_add_test(tc, test_down_then_up_after_hysteresis);
    tcase_add_test(tc, test_flapping_is_filtered);
    tcase_add_test(tc, test_bad_news_at_start);
    tcase_add_test(tc, test_classification);
    tcase_add_test(tc, test_counters_and_times);
    tcase_add_test(tc, test_last_answer);
    tcase_add_test(tc, test_hysteresis_zero_means_one);
    tcase_add_test(tc, test_retarget_is_a_fresh_start);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(verdict_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
