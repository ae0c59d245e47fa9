/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_registry.c - registry state machine, hysteresis, counters, snapshots,
 * events and reloads.  Probe results are fed directly: the registry is pure
 * logic over struct probe_result, no network involved. */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subagent/registry.h"

static struct daemon_config make_cfg(size_t n, unsigned hysteresis)
{
    struct daemon_config cfg;

    memset(&cfg, 0, sizeof cfg);
    cfg.max_concurrency = 4;
    cfg.trap_rate_per_min = 30;
    cfg.routers = calloc(n > 0 ? n : 1, sizeof *cfg.routers);
    ck_assert_ptr_nonnull(cfg.routers);
    cfg.n_routers = n;
    for (size_t i = 0; i < n; i++) {
        struct router_config *r = &cfg.routers[i];
        r->id = (uint32_t)(10 * (i + 1));
        snprintf(r->name, sizeof r->name, "gw%zu", i + 1);
        snprintf(r->address, sizeof r->address, "10.0.0.%zu", i + 1);
        r->port = 445;
        r->interval_s = 30;
        r->timeout_ms = 1000;
        r->hysteresis = hysteresis;
        r->encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    }
    return cfg;
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
    r.finished_ms = registry_now_ms();
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
    r.finished_ms = registry_now_ms();
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
    r.finished_ms = registry_now_ms();
    return r;
}

static bool fd_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    ck_assert_int_ge(poll(&p, 1, 0), 0);
    return (p.revents & POLLIN) != 0;
}

/* A copy of router id's row in a fresh snapshot. */
static struct router_row row_of(struct registry *r, uint32_t id)
{
    const struct snapshot *s = registry_snapshot_acquire(r);
    const struct router_row *row = snapshot_find(s, id);
    struct router_row copy;

    ck_assert_msg(row != NULL, "no row %u", (unsigned)id);
    copy = *row;
    registry_snapshot_release(r, s);
    return copy;
}

static void record(struct registry *r, uint32_t id, struct probe_result res,
                   int times)
{
    for (int i = 0; i < times; i++)
        registry_record_probe(r, id, &res);
}

START_TEST(test_initial_snapshot)
{
    struct daemon_config cfg = make_cfg(3, 2);
    struct registry *r = registry_new(&cfg);
    const struct snapshot *s;
    struct router_event ev;

    ck_assert_ptr_nonnull(r);
    s = registry_snapshot_acquire(r);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->n_rows, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(snapshot_row(s, i)->id, 10 * (i + 1));
        ck_assert_str_eq(snapshot_row(s, i)->name, cfg.routers[i].name);
        ck_assert_str_eq(snapshot_row(s, i)->address, cfg.routers[i].address);
        ck_assert_int_eq(snapshot_row(s, i)->conn_state, MPR_CONN_DISCONNECTED);
        ck_assert_int_eq(snapshot_row(s, i)->service_state, MPR_SVC_UNKNOWN);
        ck_assert_uint_eq(snapshot_row(s, i)->probes, 0);
        ck_assert_uint_eq(snapshot_row(s, i)->last_probe_ms, 0);
        ck_assert_uint_eq(snapshot_row(s, i)->last_change_ms, 0);
        ck_assert(!snapshot_row(s, i)->info_valid);
    }
    registry_snapshot_release(r, s);
    ck_assert_int_ge(registry_event_fd(r), 0);
    ck_assert(!fd_readable(registry_event_fd(r)));
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 0);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_unsorted_config_refused)
{
    struct daemon_config cfg = make_cfg(3, 2);

    cfg.routers[2].id = 5;
    ck_assert_ptr_null(registry_new(&cfg));
    cfg.routers[2].id = 20; /* duplicate of routers[1] */
    ck_assert_ptr_null(registry_new(&cfg));
    config_free(&cfg);
}
END_TEST

