/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_routers.c - the routers on the test's own loop (drive.h) against
 * real sockets on loopback: a closed port (the kernel refuses), and a
 * listener that never answers (the kernel completes the TCP handshake, the
 * SMB negotiate is never answered: a probe stuck until its timeout).  No
 * fake RPC peer is involved.
 *
 * Timing bounds are one-sided where they can be (nothing is probed before
 * it is due, a probe that waits for its timeout cannot end early) and
 * generous where they cannot: the suite also runs under valgrind. */
#include <check.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drive.h"
#include "subagent/routers.h"

/* A listening socket on 127.0.0.1 at a port the kernel picks; the port
 * goes to *port.  Nothing ever accepts on it: connections sit in the
 * backlog, answered by nobody.  Close it at once to get a port where
 * nothing listens (connections refused). */
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
    ck_assert_int_eq(listen(fd, 256), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static unsigned closed_port(void)
{
    unsigned port;

    close(listen_loopback(&port));
    return port;
}

/* n routers, ids 1..n, router i on ports[i] (or all on *ports when
 * one_port).  Hysteresis 100: no verdict is confirmed, so no event and no
 * backoff, unless a test lowers it. */
static struct daemon_config make_cfg_ports(size_t n, const unsigned *ports,
                                           bool one_port, unsigned interval_s,
                                           unsigned timeout_ms)
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
        r->id = (uint32_t)(i + 1);
        snprintf(r->name, sizeof r->name, "r%zu", i + 1);
        strcpy(r->address, "127.0.0.1");
        r->port = one_port ? ports[0] : ports[i];
        r->interval_s = interval_s;
        r->timeout_ms = timeout_ms;
        r->hysteresis = 100;
        r->encryption = MPRMON_ENCRYPTION_OFF;
    }
    return cfg;
}

static struct daemon_config make_cfg(size_t n, unsigned port,
                                     unsigned interval_s, unsigned timeout_ms)
{
    return make_cfg_ports(n, &port, true, interval_s, timeout_ms);
}

/* Apply cfg (which must be accepted) and free what the routers left. */
static void apply(struct routers *r, struct daemon_config *cfg)
{
    ck_assert_int_eq(routers_apply_config(r, cfg, mono_now_ms()), 0);
    ck_assert_ptr_null(cfg->routers);
    config_free(cfg);
}

static struct routers *new_routers(struct daemon_config *cfg)
{
    struct routers *r = routers_new();

    ck_assert_ptr_nonnull(r);
    apply(r, cfg);
    return r;
}

/* One turn of the daemon's loop, at most max_wait ms of waiting: for tests
 * that look at the routers after every routers_process. */
static void turn(struct routers *r, int max_wait)
{
    long wait = routers_next_wakeup_ms(r, mono_now_ms());
    struct pollfd p = {.fd = routers_fd(r, mono_now_ms()), .events = POLLIN};

    if (wait < 0 || wait > max_wait)
        wait = max_wait;
    (void)poll(&p, 1, (int)wait);
    routers_process(r, mono_now_ms());
}

static struct router_row wait_probes(struct routers *r, uint32_t id,
                                     uint32_t probes, unsigned limit_ms)
{
    struct router_row row;

    ck_assert_msg(drive_until_probes(r, id, probes, limit_ms, &row),
                  "router %u: %u probes after %u ms, wanted %u", (unsigned)id,
                  (unsigned)row.probes, limit_ms, (unsigned)probes);
    return row;
}

/* Drive until router id's row says CONNECTING: its probe is under way. */
static void wait_connecting(struct routers *r, uint32_t id, unsigned limit_ms)
{
    uint64_t end = mono_now_ms() + limit_ms;

    while (drive_row(r, id).conn_state != MPR_CONN_CONNECTING) {
        ck_assert_msg(mono_now_ms() < end, "router %u not probed in %u ms",
                      (unsigned)id, limit_ms);
        turn(r, 20);
    }
}

static size_t table_size(struct routers *r)
{
    const struct snapshot *s = routers_snapshot(r);
    size_t n = snapshot_size(s);

    snapshot_release(s);
    return n;
}

/* ---- basics ---- */

