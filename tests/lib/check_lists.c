/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_lists.c - MprAdminInterfaceEnum, MprAdminInterfaceGetInfo,
 * MprAdminConnectionEnum, MprAdminPortEnum and MprmonEnumAll against the
 * RRAS peers test_lists.sh starts (their pipe mode is that script's):
 *   lists   content from $LISTS_FILE, which the tests rewrite
 *   tiny    the same content in 28-byte fragments
 *   deny    every DIMSVC call refused with ERROR_ACCESS_DENIED */
#include <config.h>

#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mprapi.h"

/* What the generated content holds (tests/peers/rras_lists.py): the two
 * default connections plus LISTS_GENERATED made-up ones. */
#define LISTS_GENERATED 300
#define LISTS_CONNECTIONS (LISTS_GENERATED + 2)

static const char *env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "test_lists.sh must set %s", name);
    return v;
}

static MPR_SERVER_HANDLE connect_peer(const char *name)
{
    char var[64];
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 10000};
    MPR_SERVER_HANDLE h = NULL;
    LPWSTR w = MprmonUtf8ToWide("127.0.0.1");
    DWORD rc;

    snprintf(var, sizeof(var), "RRAS_%s_PORT", name);
    o.dwPort = (DWORD)strtoul(env(var), NULL, 10);
    snprintf(var, sizeof(var), "RRAS_%s_AUTHFILE", name);
    o.pszCredentialsFile = env(var);
    rc = MprmonServerConnectEx(w, &o, &h);
    MprAdminBufferFree(w);
    ck_assert_msg(rc == NO_ERROR, "connect to %s: %u %s", name, (unsigned)rc,
                  MprmonGetLastErrorDetail());
    return h;
}

/* Replace the peer's content file (a new inode: the peer sees it at once). */
static void set_content(const char *json)
{
    char tmp[4096];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.new", env("LISTS_FILE"));
    f = fopen(tmp, "w");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
    ck_assert_int_eq(rename(tmp, env("LISTS_FILE")), 0);
}

#define BASE_CONTENT                                                           \
    "\"interfaces\": ["                                                        \
    "{\"name\": \"Internal\", \"handle\": 1, \"type\": 4, \"state\": 3},"      \
    "{\"name\": \"Branch-Paris\", \"handle\": 17, \"type\": 2, \"state\": 3}," \
    "{\"name\": \"Branch-Lyon\", \"handle\": 18, \"type\": 2, \"state\": 0,"   \
    " \"enabled\": 0, \"unreachable\": 6, \"last_error\": 678},"               \
    "{\"name\": \"Ünïcode-Zürich\", \"handle\": 19, \"type\": 2,"              \
    " \"state\": 1}],"                                                         \
    "\"generate\": {\"connections\": 300}"

static void set_base_content(void)
{
    set_content("{" BASE_CONTENT "}");
}

