/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_routers_rras.c - the routers, on the test's own loop (drive.h),
 * against the RRAS test peer (tests/peers/rras_peer.py: impacket's SMB
 * server with DIMSVC and SCMR).
 *
 * Run by test_routers_rras.sh, which starts the peer and exports
 * RRAS_R1_PORT, RRAS_R1_AUTHFILE, RRAS_R1_STATEFILE; without them the test
 * is skipped (77).  The service is stopped and started through the peer's
 * state file, as rras_peer_set_service does. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drive.h"
#include "subagent/routers.h"

static const char *peer_port, *peer_auth, *peer_state, *tmpdir;

static void set_service(const char *state)
{
    char tmp[1024];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.new", peer_state);
    f = fopen(tmp, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", state);
    ck_assert_int_eq(fclose(f), 0);
    /* Replace, not rewrite: the peer never reads a half-written file. */
    ck_assert_int_eq(rename(tmp, peer_state), 0);
}

/* An auth file for the peer's account with a wrong password. */
static void write_bad_auth(char *path, size_t len)
{
    int fd;
    static const char text[] = "username = rrasadmin\n"
                               "password = not-the-password\n"
                               "domain = WORKGROUP\n";

    snprintf(path, len, "%s/bad.auth", tmpdir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, sizeof text - 1),
                     (ssize_t)(sizeof text - 1));
    close(fd);
}

static struct router_row wait_probes(struct routers *r, uint32_t id,
                                     uint32_t probes, unsigned limit_ms)
{
    struct router_row row;

    ck_assert_msg(drive_until_probes(r, id, probes, limit_ms, &row),
                  "router %u: %u probes in %u ms, wanted %u", (unsigned)id,
                  (unsigned)row.probes, limit_ms, (unsigned)probes);
    return row;
}

/* Run the loop until there is an event, which must be router id's; fails
 * after limit_ms. */
static struct router_event wait_event(struct routers *r, uint32_t id,
                                      unsigned limit_ms)
{
    uint64_t end = mono_now_ms() + limit_ms;
    struct router_event ev;

    while (routers_take_events(r, &ev, 1) == 0) {
        ck_assert_msg(mono_now_ms() < end, "no event within %u ms",
                      limit_ms);
        drive_for(r, 20);
    }
    ck_assert_uint_eq(ev.row.id, id);
    return ev;
}

static struct routers *start_routers(struct daemon_config *cfg)
{
    struct routers *r = routers_new();

    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(routers_apply_config(r, cfg, mono_now_ms()), 0);
    config_free(cfg);
    return r;
}

START_TEST(test_probe_rras_peer)
{
    struct daemon_config cfg;
    struct routers *r;
    struct router_row row;
    struct router_event ev;
    char bad_auth[1024];

    write_bad_auth(bad_auth, sizeof bad_auth);
    memset(&cfg, 0, sizeof cfg);
    cfg.max_concurrency = 2;
    cfg.routers = calloc(2, sizeof *cfg.routers);
    ck_assert_ptr_nonnull(cfg.routers);
    cfg.n_routers = 2;
    for (size_t i = 0; i < 2; i++) {
        struct router_config *c = &cfg.routers[i];
        c->id = (uint32_t)(i + 1);
        snprintf(c->name, sizeof c->name, "peer%zu", i + 1);
        strcpy(c->address, "127.0.0.1");
        c->port = (unsigned)atoi(peer_port);
        c->interval_s = 1;
        c->timeout_ms = 5000;
        c->hysteresis = 2;
        c->encryption = MPRMON_ENCRYPTION_OFF;
    }
    /* Both outlive the routers, which is all a router_config asks. */
    cfg.routers[0].auth_file = peer_auth;
    cfg.routers[1].auth_file = bad_auth;

    r = start_routers(&cfg);

    /* Up: one connect, the handle kept for the following probes. */
    row = wait_probes(r, 1, 3, 20000);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(row.service_state, MPR_SVC_RUNNING);
    ck_assert_msg(row.last_error == 0, "last_error %u (%s)",
                  (unsigned)row.last_error, MprmonErrorName(row.last_error));
    ck_assert(row.info_valid);
    ck_assert_uint_eq(row.total_ports, 8);
    ck_assert_uint_eq(row.ports_in_use, 3);
    ck_assert_uint_eq(row.connect_attempts, 1);
    ck_assert_uint_eq(row.connect_failures, 0);

    /* The wrong password: refused, notified once confirmed. */
    ev = wait_event(r, 2, 20000);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(ev.row.conn_state, MPR_CONN_FAILED);
    ck_assert_msg(ev.row.last_error == ERROR_ACCESS_DENIED,
                  "last_error %u (%s)", (unsigned)ev.row.last_error,
                  MprmonErrorName(ev.row.last_error));
    ck_assert_uint_ge(ev.row.connect_failures, 2);

    /* RemoteAccess stops: SERVICE_DOWN after two agreeing probes. */
    set_service("stopped");
    ev = wait_event(r, 1, 20000);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_SERVICE_DOWN);
    ck_assert_int_eq(ev.row.service_state, MPR_SVC_STOPPED);
    ck_assert(!ev.row.info_valid);

    /* And starts again: SERVICE_UP, with a fresh connection. */
    set_service("running");
    ev = wait_event(r, 1, 20000);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_SERVICE_UP);
    ck_assert_int_eq(ev.row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(ev.row.service_state, MPR_SVC_RUNNING);
    ck_assert(ev.row.info_valid);
    ck_assert_uint_ge(ev.row.connect_attempts, 2);

    /* Nothing else was notified (router 2 stays failed: no repeat). */
    ck_assert_uint_eq(routers_take_events(r, &ev, 1), 0);
    ck_assert_uint_eq(routers_events_dropped(r), 0);
    routers_free(r);
}
END_TEST

