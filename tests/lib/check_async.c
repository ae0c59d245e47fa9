/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_async.c - the asynchronous calls (MprmonAsync*) against the real
 * peers test_api.sh starts: completions through the queue's descriptor,
 * deadlines kept within 10%, many requests at once, cancel and destroy. */
#include "config.h"

#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "mprapi.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "test_api.sh must set %s", name);
    return v;
}

static MPRMON_CONNECT_OPTIONS peer_options(const char *name)
{
    char var[64];
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 5000};

    snprintf(var, sizeof(var), "RRAS_%s_PORT", name);
    o.dwPort = (DWORD)strtoul(env(var), NULL, 10);
    snprintf(var, sizeof(var), "RRAS_%s_AUTHFILE", name);
    o.pszCredentialsFile = env(var);
    return o;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A listener that completes TCP handshakes from its backlog and never
 * speaks: a server that does not answer. */
static int silent_listener(DWORD *port, int backlog)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(fd, backlog), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* Wait up to wait_ms for the queue's descriptor, then take one completion. */
static int next_completion(MPRMON_ASYNC *q, int wait_ms, MPRMON_COMPLETION *c)
{
    struct pollfd p = {.fd = MprmonAsyncGetFd(q), .events = POLLIN};
    double end = now_ms() + wait_ms;

    for (;;) {
        if (MprmonAsyncNextCompletion(q, c))
            return 1;
        int left = (int)(end - now_ms());
        if (left <= 0 || poll(&p, 1, left) <= 0)
            return MprmonAsyncNextCompletion(q, c) ? 1 : 0;
    }
}

static LPWSTR wide(const char *s)
{
    LPWSTR w = MprmonUtf8ToWide(s);
    ck_assert_ptr_nonnull(w);
    return w;
}

START_TEST(connect_info_and_service_through_the_descriptor)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    LPWSTR name = wide("127.0.0.1");
    MPRMON_ASYNC *q = NULL;
    MPRMON_COMPLETION c;
    MPRMON_REQUEST_ID id = 0, info_id = 0, svc_id = 0;
    int cookie = 7, seen_info = 0, seen_svc = 0;

    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    ck_assert_int_ge(MprmonAsyncGetFd(q), 0);
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, &o, 0, &cookie, &id),
                      NO_ERROR);
    ck_assert_uint_ne(id, 0);
    ck_assert_uint_eq(MprmonAsyncPending(q), 1);
    ck_assert_int_eq(next_completion(q, 10000, &c), 1);
    ck_assert_uint_eq(c.id, id);
    ck_assert_int_eq(c.kind, MPRMON_REQUEST_SERVER_CONNECT);
    ck_assert_ptr_eq(c.pCookie, &cookie);
    ck_assert_msg(c.dwError == NO_ERROR, "connect: %u %s", (unsigned)c.dwError,
                  c.szDetail);
    ck_assert_ptr_nonnull(c.hMprServer);
    MPR_SERVER_HANDLE h = c.hMprServer;

    /* Both in flight at once, on the queue's one descriptor. */
    ck_assert_uint_eq(MprmonAsyncServerGetInfo(q, h, 0, 0, NULL, &info_id),
                      NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncQueryServiceState(q, name, &o, 0, NULL,
                                                   &svc_id),
                      NO_ERROR);
    while (seen_info + seen_svc < 2) {
        ck_assert_int_eq(next_completion(q, 10000, &c), 1);
        if (c.id == info_id) {
            ck_assert_uint_eq(c.dwError, NO_ERROR);
            const MPR_SERVER_0 *s0 = (const MPR_SERVER_0 *)c.lpbBuffer;
            ck_assert_uint_eq(s0->dwTotalPorts,
                              strtoul(env("API_EXPECT_TOTAL_PORTS"), NULL, 10));
            MprAdminBufferFree(c.lpbBuffer);
            seen_info++;
        } else {
            ck_assert_uint_eq(c.id, svc_id);
            ck_assert_uint_eq(c.dwError, NO_ERROR);
            ck_assert_int_eq(c.serviceState, MPRMON_SERVICE_RUNNING);
            ck_assert_uint_eq(c.dwCurrentState, 4);
            seen_svc++;
        }
    }
    ck_assert_uint_eq(MprmonAsyncPending(q), 0);
    /* Drained: the descriptor no longer polls readable. */
    struct pollfd p = {.fd = MprmonAsyncGetFd(q), .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 0), 0);
    MprAdminServerDisconnect(h);
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
}
END_TEST