static char *name_of(const WCHAR *w)
{
    char *s = MprmonWideToUtf8(w);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void assert_name(const WCHAR *w, const char *want)
{
    char *s = name_of(w);
    ck_assert_str_eq(s, want);
    MprAdminBufferFree(s);
}

/* ---- interfaces ---- */

START_TEST(interfaces_show_every_column)
{
    MPR_SERVER_HANDLE h;
    MPR_INTERFACE_0 *f = NULL;
    DWORD read = 9, total = 9, resume = 0;

    set_base_content();
    h = connect_peer("LISTS");
    ck_assert_uint_eq(MprAdminInterfaceEnum(h, 0, (LPBYTE *)&f,
                                            MPRMON_PREF_MAX_LEN_ALL, &read,
                                            &total, &resume),
                      NO_ERROR);
    ck_assert_uint_eq(read, 4);
    ck_assert_uint_eq(total, 4);
    ck_assert_uint_eq(resume, 0);
    assert_name(f[0].wszInterfaceName, "Internal");
    ck_assert_uint_eq(f[0].dwIfType, ROUTER_IF_TYPE_INTERNAL);
    assert_name(f[2].wszInterfaceName, "Branch-Lyon");
    ck_assert_ptr_eq(f[2].hInterface, (HANDLE)(uintptr_t)18);
    ck_assert_int_eq(f[2].fEnabled, FALSE);
    ck_assert_uint_eq(f[2].dwIfType, ROUTER_IF_TYPE_FULL_ROUTER);
    ck_assert_uint_eq(f[2].dwConnectionState, ROUTER_IF_STATE_UNREACHABLE);
    ck_assert_uint_eq(f[2].fUnReachabilityReasons,
                      MPR_INTERFACE_ADMIN_DISABLED |
                          MPR_INTERFACE_CONNECTION_FAILURE);
    ck_assert_uint_eq(f[2].dwLastError, 678);
    assert_name(f[3].wszInterfaceName, "Ünïcode-Zürich");
    ck_assert_uint_eq(f[3].dwConnectionState, ROUTER_IF_STATE_DISCONNECTED);
    MprAdminBufferFree(f);
    MprAdminServerDisconnect(h);
}
END_TEST

START_TEST(interface_get_info_by_handle)
{
    MPR_SERVER_HANDLE h;
    MPR_INTERFACE_0 *f = NULL;

    set_base_content();
    h = connect_peer("LISTS");
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(h, (HANDLE)(uintptr_t)17, 0,
                                               (LPBYTE *)&f),
                      NO_ERROR);
    assert_name(f->wszInterfaceName, "Branch-Paris");
    ck_assert_uint_eq(f->dwConnectionState, ROUTER_IF_STATE_CONNECTED);
    MprAdminBufferFree(f);
    f = (MPR_INTERFACE_0 *)1;
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(h, (HANDLE)(uintptr_t)4242, 0,
                                               (LPBYTE *)&f),
                      ERROR_INVALID_HANDLE);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(h, (HANDLE)(uintptr_t)17, 1,
                                               (LPBYTE *)&f),
                      ERROR_INVALID_LEVEL);
    MprAdminServerDisconnect(h);
}
END_TEST

/* A demand-dial interface going down and coming back, one added and one
 * removed: each enumeration sees the peer's content of the moment. */
START_TEST(interfaces_follow_the_router)
{
    MPR_SERVER_HANDLE h;
    MPR_INTERFACE_0 *f = NULL;
    DWORD read, total;

    set_base_content();
    h = connect_peer("LISTS");
    set_content("{\"interfaces\": ["
                "{\"name\": \"Branch-Paris\", \"handle\": 17, \"state\": 0,"
                " \"unreachable\": 4, \"last_error\": 629},"
                "{\"name\": \"Branch-Nice\", \"handle\": 20, \"state\": 2}]}");
    ck_assert_uint_eq(MprAdminInterfaceEnum(h, 0, (LPBYTE *)&f,
                                            MPRMON_PREF_MAX_LEN_ALL, &read,
                                            &total, NULL),
                      NO_ERROR);
    ck_assert_uint_eq(read, 2);
    assert_name(f[0].wszInterfaceName, "Branch-Paris");
    ck_assert_uint_eq(f[0].dwConnectionState, ROUTER_IF_STATE_UNREACHABLE);
    ck_assert_uint_eq(f[0].dwLastError, 629);
    assert_name(f[1].wszInterfaceName, "Branch-Nice");
    ck_assert_uint_eq(f[1].dwConnectionState, ROUTER_IF_STATE_CONNECTING);
    MprAdminBufferFree(f);
    set_base_content();
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(h, (HANDLE)(uintptr_t)17, 0,
                                               (LPBYTE *)&f),
                      NO_ERROR);
    ck_assert_uint_eq(f->dwConnectionState, ROUTER_IF_STATE_CONNECTED);
    MprAdminBufferFree(f);
    MprAdminServerDisconnect(h);
}
END_TEST

/* ---- connections and paging ---- */

/* Page by page, as a Windows caller would: resume handles advance,
 * ERROR_MORE_DATA until the last page, every connection exactly once. */