START_TEST(test_start_up_is_quiet)
{
    struct daemon_config cfg = make_cfg(1, 2);
    struct registry *r = registry_new(&cfg);
    struct router_row row;
    struct router_event ev;

    record(r, 10, res_up(), 5);
    row = row_of(r, 10);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(row.service_state, MPR_SVC_RUNNING);
    ck_assert(row.info_valid);
    ck_assert_uint_eq(row.uptime_s, 3600);
    ck_assert_uint_eq(row.total_ports, 128);
    ck_assert_uint_eq(row.ports_in_use, 7);
    ck_assert_uint_eq(row.probe_latency_ms, 42);
    ck_assert_uint_eq(row.last_error, 0);
    ck_assert_uint_eq(row.probes, 5);
    ck_assert(!fd_readable(registry_event_fd(r)));
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 0);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_down_then_up_after_hysteresis)
{
    struct daemon_config cfg = make_cfg(2, 3);
    struct registry *r = registry_new(&cfg);
    struct router_event ev[4];
    struct router_row row;
    int fd = registry_event_fd(r);

    record(r, 20, res_up(), 3);
    /* Two probes down: the row shows it at once, no event yet. */
    record(r, 20, res_down(), 2);
    row = row_of(r, 20);
    ck_assert_int_eq(row.service_state, MPR_SVC_STOPPED);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(row.last_error, RPC_S_UNKNOWN_IF);
    ck_assert(!row.info_valid);
    ck_assert_uint_eq(row.total_ports, 0);
    ck_assert(!fd_readable(fd));

    /* The third agreeing probe confirms it. */
    record(r, 20, res_down(), 1);
    ck_assert(fd_readable(fd));
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 1);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_uint_eq(ev[0].row.id, 20);
    ck_assert_str_eq(ev[0].row.name, "gw2");
    ck_assert_int_eq(ev[0].row.service_state, MPR_SVC_STOPPED);
    ck_assert_uint_eq(ev[0].row.probes, 6);
    ck_assert(!fd_readable(fd));

    /* Staying down says nothing more. */
    record(r, 20, res_down(), 5);
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 0);

    record(r, 20, res_up(), 2);
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 0);
    record(r, 20, res_up(), 1);
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 1);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_SERVICE_UP);
    ck_assert_int_eq(ev[0].row.conn_state, MPR_CONN_CONNECTED);

    /* The other router never moved. */
    row = row_of(r, 10);
    ck_assert_uint_eq(row.probes, 0);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_flapping_is_filtered)
{
    struct daemon_config cfg = make_cfg(1, 2);
    struct registry *r = registry_new(&cfg);
    struct router_event ev;

    record(r, 10, res_up(), 2);
    for (int i = 0; i < 20; i++) {
        record(r, 10, i % 2 ? res_unreachable() : res_down(), 1);
        record(r, 10, res_up(), 1);
    }
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 0);
    /* Down then unreachable are two different verdicts: still nothing. */
    record(r, 10, res_down(), 1);
    record(r, 10, res_unreachable(), 1);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 0);
    record(r, 10, res_unreachable(), 1);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 1);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_uint_eq(ev.row.last_error, RPC_S_SERVER_UNAVAILABLE);
    ck_assert_int_eq(ev.row.service_state, MPR_SVC_UNKNOWN);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_bad_news_at_start)
{
    struct daemon_config cfg = make_cfg(2, 2);
    struct registry *r = registry_new(&cfg);
    struct router_event ev[4];

    record(r, 10, res_unreachable(), 2);
    record(r, 20, res_down(), 2);
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 2);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_uint_eq(ev[0].row.id, 10);
    ck_assert_int_eq(ev[1].kind, ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_uint_eq(ev[1].row.id, 20);
    /* Unreachable -> down -> unreachable: each confirmed change notifies. */
    record(r, 10, res_down(), 2);
    record(r, 10, res_unreachable(), 2);
    ck_assert_uint_eq(registry_take_events(r, ev, 4), 2);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_int_eq(ev[1].kind, ROUTER_EVENT_CONNECT_FAILED);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_classification)
{
    struct daemon_config cfg = make_cfg(1, 1);
    struct registry *r = registry_new(&cfg);
    struct probe_result res;
    struct router_event ev;
    struct router_row row;

    /* Bound to DIMSVC but the SCM refuses us (Samba does so for
     * non-administrators): the router is up, the SCM state says why. */
    res = res_up();
    res.connect_attempted = true;
    res.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    res.service_error = ERROR_ACCESS_DENIED;
    res.info_valid = false;
    res.info_error = ERROR_ACCESS_DENIED;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert_uint_eq(row.last_error, ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 0);

    /* The held binding broke during GetInfo: connection failed. */
    res = res_up();
    res.info_valid = false;
    res.info_error = RPC_S_CALL_FAILED;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(row.last_error, RPC_S_CALL_FAILED);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 1);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_CONNECT_FAILED);

    /* Not installed counts as down. */
    res = res_down();
    res.service_state = MPRMON_SERVICE_NOT_INSTALLED;
    res.service_error = ERROR_SERVICE_DOES_NOT_EXIST;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_int_eq(row.service_state, MPR_SVC_NOT_INSTALLED);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 1);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_SERVICE_DOWN);

    /* Wrong password: the connect is refused. */
    res = res_down();
    res.connect_error = ERROR_ACCESS_DENIED;
    res.service_state = MPRMON_SERVICE_ACCESS_DENIED;
    res.service_error = ERROR_ACCESS_DENIED;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_int_eq(row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(registry_take_events(r, &ev, 1), 1);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_CONNECT_FAILED);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_counters_and_times)
{
    struct daemon_config cfg = make_cfg(1, 2);
    struct registry *r = registry_new(&cfg);
    struct probe_result res;
    struct router_row row;
    uint64_t changed;

    registry_mark_connecting(r, 10);
    row = row_of(r, 10);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTING);
    ck_assert_uint_eq(row.last_change_ms, 0);

    res = res_up();
    res.connect_attempted = true;
    res.finished_ms = 1000;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_uint_eq(row.connect_attempts, 1);
    ck_assert_uint_eq(row.connect_failures, 0);
    ck_assert_uint_eq(row.last_change_ms, 1000);
    ck_assert_uint_eq(row.last_probe_ms, 1000);

    res = res_up();
    res.finished_ms = 2000;
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_uint_eq(row.last_change_ms, 1000);
    ck_assert_uint_eq(row.last_probe_ms, 2000);

    for (unsigned i = 0; i < 4; i++) {
        registry_mark_connecting(r, 10);
        res = res_unreachable();
        res.finished_ms = 3000 + i;
        record(r, 10, res, 1);
    }
    row = row_of(r, 10);
    /* Retrying through CONNECTING is no change: the first failure is. */
    ck_assert_uint_eq(row.last_change_ms, 3000);
    ck_assert_uint_eq(row.last_probe_ms, 3003);
    ck_assert_uint_eq(row.connect_attempts, 5);
    ck_assert_uint_eq(row.connect_failures, 4);
    ck_assert_uint_eq(row.probes, 6);
    ck_assert_uint_eq(row.probe_latency_ms, 1000);
    changed = row.last_change_ms;

    res = res_up();
    res.connect_attempted = true;
    res.finished_ms = 0; /* not given: the registry stamps it */
    record(r, 10, res, 1);
    row = row_of(r, 10);
    ck_assert_uint_gt(row.last_change_ms, changed);
    ck_assert_uint_eq(row.last_change_ms, row.last_probe_ms);
    ck_assert_uint_le(row.last_probe_ms, registry_now_ms());

    /* Unknown ids are ignored, not invented. */
    registry_record_probe(r, 11, &res);
    registry_mark_connecting(r, 12);
    {
        const struct snapshot *s = registry_snapshot_acquire(r);
        ck_assert_uint_eq(s->n_rows, 1);
        registry_snapshot_release(r, s);
    }
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_snapshot_is_immutable)
{
    struct daemon_config cfg = make_cfg(2, 1);
    struct registry *r = registry_new(&cfg);
    const struct snapshot *s1, *s2, *s3;
    struct probe_result res = res_up();

    s1 = registry_snapshot_acquire(r);
    record(r, 10, res, 3);
    s2 = registry_snapshot_acquire(r);
    ck_assert_ptr_ne(s1, s2);
    ck_assert_uint_gt(s2->generation, s1->generation);
    ck_assert_uint_eq(snapshot_row(s1, 0)->probes, 0);
    ck_assert_int_eq(snapshot_row(s1, 0)->conn_state, MPR_CONN_DISCONNECTED);
    ck_assert_uint_eq(snapshot_row(s2, 0)->probes, 3);
    /* Nothing changed: the same snapshot is shared. */
    s3 = registry_snapshot_acquire(r);
    ck_assert_ptr_eq(s2, s3);
    registry_snapshot_release(r, s3);
    record(r, 20, res, 1);
    ck_assert_uint_eq(snapshot_row(s2, 1)->probes, 0);
    registry_snapshot_release(r, s1);
    registry_snapshot_release(r, s2);
    registry_snapshot_release(r, NULL);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

/* Publishing a snapshot shares the rows' chunks instead of copying every
 * row; a write copies only the chunk it touches, and only once per
 * published snapshot.  (Before, each snapshot after a probe copied the
 * whole table: 4 MB per SNMP request at 10,000 rows.) */
START_TEST(test_snapshot_shares_unchanged_chunks)
{
    const size_t n = 3 * SNAPSHOT_CHUNK_ROWS + 4; /* 4 chunks, last partial */
    struct daemon_config cfg = make_cfg(n, 100);
    struct daemon_config fewer = make_cfg(n, 100);
    struct registry *r = registry_new(&cfg);
    const struct snapshot *s1, *s2, *s3, *s4;
    struct probe_result res = res_up();
    const size_t a = SNAPSHOT_CHUNK_ROWS + 8, b = n - 1;

    ck_assert_uint_eq(SNAPSHOT_CHUNKS(n), 4);
    s1 = registry_snapshot_acquire(r);
    registry_record_probe(r, cfg.routers[a].id, &res);
    registry_mark_connecting(r, cfg.routers[b].id);
    s2 = registry_snapshot_acquire(r);
    ck_assert_ptr_ne(s1, s2);
    ck_assert_ptr_eq(s2->chunks[0], s1->chunks[0]);
    ck_assert_ptr_ne(s2->chunks[1], s1->chunks[1]);
    ck_assert_ptr_eq(s2->chunks[2], s1->chunks[2]);
    ck_assert_ptr_ne(s2->chunks[3], s1->chunks[3]);
    ck_assert_uint_eq(snapshot_row(s1, a)->probes, 0);
    ck_assert_uint_eq(snapshot_row(s2, a)->probes, 1);
    ck_assert_int_eq(snapshot_row(s1, b)->conn_state, MPR_CONN_DISCONNECTED);
    ck_assert_int_eq(snapshot_row(s2, b)->conn_state, MPR_CONN_CONNECTING);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(snapshot_row(s2, i)->id, cfg.routers[i].id);
        ck_assert_str_eq(snapshot_row(s2, i)->name, cfg.routers[i].name);
    }

    /* Two writes to one chunk between snapshots: s2 keeps what it saw. */
    registry_record_probe(r, cfg.routers[a].id, &res);
    registry_record_probe(r, cfg.routers[a + 1].id, &res);
    s3 = registry_snapshot_acquire(r);
    ck_assert_ptr_ne(s3->chunks[1], s2->chunks[1]);
    ck_assert_ptr_eq(s3->chunks[0], s1->chunks[0]);
    ck_assert_ptr_eq(s3->chunks[3], s2->chunks[3]);
    ck_assert_uint_eq(snapshot_row(s2, a)->probes, 1);
    ck_assert_uint_eq(snapshot_row(s3, a)->probes, 2);
    ck_assert_uint_eq(snapshot_row(s3, a + 1)->probes, 1);
    registry_snapshot_release(r, s1);
    registry_snapshot_release(r, s2);

    /* A reload that shifts every row across chunk boundaries keeps each
     * router's row with its router. */
    memmove(fewer.routers, fewer.routers + 1,
            (n - 1) * sizeof *fewer.routers);
    fewer.n_routers = n - 1;
    ck_assert_int_eq(registry_apply_config(r, &fewer), 0);
    s4 = registry_snapshot_acquire(r);
    ck_assert_uint_eq(s4->n_rows, n - 1);
    ck_assert_uint_eq(snapshot_row(s4, a - 1)->id, cfg.routers[a].id);
    ck_assert_uint_eq(snapshot_row(s4, a - 1)->probes, 2);
    ck_assert_uint_eq(snapshot_row(s4, a)->probes, 1);
    ck_assert_int_eq(snapshot_row(s4, b - 1)->conn_state,
                     MPR_CONN_CONNECTING);
    ck_assert_uint_eq(snapshot_row(s4, 0)->id, cfg.routers[1].id);
    /* The snapshot from before the reload is still whole. */
    ck_assert_uint_eq(s3->n_rows, n);
    ck_assert_uint_eq(snapshot_row(s3, 0)->id, cfg.routers[0].id);
    ck_assert_uint_eq(snapshot_row(s3, a)->probes, 2);
    registry_snapshot_release(r, s3);
    registry_snapshot_release(r, s4);
    registry_free(r);
    fewer.n_routers = n;
    config_free(&fewer);
    config_free(&cfg);
}
END_TEST