/* A router config for peer NAME (r2, r3) from its exported variables. */
static int peer_router(const char *name, uint32_t id, struct router_config *r)
{
    char var[64];
    const char *port, *auth;

    snprintf(var, sizeof var, "RRAS_%s_PORT", name);
    port = getenv(var);
    snprintf(var, sizeof var, "RRAS_%s_AUTHFILE", name);
    auth = getenv(var);
    if (port == NULL || auth == NULL)
        return -1;
    memset(r, 0, sizeof *r);
    r->id = id;
    snprintf(r->name, sizeof r->name, "%s", name);
    strcpy(r->address, "127.0.0.1");
    r->port = (unsigned)atoi(port);
    r->auth_file = auth; /* the environment outlives the test */
    r->interval_s = 1;
    r->timeout_ms = 5000;
    r->hysteresis = 2;
    r->encryption = MPRMON_ENCRYPTION_OFF;
    return 0;
}

/* Peers that answer in the less common ways: an SCM that refuses us (as
 * Samba's does for non-administrators), and a server without RRAS's pipe. */
START_TEST(test_scm_denied_and_no_router)
{
    struct daemon_config cfg;
    struct routers *r;
    struct router_row row;
    struct router_event ev;

    memset(&cfg, 0, sizeof cfg);
    cfg.max_concurrency = 2;
    cfg.routers = calloc(2, sizeof *cfg.routers);
    ck_assert_ptr_nonnull(cfg.routers);
    cfg.n_routers = 2;
    if (peer_router("R2", 2, &cfg.routers[0]) ||
        peer_router("R3", 3, &cfg.routers[1])) {
        config_free(&cfg);
        ck_abort_msg("peers r2 and r3 are not running");
    }
    r = start_routers(&cfg);

    /* SCM denied but DIMSVC bound: the router is up, the SCM's answer is
     * shown, the level-0 info is read, nothing is notified. */
    row = wait_probes(r, 2, 3, 20000);
    ck_assert_int_eq(row.conn_state, MPR_CONN_CONNECTED);
    ck_assert_int_eq(row.service_state, MPR_SVC_ACCESS_DENIED);
    ck_assert(row.info_valid);
    ck_assert_uint_eq(row.connect_attempts, 1);

    /* No ROUTER pipe while the SCM says running: DIMSVC is unreachable. */
    ev = wait_event(r, 3, 20000);
    ck_assert_int_eq(ev.kind, ROUTER_EVENT_CONNECT_FAILED);
    ck_assert_int_eq(ev.row.conn_state, MPR_CONN_FAILED);
    ck_assert_int_eq(ev.row.service_state, MPR_SVC_RUNNING);
    ck_assert_msg(ev.row.last_error == RPC_S_UNKNOWN_IF, "last_error %u (%s)",
                  (unsigned)ev.row.last_error,
                  MprmonErrorName(ev.row.last_error));

    ck_assert_uint_eq(routers_take_events(r, &ev, 1), 0);
    routers_free(r);
}
END_TEST

int main(void)
{
    Suite *s;
    TCase *tc;
    SRunner *sr;
    int failed;

    peer_port = getenv("RRAS_R1_PORT");
    peer_auth = getenv("RRAS_R1_AUTHFILE");
    peer_state = getenv("RRAS_R1_STATEFILE");
    tmpdir = getenv("MPRMON_TEST_TMP");
    if (peer_port == NULL || peer_auth == NULL || peer_state == NULL ||
        tmpdir == NULL) {
        printf("SKIP: no RRAS peer (run through test_routers_rras.sh)\n");
        return 77;
    }
    s = suite_create("routers_rras");
    tc = tcase_create("peer");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_probe_rras_peer);
    tcase_add_test(tc, test_scm_denied_and_no_router);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