static void read_connections_in_pages(const char *peer, DWORD page_bytes,
                                      DWORD want_pages, DWORD want)
{
    MPR_SERVER_HANDLE h = connect_peer(peer);
    unsigned char seen[LISTS_CONNECTIONS] = {0};
    DWORD resume = 0, got = 0, pages = 0, rc;

    do {
        RAS_CONNECTION_0 *c = NULL;
        DWORD read = 0, total = 0, before = resume;

        rc = MprAdminConnectionEnum(h, 0, (LPBYTE *)&c, page_bytes, &read,
                                    &total, &resume);
        ck_assert_msg(rc == NO_ERROR || rc == ERROR_MORE_DATA,
                      "page %u: %u %s", (unsigned)pages, (unsigned)rc,
                      MprmonGetLastErrorDetail());
        ck_assert_uint_gt(read, 0);
        ck_assert_uint_eq(total, want - got);
        if (rc == ERROR_MORE_DATA)
            ck_assert_uint_eq(resume, before + read);
        else
            ck_assert_uint_eq(resume, 0);
        for (DWORD i = 0; i < read; i++) {
            uintptr_t handle = (uintptr_t)c[i].hConnection;
            size_t k = handle > 100000 ? handle - 100000 + 1 : handle - 101;
            ck_assert_uint_lt(k, want);
            ck_assert_msg(!seen[k], "connection %lu twice",
                          (unsigned long)handle);
            seen[k] = 1;
        }
        got += read;
        pages++;
        MprAdminBufferFree(c);
    } while (rc == ERROR_MORE_DATA);
    ck_assert_uint_eq(got, want);
    ck_assert_uint_eq(pages, want_pages);
    MprAdminServerDisconnect(h);
}

START_TEST(connections_come_in_pages)
{
    set_base_content();
    /* 16 KiB holds 14 RASI_CONNECTION_0 of 1116 bytes: 22 pages. */
    read_connections_in_pages("LISTS", 16384, 22, LISTS_CONNECTIONS);
    read_connections_in_pages("LISTS", MPRMON_PREF_MAX_LEN_ALL, 1,
                              LISTS_CONNECTIONS);
}
END_TEST

/* The tiny peer has its own content (12 connections): every page of
 * 3348 bytes comes in 28-byte fragments. */
START_TEST(connections_decode_in_tiny_fragments)
{
    read_connections_in_pages("TINY", 4096, 4, 12);
}
END_TEST

START_TEST(connection_levels_0_and_1)
{
    MPR_SERVER_HANDLE h;
    RAS_CONNECTION_0 *c = NULL;
    RAS_CONNECTION_1 *s = NULL;
    DWORD n0 = 0, n1 = 0;

    set_base_content();
    h = connect_peer("LISTS");
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_CONNECTIONS, 0, 65536,
                                    100000, (LPBYTE *)&c, &n0),
                      NO_ERROR);
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_CONNECTIONS, 1, 65536,
                                    100000, (LPBYTE *)&s, &n1),
                      NO_ERROR);
    ck_assert_uint_eq(n0, LISTS_CONNECTIONS);
    ck_assert_uint_eq(n1, LISTS_CONNECTIONS);
    /* The peer's first default connection, a site-to-site peer. */
    ck_assert_ptr_eq(c[0].hConnection, (HANDLE)(uintptr_t)101);
    ck_assert_ptr_eq(c[0].hInterface, (HANDLE)(uintptr_t)17);
    ck_assert_uint_eq(c[0].dwInterfaceType, ROUTER_IF_TYPE_FULL_ROUTER);
    ck_assert_uint_eq(c[0].dwConnectDuration, 3600);
    assert_name(c[0].wszInterfaceName, "Branch-Paris");
    assert_name(c[0].wszLogonDomain, "CORP");
    assert_name(c[0].wszRemoteComputer, "PARIS-RTR");
    /* The last generated one, at level 1. */
    ck_assert_ptr_eq(s[n1 - 1].hConnection,
                     (HANDLE)(uintptr_t)(100000 + LISTS_GENERATED));
    assert_name(s[n1 - 1].PppInfo.ip.wszAddress, "10.8.0.1");
    assert_name(s[n1 - 1].PppInfo.ip.wszRemoteAddress, "10.9.1.51");
    ck_assert_uint_eq(s[n1 - 1].dwBytesXmited, LISTS_GENERATED * 1000);
    ck_assert_uint_eq(s[n1 - 1].dwBytesRcved, LISTS_GENERATED * 2000);
    ck_assert_uint_eq(s[n1 - 1].dwFramesRcved, LISTS_GENERATED * 2);
    MprAdminBufferFree(c);
    MprAdminBufferFree(s);
    /* A cap keeps what fits and says there was more. */
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_CONNECTIONS, 0, 16384, 20,
                                    (LPBYTE *)&c, &n0),
                      ERROR_MORE_DATA);
    ck_assert_uint_eq(n0, 20);
    MprAdminBufferFree(c);
    MprAdminServerDisconnect(h);
}
END_TEST