START_TEST(test_snapshot_lookup)
{
    struct daemon_config cfg = make_cfg(3, 1);
    struct registry *r = registry_new(&cfg);
    const struct snapshot *s = registry_snapshot_acquire(r);

    ck_assert_ptr_null(snapshot_find(s, 0));
    ck_assert_ptr_null(snapshot_find(s, 15));
    ck_assert_uint_eq(snapshot_find(s, 20)->id, 20);
    ck_assert_uint_eq(snapshot_find(s, 10)->id, 10);
    ck_assert_uint_eq(snapshot_find(s, 30)->id, 30);
    ck_assert_ptr_null(snapshot_find(s, 31));
    ck_assert_uint_eq(snapshot_next(s, 0)->id, 10);
    ck_assert_uint_eq(snapshot_next(s, 10)->id, 20);
    ck_assert_uint_eq(snapshot_next(s, 11)->id, 20);
    ck_assert_uint_eq(snapshot_next(s, 29)->id, 30);
    ck_assert_ptr_null(snapshot_next(s, 30));
    ck_assert_ptr_null(snapshot_next(s, UINT32_MAX));
    registry_snapshot_release(r, s);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

START_TEST(test_reload)
{
    struct daemon_config cfg = make_cfg(3, 1);
    struct daemon_config next = make_cfg(4, 1);
    struct registry *r = registry_new(&cfg);
    struct router_row row;
    struct router_config old20;
    struct probe_result res = res_up();
    const struct snapshot *s;

    record(r, 10, res, 4);
    record(r, 20, res, 5);
    record(r, 30, res_down(), 2);
    old20 = cfg.routers[1];

    /* 10: renamed and slower; 20: new address; 30: removed; 40: new;
     * 25: new, between. */
    strcpy(next.routers[0].name, "renamed");
    next.routers[0].interval_s = 90;
    strcpy(next.routers[1].address, "10.9.9.9");
    next.routers[2] = next.routers[3];
    next.routers[2].id = 25;
    strcpy(next.routers[2].name, "gw25");
    ck_assert_int_eq(registry_apply_config(r, &next), 0);

    s = registry_snapshot_acquire(r);
    ck_assert_uint_eq(s->n_rows, 4);
    ck_assert_uint_eq(snapshot_row(s, 0)->id, 10);
    ck_assert_uint_eq(snapshot_row(s, 1)->id, 20);
    ck_assert_uint_eq(snapshot_row(s, 2)->id, 25);
    ck_assert_uint_eq(snapshot_row(s, 3)->id, 40);
    ck_assert_str_eq(snapshot_row(s, 0)->name, "renamed");
    ck_assert_uint_eq(snapshot_row(s, 0)->probes, 4);
    ck_assert_int_eq(snapshot_row(s, 0)->conn_state, MPR_CONN_CONNECTED);
    ck_assert_uint_eq(snapshot_row(s, 1)->probes, 0);
    ck_assert_str_eq(snapshot_row(s, 1)->address, "10.9.9.9");
    ck_assert_int_eq(snapshot_row(s, 1)->conn_state, MPR_CONN_DISCONNECTED);
    ck_assert_uint_eq(snapshot_row(s, 2)->probes, 0);
    ck_assert_ptr_null(snapshot_find(s, 30));
    registry_snapshot_release(r, s);

    /* A probe of 20's old address that finishes after the reload is not
     * taken for the new one; one of the new address is. */
    registry_record_probe_cfg(r, &old20, &res);
    ck_assert_uint_eq(row_of(r, 20).probes, 0);
    registry_record_probe_cfg(r, &next.routers[1], &res);
    ck_assert_uint_eq(row_of(r, 20).probes, 1);
    /* The removed router's late result is dropped. */
    registry_record_probe(r, 30, &res);

    /* The renamed router kept its confirmed state: a single down probe
     * (hysteresis 1) notifies, with the new name. */
    record(r, 10, res_down(), 1);
    {
        struct router_event ev[4];
        ck_assert_uint_eq(registry_take_events(r, ev, 4), 2);
        ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_SERVICE_DOWN);
        ck_assert_uint_eq(ev[0].row.id, 30); /* from before the reload */
        ck_assert_int_eq(ev[1].kind, ROUTER_EVENT_SERVICE_DOWN);
        ck_assert_str_eq(ev[1].row.name, "renamed");
    }
    row = row_of(r, 10);
    ck_assert_uint_eq(row.probes, 5);

    /* A bad config leaves everything as it was. */
    next.routers[3].id = 1;
    ck_assert_int_eq(registry_apply_config(r, &next), -1);
    ck_assert_uint_eq(row_of(r, 10).probes, 5);

    /* Reload to nothing, then back. */
    {
        struct daemon_config none = make_cfg(0, 1);
        ck_assert_int_eq(registry_apply_config(r, &none), 0);
        s = registry_snapshot_acquire(r);
        ck_assert_uint_eq(s->n_rows, 0);
        ck_assert_ptr_null(snapshot_next(s, 0));
        registry_snapshot_release(r, s);
        ck_assert_int_eq(registry_apply_config(r, &cfg), 0);
        ck_assert_uint_eq(row_of(r, 10).probes, 0);
        config_free(&none);
    }
    registry_free(r);
    config_free(&cfg);
    config_free(&next);
}
END_TEST