START_TEST(test_free_idle_is_prompt)
{
    struct daemon_config cfg = make_cfg(0, 445, 30, 1000);
    struct routers *r = new_routers(&cfg);
    uint64_t t0;

    ck_assert_int_ge(routers_fd(r, mono_now_ms()), 0);
    ck_assert_int_eq(routers_next_wakeup_ms(r, mono_now_ms()), -1);
    ck_assert_uint_eq(table_size(r), 0);
    drive_for(r, 50);
    ck_assert_uint_eq(routers_in_flight(r), 0);
    t0 = mono_now_ms();
    routers_free(r);
    ck_assert_uint_lt(mono_now_ms() - t0, 500);
    routers_free(NULL);
}
END_TEST

START_TEST(test_closed_port)
{
    unsigned ports[2] = {closed_port(), closed_port()};
    /* 2 s interval: the second router's first probe is due after 1 s. */
    struct daemon_config cfg = make_cfg_ports(2, ports, false, 2, 3000);
    struct routers *r;
    struct router_row row;
    struct router_event ev[4];
    uint64_t t0;

    cfg.routers[0].hysteresis = 1;
    cfg.routers[1].hysteresis = 1;
    cfg.routers[0].interval_s = 3600; /* the first is due at once anyway */
    r = new_routers(&cfg);
    for (uint32_t id = 1; id <= 2; id++) {
        row = wait_probes(r, id, 1, 10000);
        ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
        ck_assert_msg(row.last_error == RPC_S_SERVER_UNAVAILABLE,
                      "last_error %u (%s)", (unsigned)row.last_error,
                      MprmonErrorName(row.last_error));
        ck_assert_int_eq(row.service_state, MPR_SVC_UNKNOWN);
        ck_assert_uint_eq(row.probes, 1);
        ck_assert_uint_eq(row.connect_attempts, 1);
        ck_assert_uint_eq(row.connect_failures, 1);
        ck_assert(!row.info_valid);
        ck_assert_uint_gt(row.last_probe_ms, 0);
        ck_assert_uint_eq(row.last_change_ms, row.last_probe_ms);
        /* Refused: far quicker than the 3 s timeout. */
        ck_assert_uint_lt(row.probe_latency_ms, 1500);
    }
    ck_assert_uint_eq(routers_in_flight(r), 0);
    /* Hysteresis 1 and bad news at start: one notification each, in the
     * order the probes ended. */
    ck_assert_uint_eq(routers_take_events(r, ev, 4), 2);
    ck_assert_int_eq(ev[0].kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(ev[1].kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_uint_eq(ev[0].row.id, 1);
    ck_assert_uint_eq(ev[1].row.id, 2);
    ck_assert_int_eq(ev[1].row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(ev[1].row.last_error, RPC_S_SERVER_UNAVAILABLE);
    ck_assert_uint_eq(routers_take_events(r, ev, 4), 0);
    ck_assert_uint_eq(routers_events_dropped(r), 0);
    /* Nothing is due before the next interval. */
    ck_assert_int_gt(routers_next_wakeup_ms(r, mono_now_ms()), 0);

    /* Idle until then: free must not wait for the next probes. */
    t0 = mono_now_ms();
    routers_free(r);
    ck_assert_uint_lt(mono_now_ms() - t0, 1000);
}
END_TEST

/* ---- interval and reloads ---- */

START_TEST(test_interval_and_reload)
{
    unsigned ports[4] = {closed_port(), closed_port(), closed_port(),
                         closed_port()};
    struct daemon_config cfg = make_cfg_ports(3, ports, false, 1, 2000);
    struct daemon_config next;
    const struct snapshot *before;
    struct routers *r;
    struct router_row row;
    uint64_t t0 = mono_now_ms();
    uint32_t kept_probes;

    r = new_routers(&cfg);
    row = wait_probes(r, 1, 3, 10000);
    /* Three probes at a 1 s interval take 2 s, not less. */
    ck_assert_uint_ge(mono_now_ms() - t0, 2000);
    ck_assert_uint_ge(row.last_probe_ms - t0, 2000);
    wait_probes(r, 2, 1, 10000);
    wait_probes(r, 3, 1, 10000);
    kept_probes = drive_row(r, 1).probes;

    /* Reload: router 1 renamed (kept), router 2 moved to another port
     * (retargeted), router 3 removed, router 4 new. */
    before = routers_snapshot(r);
    next = make_cfg_ports(4, ports, false, 1, 2000);
    strcpy(next.routers[0].name, "renamed");
    next.routers[1].port = ports[3];
    next.routers[2] = next.routers[3];
    next.n_routers = 3;
    apply(r, &next);

    /* The snapshot taken before is unchanged. */
    ck_assert_uint_eq(snapshot_size(before), 3);
    ck_assert_uint_eq(snapshot_row(before, 2)->id, 3);
    ck_assert_str_eq(snapshot_row(before, 0)->name, "r1");
    ck_assert_uint_gt(snapshot_row(before, 1)->probes, 0);
    snapshot_release(before);

    ck_assert_uint_eq(table_size(r), 3);
    row = drive_row(r, 1);
    ck_assert_str_eq(row.name, "renamed");
    ck_assert_uint_ge(row.probes, kept_probes);
    ck_assert_uint_ge(row.connect_attempts, kept_probes);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    row = drive_row(r, 2);
    ck_assert_uint_eq(row.probes, 0);
    ck_assert_uint_eq(row.connect_attempts, 0);
    ck_assert_uint_eq(row.connect_failures, 0);
    ck_assert_uint_eq(row.last_probe_ms, 0);
    ck_assert_int_eq(row.conn_state, MPR_CONN_DISCONNECTED);
    row = drive_row(r, 4);
    ck_assert_uint_eq(row.probes, 0);

    row = wait_probes(r, 4, 1, 8000);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    row = wait_probes(r, 2, 1, 8000);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_uint_eq(row.connect_attempts, row.probes);
    row = wait_probes(r, 1, kept_probes + 2, 8000);
    ck_assert_str_eq(row.name, "renamed");
    ck_assert_uint_ge(row.connect_attempts, kept_probes + 2);
    routers_free(r);
}
END_TEST

/* A kept router whose interval a reload shortens is due within the new
 * interval, not at the end of the old one. */
START_TEST(test_shorter_interval_now)
{
    unsigned port = closed_port();
    struct daemon_config cfg = make_cfg(1, port, 3600, 2000);
    struct routers *r = new_routers(&cfg);
    struct router_row row;
    uint64_t t0;

    row = wait_probes(r, 1, 1, 5000);
    drive_for(r, 300);
    ck_assert_uint_eq(drive_row(r, 1).probes, 1);
    ck_assert_int_gt(routers_next_wakeup_ms(r, mono_now_ms()), 3000000);
    cfg = make_cfg(1, port, 1, 2000);
    t0 = mono_now_ms();
    apply(r, &cfg);
    row = wait_probes(r, 1, 2, 5000);
    /* Kept: the counters go on. */
    ck_assert_uint_eq(row.connect_attempts, 2);
    ck_assert_uint_ge(row.last_probe_ms - t0, 1000);
    routers_free(r);
}
END_TEST

/* ---- probes that wait for their timeout ---- */

START_TEST(test_stuck_probe_times_out)
{
    unsigned port;
    int fd = listen_loopback(&port);
    struct daemon_config cfg = make_cfg(1, port, 3600, 2000);
    struct routers *r = new_routers(&cfg);
    struct router_row row;

    wait_connecting(r, 1, 5000);
    ck_assert_uint_eq(routers_in_flight(r), 1);
    /* Nothing more can start: no wakeup but the completion. */
    drive_for(r, 1000);
    ck_assert_uint_eq(drive_row(r, 1).probes, 0);
    ck_assert_uint_eq(routers_in_flight(r), 1);
    row = wait_probes(r, 1, 1, 8000);
    ck_assert_uint_eq(routers_in_flight(r), 0);
    /* Ended by its timeout: not before, and not much after. */
    ck_assert_msg(row.probe_latency_ms >= 1800 && row.probe_latency_ms <= 2800,
                  "latency %u ms for a 2000 ms timeout",
                  (unsigned)row.probe_latency_ms);
    ck_assert_int_eq(row.conn_state, MPR_CONN_FAILED);
    ck_assert_msg(row.last_error == RPC_S_SERVER_UNAVAILABLE,
                  "last_error %u (%s)", (unsigned)row.last_error,
                  MprmonErrorName(row.last_error));
    ck_assert_uint_eq(row.connect_attempts, 1);
    ck_assert_uint_eq(row.connect_failures, 1);
    routers_free(r);
    close(fd);
}
END_TEST

START_TEST(test_free_with_probe_in_flight)
{
    unsigned port;
    int fd = listen_loopback(&port);
    struct daemon_config cfg = make_cfg(3, port, 3600, 20000);
    struct routers *r;
    uint64_t t0;

    cfg.routers[0].interval_s = 1; /* k-th of 3 due after k/3 s */
    cfg.routers[1].interval_s = 1;
    cfg.routers[2].interval_s = 1;
    r = new_routers(&cfg);
    for (uint32_t id = 1; id <= 3; id++)
        wait_connecting(r, id, 5000);
    ck_assert_uint_eq(routers_in_flight(r), 3);
    t0 = mono_now_ms();
    routers_free(r);
    /* Without waiting for the 20 s timeouts. */
    ck_assert_uint_lt(mono_now_ms() - t0, 3000);
    close(fd);
}
END_TEST

/* Reloads while the router's probe is in flight: a retargeted router drops
 * the probe at once and starts afresh, and the dropped probe's end shows
 * nowhere; a kept one (renamed) lets it finish; a removed one is freed with
 * its probe in flight (valgrind checks that nothing is touched after). */
START_TEST(test_reload_while_busy)
{
    unsigned stuck_port, stuck2_port, closed = closed_port();
    int fd = listen_loopback(&stuck_port);
    int fd2 = listen_loopback(&stuck2_port);
    struct daemon_config cfg;
    struct routers *r;
    struct router_row row;

    cfg = make_cfg(1, stuck_port, 3600, 1500);
    r = new_routers(&cfg);
    wait_connecting(r, 1, 5000);
    ck_assert_uint_eq(routers_in_flight(r), 1);

    /* Retarget to the refusing port, and a second reload (longer interval:
     * kept) before the loop turns. */
    cfg = make_cfg(1, closed, 3600, 1500);
    apply(r, &cfg);
    ck_assert_uint_eq(routers_in_flight(r), 0);
    row = drive_row(r, 1);
    ck_assert_int_eq(row.conn_state, MPR_CONN_DISCONNECTED);
    ck_assert_uint_eq(row.probes, 0);
    cfg = make_cfg(1, closed, 7200, 1500);
    apply(r, &cfg);
    row = wait_probes(r, 1, 1, 5000);
    /* The refused connect, not the stuck one (which waits its 1.5 s). */
    ck_assert_uint_lt(row.probe_latency_ms, 1000);
    ck_assert_uint_eq(row.last_error, RPC_S_SERVER_UNAVAILABLE);
    /* Past the stuck probe's deadline: nothing of it arrives. */
    drive_for(r, 2500);
    row = drive_row(r, 1);
    ck_assert_uint_eq(row.probes, 1);
    ck_assert_uint_eq(row.connect_attempts, 1);
    ck_assert_uint_lt(row.probe_latency_ms, 1000);
    ck_assert_uint_eq(routers_in_flight(r), 0);

    /* Back to a stuck port, then, while that probe is in flight, to
     * another stuck port with a longer timeout: when the first one's
     * deadline passes, the new probe is still waiting. */
    cfg = make_cfg(1, stuck_port, 3600, 1500);
    apply(r, &cfg);
    wait_connecting(r, 1, 5000);
    cfg = make_cfg(1, stuck2_port, 3600, 4000);
    apply(r, &cfg);
    drive_for(r, 2500);
    row = drive_row(r, 1);
    ck_assert_uint_eq(row.probes, 0);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTING);
    ck_assert_uint_eq(routers_in_flight(r), 1);
    row = wait_probes(r, 1, 1, 8000);
    ck_assert_uint_ge(row.probe_latency_ms, 3600);
    ck_assert_uint_eq(row.connect_attempts, 1);
    ck_assert_uint_eq(routers_in_flight(r), 0);

    /* Kept while busy (renamed): the probe goes on and is recorded. */
    cfg = make_cfg(1, stuck_port, 3600, 1500);
    apply(r, &cfg);
    wait_connecting(r, 1, 5000);
    cfg = make_cfg(1, stuck_port, 3600, 1500);
    strcpy(cfg.routers[0].name, "renamed");
    apply(r, &cfg);
    ck_assert_uint_eq(routers_in_flight(r), 1);
    row = wait_probes(r, 1, 1, 5000);
    ck_assert_str_eq(row.name, "renamed");
    ck_assert_uint_ge(row.probe_latency_ms, 1350);
    ck_assert_uint_eq(routers_in_flight(r), 0);

    /* Removed while busy. */
    cfg = make_cfg(1, stuck2_port, 3600, 1500);
    apply(r, &cfg);
    wait_connecting(r, 1, 5000);
    cfg = make_cfg(0, 445, 3600, 1500);
    apply(r, &cfg);
    ck_assert_uint_eq(routers_in_flight(r), 0);
    ck_assert_uint_eq(table_size(r), 0);
    ck_assert_int_eq(routers_next_wakeup_ms(r, mono_now_ms()), -1);
    drive_for(r, 2500);
    ck_assert_uint_eq(routers_in_flight(r), 0);
    ck_assert_uint_eq(table_size(r), 0);
    routers_free(r);
    close(fd);
    close(fd2);
}
END_TEST

/* ---- concurrency ---- */

/* Turn the loop for ms, checking in_flight after every turn; returns the
 * most seen. */
static size_t watch_in_flight(struct routers *r, unsigned ms, size_t limit)
{
    uint64_t end = mono_now_ms() + ms;
    size_t most = 0;

    while (mono_now_ms() < end) {
        size_t n;

        turn(r, 20);
        n = routers_in_flight(r);
        ck_assert_msg(n <= limit, "%zu probes in flight, limit %zu", n,
                      limit);
        if (n > most)
            most = n;
    }
    return most;
}

START_TEST(test_concurrency)
{
    enum { N = 8 };
    unsigned port;
    int fd = listen_loopback(&port);
    /* 1 s interval, 1.5 s probes: always more due than slots. */
    struct daemon_config cfg = make_cfg(N, port, 1, 1500);
    struct routers *r;
    uint64_t end;
    size_t most = 0;
    bool all;

    cfg.max_concurrency = 3;
    r = new_routers(&cfg);
    end = mono_now_ms() + 30000;
    do {
        size_t n = watch_in_flight(r, 200, 3);
        most = n > most ? n : most;
        all = true;
        for (uint32_t id = 1; id <= N; id++)
            all = all && drive_row(r, id).probes >= 1;
    } while (!all && mono_now_ms() < end);
    ck_assert_msg(all, "not every router was probed");
    ck_assert_uint_eq(most, 3);
    for (uint32_t id = 1; id <= N; id++) {
        struct router_row row = drive_row(r, id);
        if (row.probes == 0)
            continue;
        ck_assert_uint_ge(row.probe_latency_ms, 1350);
        ck_assert_uint_eq(row.last_error, RPC_S_SERVER_UNAVAILABLE);
    }

    /* More slots: used at once (every router is overdue). */
    cfg = make_cfg(N, port, 1, 1500);
    cfg.max_concurrency = 5;
    apply(r, &cfg);
    ck_assert_uint_eq(watch_in_flight(r, 1500, 5), 5);
    ck_assert_uint_eq(watch_in_flight(r, 1500, 5), 5);

    /* Fewer: the probes in flight end (1.5 s), then never more than 2. */
    cfg = make_cfg(N, port, 1, 1500);
    cfg.max_concurrency = 2;
    apply(r, &cfg);
    (void)watch_in_flight(r, 2500, 5);
    ck_assert_uint_eq(watch_in_flight(r, 2000, 2), 2);
    routers_free(r);
    close(fd);
}
END_TEST

/* ---- completions in batches ---- */

static uint32_t total_probes(struct routers *r)
{
    const struct snapshot *s = routers_snapshot(r);
    uint32_t n = 0;

    for (size_t i = 0; i < snapshot_size(s); i++)
        n += snapshot_row(s, i)->probes;
    snapshot_release(s);
    return n;
}

/* Routers refused at once finish steps far faster than the loop needs to
 * hear of them: after a turn that took some, the descriptor is left alone
 * (-1) until the batch time has passed, and the wakeup says when. */
START_TEST(test_completions_in_batches)
{
    enum { N = 16 };
    struct daemon_config cfg = make_cfg(N, closed_port(), 1, 3000);
    struct routers *r;
    uint64_t end;
    unsigned held = 0;

    cfg.max_concurrency = 4;
    cfg.first_probes_at_once = true;
    r = new_routers(&cfg);
    end = mono_now_ms() + 2500;
    while (mono_now_ms() < end) {
        uint32_t before = total_probes(r);
        long wait = routers_next_wakeup_ms(r, mono_now_ms());
        struct pollfd p = {.fd = routers_fd(r, mono_now_ms()),
                           .events = POLLIN};
        uint64_t now;

        (void)poll(&p, 1, wait < 0 || wait > 50 ? 50 : (int)wait);
        /* The turn's own clock: a loaded machine may take longer than a
         * batch between here and the checks below. */
        now = mono_now_ms();
        routers_process(r, now);
        if (total_probes(r) == before || routers_in_flight(r) == 0)
            continue;
        /* Probes ended in this turn and others are still running. */
        ck_assert_int_eq(routers_fd(r, now), -1);
        ck_assert_int_le(routers_next_wakeup_ms(r, now),
                         ROUTERS_COMPLETION_BATCH_MS);
        ck_assert_int_ge(routers_fd(r, now + ROUTERS_COMPLETION_BATCH_MS), 0);
        held++;
    }
    ck_assert_uint_gt(held, 0);
    /* Nothing is lost by waiting: every router probed in each interval. */
    for (uint32_t id = 1; id <= N; id++)
        ck_assert_uint_ge(drive_row(r, id).probes, 2);
    routers_free(r);
}
END_TEST

/* ---- start-up spread ---- */

START_TEST(test_startup_spread)
{
    enum { N = 10 };
    unsigned port = closed_port();
    struct daemon_config cfg = make_cfg(N, port, 2, 1000);
    struct routers *r = routers_new();
    uint64_t first[N + 1] = {0}, t0 = mono_now_ms(), end = t0 + 15000;
    uint64_t lo = UINT64_MAX, hi = 0;
    size_t seen = 0, early = 0;

    ck_assert_ptr_nonnull(r);
    cfg.max_concurrency = N;
    ck_assert_int_eq(routers_apply_config(r, &cfg, t0), 0);
    config_free(&cfg);
    /* Each router's first probe, caught on the turn it ends. */
    while (seen < N) {
        const struct snapshot *s;

        ck_assert_msg(mono_now_ms() < end, "%zu of %d routers probed", seen,
                      N);
        turn(r, 10);
        s = routers_snapshot(r);
        for (size_t i = 0; i < snapshot_size(s); i++) {
            const struct router_row *row = snapshot_row(s, i);
            if (row->probes == 1 && first[row->id] == 0) {
                first[row->id] = row->last_probe_ms;
                seen++;
            }
        }
        snapshot_release(s);
    }
    routers_free(r);
    for (uint32_t id = 1; id <= N; id++) {
        uint64_t due = t0 + 2000u * (id - 1) / N;
        /* Never before its due time, and not long after. */
        ck_assert_msg(first[id] >= due && first[id] < due + 1500,
                      "router %u: first probe at +%u ms, due at +%u ms",
                      (unsigned)id, (unsigned)(first[id] - t0),
                      (unsigned)(due - t0));
        if (first[id] - t0 < 100)
            early++;
        lo = first[id] < lo ? first[id] : lo;
        hi = first[id] > hi ? first[id] : hi;
    }
    ck_assert_uint_le(early, 1);
    ck_assert_uint_ge(hi - lo, 1500);
}
END_TEST

/* ---- events ---- */

START_TEST(test_event_queue_bound)
{
    enum { N = 1100 };
    unsigned port = closed_port();
    struct daemon_config cfg = make_cfg(N, port, 2, 5000);
    struct routers *r;
    struct router_event *ev = calloc(N, sizeof *ev);
    uint64_t end, last_first = 0;
    size_t n, probed = 0;

    ck_assert_ptr_nonnull(ev);
    cfg.max_concurrency = 256;
    for (size_t i = 0; i < N; i++)
        cfg.routers[i].hysteresis = 1;
    r = new_routers(&cfg);
    end = mono_now_ms() + 60000;
    do {
        const struct snapshot *s;

        ck_assert_msg(mono_now_ms() < end, "only %zu of %d probed", probed, N);
        drive_for(r, 100);
        ck_assert_uint_le(routers_in_flight(r), 256);
        s = routers_snapshot(r);
        probed = 0;
        last_first = 0;
        for (size_t i = 0; i < snapshot_size(s); i++) {
            const struct router_row *row = snapshot_row(s, i);
            probed += row->probes > 0;
            /* The last first probe to end: its router is not due again
             * for 2 s. */
            if (row->probes == 1 && row->last_probe_ms > last_first)
                last_first = row->last_probe_ms;
        }
        snapshot_release(s);
    } while (probed < N);

    /* One CONNECT_FAILED per router; the queue kept the newest. */
    ck_assert_uint_eq(routers_events_dropped(r), N - ROUTERS_EVENT_QUEUE_MAX);
    n = routers_take_events(r, ev, 10);
    ck_assert_uint_eq(n, 10);
    n += routers_take_events(r, ev + n, N);
    ck_assert_uint_eq(n, ROUTERS_EVENT_QUEUE_MAX);
    ck_assert_uint_eq(routers_take_events(r, ev, N), 0);
    /* The oldest were dropped, not the newest. */
    ck_assert_uint_eq(ev[n - 1].row.last_probe_ms, last_first);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(ev[i].kind, ROUTER_EVENT_CONNECT_FAILED);
        ck_assert_int_eq(ev[i].row.conn_state, MPR_CONN_FAILED);
        ck_assert_uint_eq(ev[i].row.probes, 1);
        /* Oldest first. */
        if (i > 0)
            ck_assert_uint_ge(ev[i].row.last_probe_ms,
                              ev[i - 1].row.last_probe_ms);
    }
    /* Confirmed unreachable: later failures are no news. */
    drive_for(r, 2500);
    ck_assert_uint_eq(routers_take_events(r, ev, N), 0);
    ck_assert_uint_eq(routers_events_dropped(r), N - ROUTERS_EVENT_QUEUE_MAX);
    routers_free(r);
    free(ev);
}
END_TEST

/* ---- the table ---- */

/* Rows are sorted by id, whatever the ids; a reload that inserts a router
 * in the middle moves the others' rows, and their results follow them. */
START_TEST(test_table_sorted)
{
    static const uint32_t ids[4] = {5, 17, 300, 4000};
    unsigned closed = closed_port(), stuck;
    int fd = listen_loopback(&stuck);
    struct daemon_config cfg = make_cfg(4, closed, 1, 1000), next;
    const struct snapshot *s;
    struct routers *r;
    struct router_row row;
    uint32_t p17;

    for (size_t i = 0; i < 4; i++) {
        cfg.routers[i].id = ids[i];
        snprintf(cfg.routers[i].name, sizeof cfg.routers[i].name, "id%u",
                 (unsigned)ids[i]);
    }
    next = cfg;
    next.routers = calloc(5, sizeof *next.routers);
    ck_assert_ptr_nonnull(next.routers);
    next.n_routers = 5;
    next.routers[0] = cfg.routers[0];
    next.routers[1] = cfg.routers[0];
    next.routers[1].id = 10;
    next.routers[1].port = stuck; /* in flight for 20 s */
    next.routers[1].timeout_ms = 20000;
    strcpy(next.routers[1].name, "id10");
    memcpy(&next.routers[2], &cfg.routers[1], 3 * sizeof *next.routers);

    r = new_routers(&cfg);
    s = routers_snapshot(r);
    ck_assert_uint_eq(snapshot_size(s), 4);
    for (size_t i = 0; i < 4; i++) {
        ck_assert_uint_eq(snapshot_row(s, i)->id, ids[i]);
        ck_assert_str_eq(snapshot_row(s, i)->address, "127.0.0.1");
    }
    ck_assert_str_eq(snapshot_row(s, 3)->name, "id4000");
    snapshot_release(s);
    wait_probes(r, 17, 1, 5000);
    wait_probes(r, 4000, 1, 5000);

    apply(r, &next);
    s = routers_snapshot(r);
    ck_assert_uint_eq(snapshot_size(s), 5);
    for (size_t i = 1; i < 5; i++)
        ck_assert_uint_gt(snapshot_row(s, i)->id, snapshot_row(s, i - 1)->id);
    ck_assert_uint_eq(snapshot_row(s, 1)->id, 10);
    ck_assert_uint_eq(snapshot_row(s, 1)->probes, 0);
    ck_assert_uint_eq(snapshot_row(s, 2)->id, 17);
    ck_assert_str_eq(snapshot_row(s, 2)->name, "id17");
    ck_assert_uint_ge(snapshot_row(s, 2)->probes, 1);
    p17 = snapshot_row(s, 2)->probes;
    snapshot_release(s);

    /* Router 17's next results land in its row, not in router 10's (whose
     * probe is still waiting). */
    row = wait_probes(r, 17, p17 + 2, 8000);
    ck_assert_uint_eq(row.connect_attempts, row.probes);
    wait_probes(r, 4000, 2, 8000);
    row = drive_row(r, 10);
    ck_assert_uint_eq(row.probes, 0);
    ck_assert_uint_eq(row.connect_attempts, 0);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTING);
    routers_free(r);
    close(fd);
}
END_TEST

