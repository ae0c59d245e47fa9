/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_prober.c - the prober's threads against real sockets on loopback:
 * a closed port (the kernel refuses), and a listener that never answers
 * (a probe stuck until its timeout).  No fake RPC peer is involved. */
#include <check.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "subagent/prober.h"

/* A listening socket on 127.0.0.1 at a port the kernel picks; the port
 * goes to *port.  The caller closes it (or closes it at once to get a port
 * where nothing listens). */
static int listen_loopback(unsigned *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static struct daemon_config make_cfg(size_t n, const unsigned *ports,
                                     unsigned interval_s, unsigned timeout_ms)
{
    struct daemon_config cfg;

    memset(&cfg, 0, sizeof cfg);
    cfg.max_concurrency = 4;
    cfg.routers = calloc(n > 0 ? n : 1, sizeof *cfg.routers);
    ck_assert_ptr_nonnull(cfg.routers);
    cfg.n_routers = n;
    for (size_t i = 0; i < n; i++) {
        struct router_config *r = &cfg.routers[i];
        r->id = (uint32_t)(i + 1);
        snprintf(r->name, sizeof r->name, "r%zu", i + 1);
        strcpy(r->address, "127.0.0.1");
        r->port = ports[i];
        r->interval_s = interval_s;
        r->timeout_ms = timeout_ms;
        r->hysteresis = 1;
        r->encryption = MPRMON_ENCRYPTION_OFF;
    }
    return cfg;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait until router id has at least `probes` probes; returns its row. */
static struct router_row wait_probes(struct registry *reg, uint32_t id,
                                     uint32_t probes, unsigned limit_ms)
{
    uint64_t end = registry_now_ms() + limit_ms;

    for (;;) {
        const struct snapshot *s = registry_snapshot_acquire(reg);
        const struct router_row *row = snapshot_find(s, id);
        struct router_row copy;

        ck_assert_ptr_nonnull(row);
        copy = *row;
        registry_snapshot_release(reg, s);
        if (copy.probes >= probes)
            return copy;
        ck_assert_msg(registry_now_ms() < end,
                      "router %u: %u probes after %u ms, wanted %u",
                      (unsigned)id, (unsigned)copy.probes, limit_ms,
                      (unsigned)probes);
        sleep_ms(10);
    }
}

START_TEST(test_stop_idle_is_prompt)
{
    struct daemon_config cfg = make_cfg(0, NULL, 30, 1000);
    struct registry *reg = registry_new(&cfg);
    struct prober *p;
    uint64_t t0;

    ck_assert_ptr_nonnull(reg);
    p = prober_start(reg, &cfg, 8);
    ck_assert_ptr_nonnull(p);
    sleep_ms(50);
    t0 = registry_now_ms();
    prober_stop(p);
    ck_assert_uint_lt(registry_now_ms() - t0, 500);
    prober_stop(NULL);
    registry_free(reg);
    config_free(&cfg);
}
END_TEST

START_TEST(test_closed_port)
{
    unsigned ports[2];
    int fd0 = listen_loopback(&ports[0]);
    int fd1 = listen_loopback(&ports[1]);
    struct daemon_config cfg;
    struct registry *reg;
    struct prober *p;
    struct router_row row;
    struct router_event ev[4];
    uint64_t t0;

    /* Closed now: connections to these ports are refused. */
    close(fd0);
    close(fd1);
    cfg = make_cfg(2, ports, 3600, 3000);
    reg = registry_new(&cfg);
    ck_assert_ptr_nonnull(reg);
    p = prober_start(reg, &cfg, 2);
    ck_assert_ptr_nonnull(p);

    for (uint32_t id = 1; id <= 2; id++) {
        row = wait_probes(reg, id, 1, 10000);
        ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
        ck_assert_msg(row.last_error == RPC_S_SERVER_UNAVAILABLE,
                      "last_error %u (%s)", (unsigned)row.last_error,
                      MprmonErrorName(row.last_error));
        ck_assert_int_eq(row.service_state, MPR_SVC_UNKNOWN);
        ck_assert_uint_eq(row.connect_attempts, 1);
        ck_assert_uint_eq(row.connect_failures, 1);
        ck_assert_uint_gt(row.last_probe_ms, 0);
    }
    /* Hysteresis 1 and bad news at start: one notification each. */
    ck_assert_uint_eq(registry_take_events(reg, ev, 4), 2);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(ev[1].kind, ROUTER_EVENT_CONNECT_FAILED);

    /* The next probes are an hour away: stop must not wait for them. */
    t0 = registry_now_ms();
    prober_stop(p);
    ck_assert_uint_lt(registry_now_ms() - t0, 1000);
    /* And nothing was probed twice. */
    row = wait_probes(reg, 1, 1, 0);
    ck_assert_uint_eq(row.probes, 1);
    registry_free(reg);
    config_free(&cfg);
}
END_TEST

START_TEST(test_interval_and_reload)
{
    unsigned ports[3];
    int fds[3];
    struct daemon_config cfg, next;
    struct registry *reg;
    struct prober *p;
    struct router_row row;
    uint64_t t0;

    for (int i = 0; i < 3; i++) {
        fds[i] = listen_loopback(&ports[i]);
        close(fds[i]);
    }
    cfg = make_cfg(2, ports, 1, 2000);
    /* Hysteresis 3 keeps the 1 s interval for the first failures. */
    cfg.routers[0].hysteresis = 3;
    cfg.routers[1].hysteresis = 3;
    reg = registry_new(&cfg);
    p = prober_start(reg, &cfg, 2);
    ck_assert_ptr_nonnull(p);

    t0 = registry_now_ms();
    wait_probes(reg, 1, 3, 8000);
    /* Three probes at a 1 s interval take about 2 s, not less. */
    ck_assert_uint_ge(registry_now_ms() - t0, 1800);

    /* Reload: router 1 renamed (kept), router 2 removed, router 3 new. */
    next = make_cfg(3, ports, 1, 2000);
    next.routers[0].hysteresis = 3;
    strcpy(next.routers[0].name, "renamed");
    next.routers[1] = next.routers[2];
    next.n_routers = 2;
    ck_assert_int_eq(registry_apply_config(reg, &next), 0);
    ck_assert_int_eq(prober_apply_config(p, &next), 0);
    row = wait_probes(reg, 3, 1, 8000);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    row = wait_probes(reg, 1, 4, 8000);
    ck_assert_str_eq(row.name, "renamed");
    ck_assert_uint_ge(row.connect_attempts, 4);

    /* An unsorted config is refused. */
    next.routers[1].id = 1;
    ck_assert_int_eq(prober_apply_config(p, &next), -1);
    prober_stop(p);
    registry_free(reg);
    config_free(&cfg);
    config_free(&next);
}
END_TEST

START_TEST(test_stop_waits_for_stuck_probe)
{
    unsigned port;
    /* Listening but never accepting: the TCP handshake completes (the
     * kernel does it) and the SMB negotiate is never answered. */
    int fd = listen_loopback(&port);
    struct daemon_config cfg = make_cfg(1, &port, 3600, 1000);
    struct registry *reg = registry_new(&cfg);
    struct prober *p = prober_start(reg, &cfg, 1);
    const struct snapshot *s;
    uint64_t t0;
    struct router_row row;

    ck_assert_ptr_nonnull(p);
    /* The probe is under way once the row says CONNECTING. */
    t0 = registry_now_ms();
    for (;;) {
        s = registry_snapshot_acquire(reg);
        row = *snapshot_row(s, 0);
        registry_snapshot_release(reg, s);
        if (row.conn_state == MPR_CONN_CONNECTING)
            break;
        ck_assert_uint_lt(registry_now_ms() - t0, 5000);
        sleep_ms(5);
    }
    t0 = registry_now_ms();
    prober_stop(p);
    /* Bounded by the probe's own timeouts (connect, SCM query), not by
     * anything the prober adds. */
    ck_assert_uint_lt(registry_now_ms() - t0, 3 * 1000 + 1500);
    row = wait_probes(reg, 1, 1, 0);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_ne(row.last_error, 0);
    close(fd);
    registry_free(reg);
    config_free(&cfg);
}
END_TEST

/* Wait until router id's row says CONNECTING: its probe is under way. */
static void wait_connecting(struct registry *reg, uint32_t id)
{
    uint64_t t0 = registry_now_ms();

    for (;;) {
        const struct snapshot *s = registry_snapshot_acquire(reg);
        const struct router_row *row = snapshot_find(s, id);
        enum mpr_conn_state st = row != NULL ? row->conn_state : 0;

        registry_snapshot_release(reg, s);
        if (st == MPR_CONN_CONNECTING)
            return;
        ck_assert_uint_lt(registry_now_ms() - t0, 5000);
        sleep_ms(5);
    }
}

/* Reloads that arrive while the router's probe is in flight are kept aside
 * (the pending config) and applied when the probe ends: a new target is
 * probed at once, the stuck probe's result is not shown for it.  A router
 * removed while busy, with a pending config, is freed by its worker
 * (valgrind checks that nothing leaks). */
START_TEST(test_reload_while_busy)
{
    unsigned stuck_port, closed_port;
    int fd = listen_loopback(&stuck_port);
    int closed_fd = listen_loopback(&closed_port);
    struct daemon_config cfg, moved, moved_slower, empty;
    struct registry *reg;
    struct prober *p;
    struct router_row row;

    close(closed_fd);
    cfg = make_cfg(1, &stuck_port, 3600, 1000);
    moved = make_cfg(1, &closed_port, 3600, 1000);
    moved_slower = make_cfg(1, &closed_port, 7200, 1000);
    empty = make_cfg(0, NULL, 3600, 1000);
    reg = registry_new(&cfg);
    p = prober_start(reg, &cfg, 1);
    ck_assert_ptr_nonnull(p);

    wait_connecting(reg, 1);
    ck_assert_int_eq(registry_apply_config(reg, &moved), 0);
    ck_assert_int_eq(prober_apply_config(p, &moved), 0);
    /* A second reload during the same probe replaces the pending one. */
    ck_assert_int_eq(registry_apply_config(reg, &moved_slower), 0);
    ck_assert_int_eq(prober_apply_config(p, &moved_slower), 0);
    row = wait_probes(reg, 1, 1, 8000);
    /* The refused connect, not the stuck one (which waits its 1 s). */
    ck_assert_uint_lt(row.probe_latency_ms, 800);
    ck_assert_uint_eq(row.probes, 1);

    /* Back to the stuck port (probed at once), then, while that probe is
     * in flight, a pending move and a removal. */
    ck_assert_int_eq(registry_apply_config(reg, &cfg), 0);
    ck_assert_int_eq(prober_apply_config(p, &cfg), 0);
    wait_connecting(reg, 1);
    ck_assert_int_eq(prober_apply_config(p, &moved), 0);
    ck_assert_int_eq(registry_apply_config(reg, &empty), 0);
    ck_assert_int_eq(prober_apply_config(p, &empty), 0);
    prober_stop(p);
    close(fd);
    registry_free(reg);
    config_free(&cfg);
    config_free(&moved);
    config_free(&moved_slower);
    config_free(&empty);
}
END_TEST

static Suite *prober_suite(void)
{
    Suite *s = suite_create("prober");
    TCase *tc = tcase_create("prober");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_stop_idle_is_prompt);
    tcase_add_test(tc, test_closed_port);
    tcase_add_test(tc, test_interval_and_reload);
    tcase_add_test(tc, test_stop_waits_for_stuck_probe);
    tcase_add_test(tc, test_reload_while_busy);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(prober_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