START_TEST(test_event_queue_bound)
{
    struct daemon_config cfg = make_cfg(1, 1);
    struct registry *r = registry_new(&cfg);
    const size_t total = 2 * REGISTRY_EVENT_QUEUE_MAX + 10;
    struct router_event *ev = calloc(total, sizeof *ev);
    size_t got;

    ck_assert_ptr_nonnull(ev);
    /* Start unreachable (one CONNECT_FAILED), then alternate up/down. */
    record(r, 10, res_unreachable(), 1);
    for (size_t i = 1; i < total; i++)
        record(r, 10, i % 2 ? res_up() : res_down(), 1);
    ck_assert_uint_eq(registry_events_dropped(r),
                      total - REGISTRY_EVENT_QUEUE_MAX);
    /* Taken in pieces, oldest first: the survivors are the newest. */
    got = registry_take_events(r, ev, 100);
    ck_assert_uint_eq(got, 100);
    ck_assert(fd_readable(registry_event_fd(r)));
    got += registry_take_events(r, ev + got, total);
    ck_assert_uint_eq(got, REGISTRY_EVENT_QUEUE_MAX);
    ck_assert(!fd_readable(registry_event_fd(r)));
    for (size_t i = 0; i < got; i++) {
        size_t seq = total - REGISTRY_EVENT_QUEUE_MAX + i;
        ck_assert_int_eq(ev[i].kind, seq % 2 ? ROUTER_EVENT_SERVICE_UP
                                             : ROUTER_EVENT_SERVICE_DOWN);
        ck_assert_uint_eq(ev[i].row.probes, seq + 1);
    }
    free(ev);
    registry_free(r);
    config_free(&cfg);
}
END_TEST