/* ---- ports ---- */

START_TEST(ports_all_and_per_connection)
{
    MPR_SERVER_HANDLE h;
    RAS_PORT_0 *p = NULL;
    DWORD read = 0, total = 0;

    set_base_content();
    h = connect_peer("LISTS");
    ck_assert_uint_eq(MprAdminPortEnum(h, 0, INVALID_HANDLE_VALUE,
                                       (LPBYTE *)&p, MPRMON_PREF_MAX_LEN_ALL,
                                       &read, &total, NULL),
                      NO_ERROR);
    ck_assert_uint_eq(read, 4);
    assert_name(p[0].wszPortName, "VPN1-1");
    assert_name(p[0].wszDeviceType, "vpn");
    assert_name(p[0].wszDeviceName, "WAN Miniport (IKEv2)");
    assert_name(p[0].wszMediaName, "rastapi");
    ck_assert_uint_eq(p[0].dwPortCondition, RAS_PORT_AUTHENTICATED);
    ck_assert_uint_eq(p[0].dwTotalNumberOfCalls, 3);
    ck_assert_ptr_eq(p[0].hConnection, (HANDLE)(uintptr_t)101);
    ck_assert_uint_eq(p[3].dwPortCondition, RAS_PORT_LISTENING);
    MprAdminBufferFree(p);
    ck_assert_uint_eq(MprAdminPortEnum(h, 0, (HANDLE)(uintptr_t)102,
                                       (LPBYTE *)&p, MPRMON_PREF_MAX_LEN_ALL,
                                       &read, &total, NULL),
                      NO_ERROR);
    ck_assert_uint_eq(read, 1);
    assert_name(p[0].wszPortName, "VPN2-1");
    MprAdminBufferFree(p);
    MprAdminServerDisconnect(h);
}
END_TEST

/* ---- what the caller gets wrong, and what the server refuses ---- */