/* A config whose routers are not sorted by strictly increasing id is
 * refused, and nothing changes. */
START_TEST(test_unsorted_refused)
{
    unsigned port = closed_port();
    struct daemon_config cfg = make_cfg(2, port, 3600, 1000), bad;
    struct routers *r = new_routers(&cfg);
    struct router_row row;
    const struct snapshot *s;

    row = wait_probes(r, 1, 1, 5000);
    ck_assert_uint_eq(drive_row(r, 2).probes, 0); /* due in 30 min */

    bad = make_cfg(3, closed_port(), 1, 1000);
    bad.routers[0].id = 7;
    bad.routers[1].id = 1;
    bad.routers[2].id = 9;
    bad.max_concurrency = 1;
    ck_assert_int_eq(routers_apply_config(r, &bad, mono_now_ms()), -1);
    ck_assert_ptr_nonnull(bad.routers); /* not taken */
    ck_assert_uint_eq(bad.n_routers, 3);
    bad.routers[1].id = 7; /* a duplicate is no better */
    ck_assert_int_eq(routers_apply_config(r, &bad, mono_now_ms()), -1);
    ck_assert_ptr_nonnull(bad.routers);
    config_free(&bad);
    bad = make_cfg(0, port, 1, 1000);
    free(bad.routers);
    bad.routers = NULL;
    bad.n_routers = 2; /* routers missing */
    ck_assert_int_eq(routers_apply_config(r, &bad, mono_now_ms()), -1);

    s = routers_snapshot(r);
    ck_assert_uint_eq(snapshot_size(s), 2);
    ck_assert_uint_eq(snapshot_row(s, 0)->id, 1);
    ck_assert_uint_eq(snapshot_row(s, 1)->id, 2);
    ck_assert_uint_eq(snapshot_row(s, 0)->probes, 1);
    ck_assert_uint_eq(snapshot_row(s, 0)->last_probe_ms, row.last_probe_ms);
    snapshot_release(s);
    /* The old 1 h interval still holds: nothing probed again. */
    drive_for(r, 1500);
    ck_assert_uint_eq(drive_row(r, 1).probes, 1);
    ck_assert_uint_eq(drive_row(r, 2).probes, 0);
    ck_assert_int_gt(routers_next_wakeup_ms(r, mono_now_ms()), 60000);
    routers_free(r);
}
END_TEST

static Suite *routers_suite(void)
{
    Suite *s = suite_create("routers");
    TCase *tc = tcase_create("loopback");
    TCase *big = tcase_create("fleet");

    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, test_free_idle_is_prompt);
    tcase_add_test(tc, test_closed_port);
    tcase_add_test(tc, test_interval_and_reload);
    tcase_add_test(tc, test_shorter_interval_now);
    tcase_add_test(tc, test_stuck_probe_times_out);
    tcase_add_test(tc, test_free_with_probe_in_flight);
    tcase_add_test(tc, test_reload_while_busy);
    tcase_add_test(tc, test_concurrency);
    tcase_add_test(tc, test_completions_in_batches);
    tcase_add_test(tc, test_startup_spread);
    tcase_add_test(tc, test_table_sorted);
    tcase_add_test(tc, test_unsorted_refused);
    suite_add_tcase(s, tc);
    tcase_set_timeout(big, 180);
    tcase_add_test(big, test_event_queue_bound);
    suite_add_tcase(s, big);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(routers_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