/* Writers record on their own router while readers check that every
 * snapshot they see is consistent and never goes backwards. */
#define THREAD_PROBES 3000
#define WRITERS 4

struct thread_arg {
    struct registry *r;
    uint32_t id;
    atomic_bool *stop;
    unsigned snapshots;
};

static void *writer(void *p)
{
    struct thread_arg *a = p;

    for (int i = 0; i < THREAD_PROBES; i++) {
        struct probe_result res = (i / 3) % 2 ? res_down() : res_up();
        registry_mark_connecting(a->r, a->id);
        registry_record_probe(a->r, a->id, &res);
    }
    return NULL;
}

static void *reader(void *p)
{
    struct thread_arg *a = p;
    uint32_t last[WRITERS] = {0};
    uint64_t generation = 0;
    bool done = false;

    while (!done) {
        const struct snapshot *s;
        done = atomic_load(a->stop);
        s = registry_snapshot_acquire(a->r);
        if (s->generation < generation || s->n_rows != WRITERS) {
            registry_snapshot_release(a->r, s);
            a->snapshots = 0; /* tells the main thread it went wrong */
            return NULL;
        }
        generation = s->generation;
        for (size_t i = 0; i < s->n_rows; i++) {
            if (snapshot_row(s, i)->probes < last[i] ||
                snapshot_row(s, i)->connect_attempts != snapshot_row(s, i)->connect_failures ||
                (i > 0 && snapshot_row(s, i)->id <= snapshot_row(s, i - 1)->id)) {
                registry_snapshot_release(a->r, s);
                a->snapshots = 0;
                return NULL;
            }
            last[i] = snapshot_row(s, i)->probes;
        }
        registry_snapshot_release(a->r, s);
        a->snapshots++;
    }
    return NULL;
}