START_TEST(bad_arguments_fail_at_once)
{
    LPWSTR bad = wide("bad name");
    MPRMON_ASYNC *q = NULL;
    MPRMON_REQUEST_ID id = 0;

    ck_assert_uint_eq(MprmonAsyncCreate(NULL), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncServerConnect(NULL, bad, NULL, 0, NULL, &id),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, bad, NULL, 0, NULL, &id),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprmonAsyncServerGetInfo(q, (MPR_SERVER_HANDLE)0x1234,
                                               0, 0, NULL, &id),
                      ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(MprmonAsyncServerGetInfo(q, NULL, 3, 0, NULL, &id),
                      ERROR_INVALID_LEVEL);
    ck_assert_uint_eq(MprmonAsyncPending(q), 0);
    ck_assert_int_eq(MprmonAsyncCancel(q, 12345), FALSE);
    MprmonAsyncDestroy(q);
    MprmonAsyncDestroy(NULL);
    MprAdminBufferFree(bad);
}
END_TEST

/* Every deadline is kept within 10%: the connect to a server that never
 * answers, and a call whose answer stalls half-way. */
static void assert_on_time(double took, DWORD deadline_ms, const char *what)
{
    /* Under valgrind everything runs tens of times slower: that run judges
     * memory, and test_api.sh runs this suite natively to judge time. */
    double slack = RUNNING_ON_VALGRIND ? 10.0 : 1.1;

    ck_assert_msg(took >= deadline_ms - 5 && took <= deadline_ms * slack,
                  "%s: deadline %u ms, completed after %.0f ms", what,
                  (unsigned)deadline_ms, took);
}

START_TEST(connect_deadline_is_kept)
{
    DWORD port;
    int fd = silent_listener(&port, 8);
    MPRMON_CONNECT_OPTIONS o = {.dwPort = port};
    LPWSTR name = wide("127.0.0.1");
    MPRMON_ASYNC *q = NULL;
    MPRMON_COMPLETION c;
    double start;

    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    start = now_ms();
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, &o, 1500, NULL, NULL),
                      NO_ERROR);
    ck_assert_int_eq(next_completion(q, 10000, &c), 1);
    assert_on_time(now_ms() - start, 1500, "connect to a silent server");
    ck_assert_uint_eq(c.dwError, RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_nonnull(strstr(c.szDetail, "1500 ms"));
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
    close(fd);
}
END_TEST

START_TEST(call_deadline_is_kept)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("STALL");
    LPWSTR name = wide("127.0.0.1");
    MPR_SERVER_HANDLE h = NULL;
    MPRMON_ASYNC *q = NULL;
    MPRMON_COMPLETION c;
    double start;

    /* The stalling peer binds normally and stalls its answers. */
    ck_assert_uint_eq(MprmonServerConnectEx(name, &o, &h), NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    start = now_ms();
    ck_assert_uint_eq(MprmonAsyncServerGetInfo(q, h, 0, 1200, NULL, NULL),
                      NO_ERROR);
    ck_assert_int_eq(next_completion(q, 10000, &c), 1);
    assert_on_time(now_ms() - start, 1200, "a stalled call");
    ck_assert_uint_eq(c.dwError, ERROR_TIMEOUT);
    ck_assert_ptr_null(c.lpbBuffer);
    MprAdminServerDisconnect(h);
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
}
END_TEST

/* Requests do not wait for each other: 64 connects to a server that never
 * answers all end at their one deadline, not one after another. */