START_TEST(bad_arguments_fail_before_any_io)
{
    LPBYTE buf = (LPBYTE)1;
    DWORD read, total;

    /* Checked in this order: out pointers, level, handle. */
    ck_assert_uint_eq(MprAdminInterfaceEnum(NULL, 0, NULL, 1, &read, &total,
                                            NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprAdminConnectionEnum(NULL, 0, &buf, 1, NULL, &total,
                                             NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprAdminConnectionEnum(NULL, 2, &buf, 1, &read, &total,
                                             NULL),
                      ERROR_INVALID_LEVEL);
    ck_assert_ptr_null(buf);
    ck_assert_uint_eq(MprAdminPortEnum(NULL, 1, INVALID_HANDLE_VALUE, &buf, 1,
                                       &read, &total, NULL),
                      ERROR_INVALID_LEVEL);
    ck_assert_uint_eq(MprAdminInterfaceEnum((MPR_SERVER_HANDLE)0x1234, 0,
                                            &buf, 1, &read, &total, NULL),
                      ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(NULL, NULL, 0, NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(MprmonEnumAll(NULL, MPRMON_LIST_PORTS, 0, 1, 1, NULL,
                                    &read),
                      ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(refusing_server_gives_access_denied)
{
    MPR_SERVER_HANDLE h = connect_peer("DENY");
    LPBYTE buf = (LPBYTE)1;
    DWORD read = 5, total = 5;

    ck_assert_uint_eq(MprAdminInterfaceEnum(h, 0, &buf, 65536, &read, &total,
                                            NULL),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(buf);
    ck_assert_uint_eq(read, 0);
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_CONNECTIONS, 1, 65536, 10,
                                    &buf, &read),
                      ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(MprAdminInterfaceGetInfo(h, (HANDLE)(uintptr_t)1, 0,
                                               &buf),
                      ERROR_ACCESS_DENIED);
    MprAdminServerDisconnect(h);
}
END_TEST

/* The peer's hostile content modes: every lie ends in RPC_X_BAD_STUB_DATA
 * with nothing returned, and the handle still works afterwards. */
START_TEST(lying_replies_are_bad_stub_data)
{
    static const char *const modes[] = {"count-lies", "total-lies",
                                        "no-terminator", "huge-size"};
    const char *mode = modes[_i];
    char json[4096];
    MPR_SERVER_HANDLE h = connect_peer("LISTS");
    LPBYTE buf = (LPBYTE)1;
    DWORD read = 5, total = 5, n;

    snprintf(json, sizeof(json),
             "{" BASE_CONTENT ", \"hostile\": {\"list\": \"connections\","
             " \"mode\": \"%s\"}}",
             mode);
    set_content(json);
    ck_assert_uint_eq(MprAdminConnectionEnum(h, 1, &buf, 65536, &read,
                                             &total, NULL),
                      RPC_X_BAD_STUB_DATA);
    ck_assert_ptr_null(buf);
    ck_assert_uint_eq(read, 0);
    ck_assert_str_ne(MprmonGetLastErrorDetail(), "");
    /* The other lists of the same router are unaffected. */
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_INTERFACES, 0, 65536, 100,
                                    &buf, &n),
                      NO_ERROR);
    ck_assert_uint_eq(n, 4);
    MprAdminBufferFree(buf);
    set_base_content();
    MprAdminServerDisconnect(h);
}
END_TEST

/* A resume handle that never ends: one page is still a page, but reading
 * everything stops at once with RPC_X_BAD_STUB_DATA. */
START_TEST(endless_resume_handle_is_stopped)
{
    MPR_SERVER_HANDLE h = connect_peer("LISTS");
    LPBYTE buf = NULL;
    DWORD read = 0, total = 0, resume = 0, n = 7;

    set_content("{" BASE_CONTENT ", \"hostile\": {\"list\": \"connections\","
                " \"mode\": \"endless-resume\"}}");
    ck_assert_uint_eq(MprAdminConnectionEnum(h, 0, &buf, 16384, &read,
                                             &total, &resume),
                      ERROR_MORE_DATA);
    ck_assert_uint_eq(read, 14);
    MprAdminBufferFree(buf);
    ck_assert_uint_eq(MprmonEnumAll(h, MPRMON_LIST_CONNECTIONS, 0, 16384,
                                    100000, &buf, &n),
                      RPC_X_BAD_STUB_DATA);
    ck_assert_ptr_null(buf);
    ck_assert_uint_eq(n, 0);
    set_base_content();
    MprAdminServerDisconnect(h);
}
END_TEST

/* ---- the asynchronous form ---- */

START_TEST(enum_all_asynchronously)
{
    MPR_SERVER_HANDLE h;
    MPRMON_ASYNC *q = NULL;
    MPRMON_REQUEST_ID ids[3];
    MPRMON_COMPLETION c;
    int cookie, done = 0, interfaces = 0;

    set_base_content();
    h = connect_peer("LISTS");
    ck_assert_uint_eq(MprmonAsyncCreate(&q), NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncEnumAll(q, h, MPRMON_LIST_PORTS, 1, 65536,
                                         10, 0, NULL, &ids[0]),
                      ERROR_INVALID_LEVEL);
    /* Three lists in flight on one handle: they take turns on the pipe. */
    ck_assert_uint_eq(MprmonAsyncEnumAll(q, h, MPRMON_LIST_CONNECTIONS, 1,
                                         16384, 100000, 0, &cookie, &ids[0]),
                      NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncEnumAll(q, h, MPRMON_LIST_INTERFACES, 0,
                                         16384, 100000, 0, &cookie, &ids[1]),
                      NO_ERROR);
    ck_assert_uint_eq(MprmonAsyncEnumAll(q, h, MPRMON_LIST_PORTS, 0, 16384,
                                         100000, 0, &cookie, &ids[2]),
                      NO_ERROR);
    while (done < 3) {
        struct pollfd p = {.fd = MprmonAsyncGetFd(q), .events = POLLIN};
        ck_assert_int_eq(poll(&p, 1, 20000), 1);
        while (MprmonAsyncNextCompletion(q, &c)) {
            ck_assert_int_eq(c.kind, MPRMON_REQUEST_ENUM_ALL);
            ck_assert_ptr_eq(c.pCookie, &cookie);
            ck_assert_msg(c.dwError == NO_ERROR, "%u %s",
                          (unsigned)c.dwError, c.szDetail);
            if (c.id == ids[0]) {
                const RAS_CONNECTION_1 *s = (const RAS_CONNECTION_1 *)c.lpbBuffer;
                ck_assert_uint_eq(c.dwEntries, LISTS_CONNECTIONS);
                ck_assert_uint_eq(s[1].dwBytesRcved, 8192);
            } else if (c.id == ids[1]) {
                ck_assert_uint_eq(c.dwEntries, 4);
                interfaces++;
            } else {
                ck_assert_uint_eq(c.id, ids[2]);
                ck_assert_uint_eq(c.dwEntries, 4);
            }
            MprAdminBufferFree(c.lpbBuffer);
            done++;
        }
    }
    ck_assert_int_eq(interfaces, 1);
    MprmonAsyncDestroy(q);
    MprAdminServerDisconnect(h);
}
END_TEST

/* ---- several threads on one handle ---- */

struct enum_worker {
    MPR_SERVER_HANDLE h;
    int failures;
    DWORD last_error, last_count;
    char detail[256];
};

static void *enum_worker(void *arg)
{
    struct enum_worker *w = arg;

    for (int i = 0; i < 5; i++) {
        LPBYTE buf = NULL;
        DWORD n = 0;
        DWORD rc = MprmonEnumAll(w->h, MPRMON_LIST_CONNECTIONS, i % 2, 32768,
                                 100000, &buf, &n);
        if (rc != NO_ERROR || n != LISTS_CONNECTIONS) {
            w->failures++;
            w->last_error = rc;
            w->last_count = n;
            snprintf(w->detail, sizeof(w->detail), "%s",
                     MprmonGetLastErrorDetail());
        }
        MprAdminBufferFree(buf);
    }
    return NULL;
}

START_TEST(one_handle_many_threads)
{
    enum { N = 4 };
    pthread_t t[N];
    struct enum_worker w[N];
    MPR_SERVER_HANDLE h;

    set_base_content();
    h = connect_peer("LISTS");
    for (int i = 0; i < N; i++) {
        w[i].h = h;
        w[i].failures = 0;
        ck_assert_int_eq(pthread_create(&t[i], NULL, enum_worker, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(w[i].failures == 0,
                      "thread %d: %d failures, last %u (%u entries): %s", i,
                      w[i].failures, (unsigned)w[i].last_error,
                      (unsigned)w[i].last_count, w[i].detail);
    }
    MprAdminServerDisconnect(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lists");
    TCase *tc = tcase_create("lists");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, interfaces_show_every_column);
    tcase_add_test(tc, interface_get_info_by_handle);
    tcase_add_test(tc, interfaces_follow_the_router);
    tcase_add_test(tc, connections_come_in_pages);
    tcase_add_test(tc, connections_decode_in_tiny_fragments);
    tcase_add_test(tc, connection_levels_0_and_1);
    tcase_add_test(tc, ports_all_and_per_connection);
    tcase_add_test(tc, bad_arguments_fail_before_any_io);
    tcase_add_test(tc, refusing_server_gives_access_denied);
    tcase_add_loop_test(tc, lying_replies_are_bad_stub_data, 0, 4);
    tcase_add_test(tc, endless_resume_handle_is_stopped);
    tcase_add_test(tc, one_handle_many_threads);
    tcase_add_test(tc, enum_all_asynchronously);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