START_TEST(test_threads)
{
    struct daemon_config cfg = make_cfg(WRITERS, 1);
    struct registry *r = registry_new(&cfg);
    pthread_t w[WRITERS], rd[2];
    struct thread_arg wa[WRITERS], ra[2];
    atomic_bool stop = false;
    struct router_event ev[64];
    size_t events = 0, n;

    for (int i = 0; i < 2; i++) {
        ra[i] = (struct thread_arg){.r = r, .stop = &stop};
        ck_assert_int_eq(pthread_create(&rd[i], NULL, reader, &ra[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        wa[i] = (struct thread_arg){.r = r, .id = cfg.routers[i].id};
        ck_assert_int_eq(pthread_create(&w[i], NULL, writer, &wa[i]), 0);
    }
    /* Drain events meanwhile, as the SNMP thread would. */
    for (int i = 0; i < WRITERS; i++) {
        while ((n = registry_take_events(r, ev, 64)) > 0)
            events += n;
        pthread_join(w[i], NULL);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < 2; i++) {
        pthread_join(rd[i], NULL);
        ck_assert_uint_gt(ra[i].snapshots, 0);
    }
    while ((n = registry_take_events(r, ev, 64)) > 0)
        events += n;
    for (int i = 0; i < WRITERS; i++) {
        struct router_row row = row_of(r, cfg.routers[i].id);
        ck_assert_uint_eq(row.probes, THREAD_PROBES);
        ck_assert_uint_eq(row.connect_failures, THREAD_PROBES / 2);
    }
    /* Every change of every writer: up->down and down->up, minus the quiet
     * start, each router. */
    ck_assert_uint_eq(events + registry_events_dropped(r),
                      WRITERS * (THREAD_PROBES / 3 - 1));
    registry_free(r);
    config_free(&cfg);
}
END_TEST

static Suite *registry_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("state");
    TCase *th = tcase_create("threads");

    tcase_add_test(tc, test_initial_snapshot);
    tcase_add_test(tc, test_unsorted_config_refused);
    tcase_add_test(tc, test_start_up_is_quiet);
    tcase_add_test(tc, test_down_then_up_after_hysteresis);
    tcase_add_test(tc, test_flapping_is_filtered);
    tcase_add_test(tc, test_bad_news_at_start);
    tcase_add_test(tc, test_classification);
    tcase_add_test(tc, test_counters_and_times);
    tcase_add_test(tc, test_snapshot_is_immutable);
    tcase_add_test(tc, test_snapshot_shares_unchanged_chunks);
    tcase_add_test(tc, test_snapshot_lookup);
    tcase_add_test(tc, test_reload);
    tcase_add_test(tc, test_event_queue_bound);
    suite_add_tcase(s, tc);
    tcase_set_timeout(th, 60);
    tcase_add_test(th, test_threads);
    suite_add_tcase(s, th);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(registry_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