START_TEST(requests_run_at_once)
{
    enum { N = 64 };
    DWORD port;
    int fd = silent_listener(&port, N * 2);
    MPRMON_CONNECT_OPTIONS o = {.dwPort = port};
    LPWSTR name = wide("127.0.0.1");
    MPRMON_ASYNC *q = NULL;
    MPRMON_COMPLETION c;
    double start;
    int done = 0;

    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    start = now_ms();
    for (int i = 0; i < N; i++)
        ck_assert_uint_eq(
            MprmonAsyncServerConnect(q, name, &o, 1000, NULL, NULL), NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncPending(q), N);
    while (done < N && next_completion(q, 5000, &c)) {
        ck_assert_uint_eq(c.dwError, RPC_S_SERVER_UNAVAILABLE);
        done++;
    }
    ck_assert_int_eq(done, N);
    assert_on_time(now_ms() - start, 1000, "64 connects at once");
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
    close(fd);
}
END_TEST

START_TEST(cancelled_requests_never_complete)
{
    DWORD port;
    int fd = silent_listener(&port, 8);
    MPRMON_CONNECT_OPTIONS silent = {.dwPort = port};
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    LPWSTR name = wide("127.0.0.1");
    MPRMON_ASYNC *q = NULL;
    MPRMON_COMPLETION c;
    MPRMON_REQUEST_ID in_flight, finished, kept;

    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, &silent, 800, NULL,
                                               &in_flight),
                      NO_ERROR);
    ck_assert_int_eq(MprmonAsyncCancel(q, in_flight), TRUE);
    ck_assert_int_eq(MprmonAsyncCancel(q, in_flight), FALSE);

    /* A connect that succeeded but was never collected: cancelling it
     * closes the connection it made. */
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, &o, 0, NULL,
                                               &finished),
                      NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, &silent, 600, NULL,
                                               &kept),
                      NO_ERROR);
    ck_assert_int_eq(next_completion(q, 5000, &c), 1);
    if (c.id == finished) {
        /* It came out first: put the handle back, it is as good. */
        ck_assert_uint_eq(c.dwError, NO_ERROR);
        MprAdminServerDisconnect(c.hMprServer);
        ck_assert_int_eq(next_completion(q, 5000, &c), 1);
    } else {
        ck_assert_int_eq(MprmonAsyncCancel(q, finished), TRUE);
    }
    ck_assert_uint_eq(c.id, kept);
    ck_assert_uint_eq(c.dwError, RPC_S_SERVER_UNAVAILABLE);
    /* Nothing more, though the cancelled connect's deadline has passed. */
    ck_assert_int_eq(next_completion(q, 500, &c), 0);
    ck_assert_uint_eq(MprmonAsyncPending(q), 0);
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
    close(fd);
}
END_TEST

START_TEST(destroy_with_requests_in_flight)
{
    DWORD port;
    int fd = silent_listener(&port, 32);
    MPRMON_CONNECT_OPTIONS silent = {.dwPort = port};
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    LPWSTR name = wide("127.0.0.1");
    MPRMON_ASYNC *q = NULL;

    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(MprmonAsyncServerConnect(q, name, i % 2 ? &o : &silent,
                                                   3000, NULL, NULL),
                          NO_ERROR);
    usleep(200 * 1000);
    /* Whatever is in flight or waiting is cancelled and released (the
     * leak checker sees any connection left behind). */
    MprmonAsyncDestroy(q);
    MprAdminBufferFree(name);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("async");
    TCase *tc = tcase_create("async");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, connect_info_and_service_through_the_descriptor);
    tcase_add_test(tc, bad_arguments_fail_at_once);
    tcase_add_test(tc, connect_deadline_is_kept);
    tcase_add_test(tc, call_deadline_is_kept);
    tcase_add_test(tc, requests_run_at_once);
    tcase_add_test(tc, cancelled_requests_never_complete);
    tcase_add_test(tc, destroy_with_requests_in_flight);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
