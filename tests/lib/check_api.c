/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api.c - the public API (lib/mprapi.h) against real peers started by
 * test_api.sh: the impacket RRAS peer, Samba's smbd and a closed port. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

static DWORD env_port(const char *name)
{
    return (DWORD)strtoul(env(name), NULL, 10);
}

static LPWSTR wide(const char *s)
{
    LPWSTR w = MprmonUtf8ToWide(s);
    ck_assert_ptr_nonnull(w);
    return w;
}

/* Options for one of the RRAS peers test_api.sh started (RRAS_<NAME>_*). */
static MPRMON_CONNECT_OPTIONS peer_options(const char *name)
{
    char var[64];
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 5000};

    snprintf(var, sizeof(var), "RRAS_%s_PORT", name);
    o.dwPort = env_port(var);
    snprintf(var, sizeof(var), "RRAS_%s_AUTHFILE", name);
    o.pszCredentialsFile = env(var);
    return o;
}

static MPRMON_CONNECT_OPTIONS samba_options(void)
{
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 5000};
    o.dwPort = env_port("SAMBA_PORT");
    o.pszCredentialsFile = env("SAMBA_AUTHFILE");
    return o;
}

static DWORD connect_with(const char *server, const MPRMON_CONNECT_OPTIONS *o,
                          MPR_SERVER_HANDLE *h)
{
    LPWSTR w = wide(server);
    DWORD rc = MprmonServerConnectEx(w, o, h);
    MprAdminBufferFree(w);
    return rc;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, mode), 0);
}

/* A loopback listener the test owns: it counts connections (to prove that no
 * I/O happened) or accepts and stays silent (a server that never answers). */
static int listen_loopback(DWORD *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(fd, 8), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static int pending_connections(int fd, int wait_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, wait_ms);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- MprAdminServerConnect's contract ---- */

START_TEST(null_out_pointer_is_invalid_binding_without_io)
{
    DWORD port;
    int fd = listen_loopback(&port);
    MPRMON_CONNECT_OPTIONS o = {.dwPort = port, .dwTimeoutMs = 2000};
    LPWSTR w = wide("127.0.0.1");

    ck_assert_uint_eq(MprmonSetServerOptions(NULL, &o), NO_ERROR);
    ck_assert_uint_eq(MprAdminServerConnect(w, NULL), RPC_S_INVALID_BINDING);
    ck_assert_uint_eq(MprAdminServerConnect(NULL, NULL),
                      RPC_S_INVALID_BINDING);
    ck_assert_uint_eq(MprmonServerConnectEx(w, &o, NULL),
                      RPC_S_INVALID_BINDING);
    /* Nothing may have connected to the listener. */
    ck_assert_int_eq(pending_connections(fd, 300), 0);
    MprmonResetServerOptions();
    MprAdminBufferFree(w);
    close(fd);
}
END_TEST

START_TEST(malformed_names_are_invalid_parameter)
{
    static const char *const bad[] = {"bad name", "a/b", "user@host",
                                      "\\\\", "x\ty"};
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;
    char longname[400];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(connect_with(bad[i], &o, &h) == ERROR_INVALID_PARAMETER,
                      "name '%s' accepted", bad[i]);
        ck_assert_ptr_null(h);
    }
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    ck_assert_uint_eq(connect_with(longname, &o, &h), ERROR_INVALID_PARAMETER);

    /* A lone surrogate is not UTF-16. */
    WCHAR lone[] = {'a', 0xd800, 'b', 0};
    ck_assert_uint_eq(MprmonServerConnectEx(lone, &o, &h),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(h);
}
END_TEST

START_TEST(rras_peer_connects_and_answers_every_level)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = NULL;
    LPBYTE buf = NULL;

    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), NO_ERROR);
    ck_assert_ptr_nonnull(h);

    ck_assert_uint_eq(MprAdminServerGetInfo(h, 0, &buf), NO_ERROR);
    const MPR_SERVER_0 *s0 = (const MPR_SERVER_0 *)buf;
    ck_assert_uint_eq(s0->dwTotalPorts,
                      env_port("API_EXPECT_TOTAL_PORTS"));
    ck_assert_uint_eq(s0->dwPortsInUse,
                      env_port("API_EXPECT_PORTS_IN_USE"));
    ck_assert_uint_ge(s0->dwUpTime, env_port("API_EXPECT_UPTIME_MIN"));
    ck_assert_int_eq(s0->fLanOnlyMode, FALSE);
    MprAdminBufferFree(buf);

    ck_assert_uint_eq(MprAdminServerGetInfo(h, 1, &buf), NO_ERROR);
    const MPR_SERVER_1 *s1 = (const MPR_SERVER_1 *)buf;
    ck_assert_uint_eq(s1->dwNumPptpPorts, env_port("API_EXPECT_PPTP"));
    ck_assert_uint_eq(s1->dwNumL2tpPorts, env_port("API_EXPECT_L2TP"));
    MprAdminBufferFree(buf);

    ck_assert_uint_eq(MprAdminServerGetInfo(h, 2, &buf), NO_ERROR);
    const MPR_SERVER_2 *s2 = (const MPR_SERVER_2 *)buf;
    ck_assert_uint_eq(s2->dwNumPptpPorts, env_port("API_EXPECT_PPTP"));
    ck_assert_uint_eq(s2->dwNumSstpPorts, env_port("API_EXPECT_SSTP"));
    MprAdminBufferFree(buf);

    buf = (LPBYTE)1;
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 3, &buf), ERROR_INVALID_LEVEL);
    ck_assert_ptr_null(buf);
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 0, NULL),
                      ERROR_INVALID_PARAMETER);

    MprAdminServerDisconnect(h);
    /* The handle is stale now: refused, and a second disconnect is safe. */
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 0, &buf), ERROR_INVALID_HANDLE);
    MprAdminServerDisconnect(h);
    MprAdminServerDisconnect(NULL);
    ck_assert_uint_eq(MprAdminServerGetInfo(NULL, 0, &buf),
                      ERROR_INVALID_HANDLE);
}
END_TEST

/* Levels 0-2 from a peer, checked against what test_api.sh configured. */
static void assert_every_level(MPR_SERVER_HANDLE h)
{
    LPBYTE buf = NULL;

    ck_assert_uint_eq(MprAdminServerGetInfo(h, 0, &buf), NO_ERROR);
    const MPR_SERVER_0 *s0 = (const MPR_SERVER_0 *)buf;
    ck_assert_uint_eq(s0->dwTotalPorts, env_port("API_EXPECT_TOTAL_PORTS"));
    ck_assert_uint_eq(s0->dwPortsInUse, env_port("API_EXPECT_PORTS_IN_USE"));
    MprAdminBufferFree(buf);
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 1, &buf), NO_ERROR);
    ck_assert_uint_eq(((const MPR_SERVER_1 *)buf)->dwNumL2tpPorts,
                      env_port("API_EXPECT_L2TP"));
    MprAdminBufferFree(buf);
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 2, &buf), NO_ERROR);
    ck_assert_uint_eq(((const MPR_SERVER_2 *)buf)->dwNumSstpPorts,
                      env_port("API_EXPECT_SSTP"));
    MprAdminBufferFree(buf);
}

START_TEST(answers_decode_in_fragments_of_every_size)
{
    static const char *const peers[] = {"TINY", "FRAG4280"};

    for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
        MPRMON_CONNECT_OPTIONS o = peer_options(peers[i]);
        MPR_SERVER_HANDLE h = NULL;

        ck_assert_msg(connect_with("127.0.0.1", &o, &h) == NO_ERROR, "%s: %s",
                      peers[i], MprmonGetLastErrorDetail());
        assert_every_level(h);
        MprAdminServerDisconnect(h);
    }
}
END_TEST

static int open_fds(void)
{
    char path[64];
    int n = 0;

    for (int fd = 0; fd < 4096; fd++) {
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        if (access(path, F_OK) == 0)
            n++;
    }
    return n;
}

START_TEST(disconnect_without_waiting_closes_soon)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = NULL;
    LPBYTE buf = NULL;
    int before, connected, now = 0;

    before = open_fds();
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), NO_ERROR);
    connected = open_fds();
    ck_assert_int_gt(connected, before);
    MprmonServerDisconnectNoWait(h);
    /* The handle is gone at once; the socket within about a second. */
    ck_assert_uint_eq(MprAdminServerGetInfo(h, 0, &buf), ERROR_INVALID_HANDLE);
    MprmonServerDisconnectNoWait(h);
    MprmonServerDisconnectNoWait(NULL);
    for (int i = 0; i < 300; i++) {
        now = open_fds();
        if (now < connected)
            break;
        usleep(10000);
    }
    ck_assert_int_lt(now, connected);
}
END_TEST

START_TEST(connect_does_not_query_the_service)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    const char *state = env("RRAS_RRAS_STATEFILE");
    MPR_SERVER_HANDLE h = NULL;

    /* Even with RemoteAccess gone from the SCM, the connect succeeds. */
    write_file(state, "absent\n", 0644);
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), NO_ERROR);
    MprAdminServerDisconnect(h);
    write_file(state, "running\n", 0644);
}
END_TEST

START_TEST(wrong_password_is_access_denied)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;

    o.pszCredentialsFile = env("API_BAD_AUTH");
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(h);
}
END_TEST

START_TEST(samba_wrong_password_is_access_denied)
{
    char path[512], text[256];
    MPRMON_CONNECT_OPTIONS o = samba_options();
    MPR_SERVER_HANDLE h = NULL;

    snprintf(path, sizeof(path), "%s/samba-wrong.auth",
             env("MPRMON_TEST_TMP"));
    snprintf(text, sizeof(text), "username = %s\npassword = wrong-%d\n",
             env("SAMBA_USER"), (int)getpid());
    write_file(path, text, 0600);
    o.pszCredentialsFile = path;
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), ERROR_ACCESS_DENIED);
}
END_TEST

START_TEST(samba_without_router_pipe_is_unknown_if)
{
    MPRMON_CONNECT_OPTIONS o = samba_options();
    MPR_SERVER_HANDLE h = NULL;

    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), RPC_S_UNKNOWN_IF);
    ck_assert_ptr_null(h);
}
END_TEST

START_TEST(rras_peer_without_router_is_unknown_if)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("NOROUTER");
    MPR_SERVER_HANDLE h = NULL;

    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), RPC_S_UNKNOWN_IF);
}
END_TEST

START_TEST(closed_port_is_server_unavailable)
{
    MPRMON_CONNECT_OPTIONS o = {.dwPort = env_port("API_CLOSED_PORT"),
                                .dwTimeoutMs = 3000};
    MPR_SERVER_HANDLE h = NULL;

    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h),
                      RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_null(h);
}
END_TEST

START_TEST(unresolvable_name_is_server_unavailable)
{
    /* .invalid never resolves (RFC 6761); whether the resolver says so at
     * once or only at the deadline, it is no server, not a missing pipe. */
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 3000};
    MPR_SERVER_HANDLE h = NULL;

    ck_assert_uint_eq(connect_with("no-such-host.invalid", &o, &h),
                      RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_null(h);
    ck_assert_msg(strstr(MprmonGetLastErrorDetail(), "not resolved"),
                  "detail: %s", MprmonGetLastErrorDetail());
}
END_TEST

START_TEST(silent_server_times_out_as_server_unavailable)
{
    DWORD port;
    int fd = listen_loopback(&port);
    MPRMON_CONNECT_OPTIONS o = {.dwPort = port, .dwTimeoutMs = 800};
    MPR_SERVER_HANDLE h = NULL;
    double start = now_ms();

    /* The kernel completes the TCP handshake from the backlog; nobody ever
     * speaks SMB on it. */
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h),
                      RPC_S_SERVER_UNAVAILABLE);
    double took = now_ms() - start;
    /* The deadline is kept within 10% (under valgrind, which slows
     * everything down, within 10 times). */
    double limit = 800.0 * (RUNNING_ON_VALGRIND ? 10.0 : 1.1);
    ck_assert_msg(took >= 795.0 && took <= limit,
                  "timeout 800 ms took %.0f ms", took);
    close(fd);
}
END_TEST

START_TEST(unsafe_credentials_file_is_refused_clearly)
{
    char path[512];
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = NULL;

    snprintf(path, sizeof(path), "%s/open.auth", env("MPRMON_TEST_TMP"));
    write_file(path, "username = someone\npassword = Sekr1t-open\n", 0644);
    o.pszCredentialsFile = path;
    ck_assert_uint_eq(MprmonSetServerOptions("router.example", &o),
                      ERROR_ACCESS_DENIED);
    const char *detail = MprmonGetLastErrorDetail();
    ck_assert_msg(strstr(detail, path) != NULL, "detail '%s' lacks the path",
                  detail);
    ck_assert_ptr_null(strstr(detail, "Sekr1t-open"));
    ck_assert_uint_eq(connect_with("127.0.0.1", &o, &h), ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(strstr(MprmonGetLastErrorDetail(), "Sekr1t-open"));

    o.pszCredentialsFile = "/nonexistent/mprmon.auth";
    ck_assert_uint_eq(MprmonSetServerOptions("router.example", &o),
                      ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(null_and_empty_name_mean_the_local_machine)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    MPR_SERVER_HANDLE h = NULL;
    WCHAR empty[] = {0};

    /* The default entry points at the RRAS peer on 127.0.0.1. */
    ck_assert_uint_eq(MprmonSetServerOptions(NULL, &o), NO_ERROR);
    ck_assert_uint_eq(MprAdminServerConnect(NULL, &h), NO_ERROR);
    MprAdminServerDisconnect(h);
    ck_assert_uint_eq(MprAdminServerConnect(empty, &h), NO_ERROR);
    MprAdminServerDisconnect(h);
    MprmonResetServerOptions();
}
END_TEST

START_TEST(store_entries_are_chosen_by_server_name)
{
    MPRMON_CONNECT_OPTIONS good = peer_options("RRAS");
    MPRMON_CONNECT_OPTIONS closed = {.dwPort = env_port("API_CLOSED_PORT"),
                                     .dwTimeoutMs = 3000};
    MPR_SERVER_HANDLE h = NULL;
    LPWSTR unc = wide("\\\\127.0.0.1");
    LPWSTR other = wide("localhost");

    ck_assert_uint_eq(MprmonSetServerOptions(NULL, &closed), NO_ERROR);
    ck_assert_uint_eq(MprmonSetServerOptions("127.0.0.1", &good), NO_ERROR);
    ck_assert_uint_eq(MprAdminServerConnect(unc, &h), NO_ERROR);
    MprAdminServerDisconnect(h);
    ck_assert_uint_eq(MprAdminServerConnect(other, &h),
                      RPC_S_SERVER_UNAVAILABLE);
    /* Removing the entry falls back to the default. */
    ck_assert_uint_eq(MprmonSetServerOptions("127.0.0.1", NULL), NO_ERROR);
    ck_assert_uint_eq(MprAdminServerConnect(unc, &h),
                      RPC_S_SERVER_UNAVAILABLE);
    MprmonResetServerOptions();
    MprAdminBufferFree(unc);
    MprAdminBufferFree(other);
}
END_TEST

/* ---- MprAdminIsServiceRunning ---- */

static MPRMON_SERVICE_STATE query_state(const MPRMON_CONNECT_OPTIONS *o,
                                        DWORD *rc, DWORD *raw)
{
    MPRMON_SERVICE_STATE state = 0;
    LPWSTR w = wide("127.0.0.1");
    *rc = MprmonQueryServiceState(w, o, &state, raw);
    MprAdminBufferFree(w);
    return state;
}

static BOOL is_running_via_store(const MPRMON_CONNECT_OPTIONS *o)
{
    LPWSTR w = wide("127.0.0.1");
    ck_assert_uint_eq(MprmonSetServerOptions("127.0.0.1", o), NO_ERROR);
    BOOL running = MprAdminIsServiceRunning(w);
    MprmonResetServerOptions();
    MprAdminBufferFree(w);
    return running;
}

START_TEST(service_state_follows_the_scm)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");
    const char *state_file = env("RRAS_RRAS_STATEFILE");
    DWORD rc, raw;

    write_file(state_file, "running\n", 0644);
    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_RUNNING);
    ck_assert_uint_eq(rc, NO_ERROR);
    ck_assert_uint_eq(raw, 4); /* SERVICE_RUNNING */
    ck_assert_int_eq(is_running_via_store(&o), TRUE);

    write_file(state_file, "stopped\n", 0644);
    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_STOPPED);
    ck_assert_uint_eq(rc, NO_ERROR);
    ck_assert_uint_eq(raw, 1); /* SERVICE_STOPPED */
    ck_assert_int_eq(is_running_via_store(&o), FALSE);

    write_file(state_file, "start_pending\n", 0644);
    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_STOPPED);
    ck_assert_uint_eq(raw, 2); /* SERVICE_START_PENDING */

    write_file(state_file, "absent\n", 0644);
    ck_assert_int_eq(query_state(&o, &rc, &raw),
                     MPRMON_SERVICE_NOT_INSTALLED);
    ck_assert_uint_eq(rc, ERROR_SERVICE_DOES_NOT_EXIST);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);

    write_file(state_file, "running\n", 0644);
}
END_TEST

START_TEST(service_scm_refusal_is_access_denied)
{
    MPRMON_CONNECT_OPTIONS o = peer_options("SCMDENY");
    DWORD rc, raw = 99;

    ck_assert_int_eq(query_state(&o, &rc, &raw),
                     MPRMON_SERVICE_ACCESS_DENIED);
    ck_assert_uint_eq(rc, ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(raw, 0);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);

    /* A refused logon is access denied too. */
    o = peer_options("RRAS");
    o.pszCredentialsFile = env("API_BAD_AUTH");
    ck_assert_int_eq(query_state(&o, &rc, &raw),
                     MPRMON_SERVICE_ACCESS_DENIED);
    ck_assert_uint_eq(rc, ERROR_ACCESS_DENIED);
}
END_TEST

START_TEST(service_on_closed_port_is_unreachable)
{
    MPRMON_CONNECT_OPTIONS o = {.dwPort = env_port("API_CLOSED_PORT"),
                                .dwTimeoutMs = 3000};
    DWORD rc, raw;

    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_UNREACHABLE);
    ck_assert_uint_eq(rc, RPC_S_SERVER_UNAVAILABLE);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);
}
END_TEST

/* ---- Error strings ---- */

START_TEST(error_strings_are_windows_text)
{
    LPWSTR text = NULL;

    ck_assert_uint_eq(MprAdminGetErrorString(RPC_S_UNKNOWN_IF, &text),
                      NO_ERROR);
    char *utf8 = MprmonWideToUtf8(text);
    ck_assert_str_eq(utf8, MprmonErrorText(RPC_S_UNKNOWN_IF));
    ck_assert_str_eq(utf8, "The interface is unknown.");
    MprAdminBufferFree(utf8);
    MprAdminBufferFree(text);
    /* A code the library does not know still gets a text, with its number. */
    ck_assert_uint_eq(MprAdminGetErrorString(424242, &text), NO_ERROR);
    utf8 = MprmonWideToUtf8(text);
    ck_assert_ptr_nonnull(strstr(utf8, "424242"));
    MprAdminBufferFree(utf8);
    MprAdminBufferFree(text);
    ck_assert_uint_eq(MprAdminGetErrorString(NO_ERROR, NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_str_eq(MprmonErrorName(RPC_S_SERVER_UNAVAILABLE),
                     "RPC_S_SERVER_UNAVAILABLE");
}
END_TEST

/* ---- Threads: several handles at once ---- */

struct worker_result {
    int failures;
    DWORD last_error;
};

static void *connect_worker(void *arg)
{
    struct worker_result *res = arg;
    MPRMON_CONNECT_OPTIONS o = peer_options("RRAS");

    for (int i = 0; i < 4; i++) {
        MPR_SERVER_HANDLE h = NULL;
        LPBYTE buf = NULL;
        DWORD rc = connect_with("127.0.0.1", &o, &h);
        if (rc == NO_ERROR)
            rc = MprAdminServerGetInfo(h, 0, &buf);
        if (rc != NO_ERROR) {
            res->failures++;
            res->last_error = rc;
        }
        MprAdminBufferFree(buf);
        MprAdminServerDisconnect(h);
    }
    return NULL;
}

START_TEST(handles_in_several_threads)
{
    enum { N = 3 };
    pthread_t t[N];
    struct worker_result res[N];

    memset(res, 0, sizeof(res));
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, connect_worker, &res[i]),
                         0);
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(res[i].failures == 0, "thread %d: %d failures, last %u",
                      i, res[i].failures, (unsigned)res[i].last_error);
    }
}
END_TEST

static Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *connect = tcase_create("connect");
    TCase *service = tcase_create("service");
    TCase *misc = tcase_create("misc");

    tcase_set_timeout(connect, 60);
    tcase_set_timeout(service, 60);
    tcase_set_timeout(misc, 120);
    tcase_add_test(connect, null_out_pointer_is_invalid_binding_without_io);
    tcase_add_test(connect, malformed_names_are_invalid_parameter);
    tcase_add_test(connect, rras_peer_connects_and_answers_every_level);
    tcase_add_test(connect, answers_decode_in_fragments_of_every_size);
    tcase_add_test(connect, connect_does_not_query_the_service);
    tcase_add_test(connect, disconnect_without_waiting_closes_soon);
    tcase_add_test(connect, wrong_password_is_access_denied);
    tcase_add_test(connect, samba_wrong_password_is_access_denied);
    tcase_add_test(connect, samba_without_router_pipe_is_unknown_if);
    tcase_add_test(connect, rras_peer_without_router_is_unknown_if);
    tcase_add_test(connect, closed_port_is_server_unavailable);
    tcase_add_test(connect, unresolvable_name_is_server_unavailable);
    tcase_add_test(connect, silent_server_times_out_as_server_unavailable);
    tcase_add_test(connect, unsafe_credentials_file_is_refused_clearly);
    tcase_add_test(connect, null_and_empty_name_mean_the_local_machine);
    tcase_add_test(connect, store_entries_are_chosen_by_server_name);
    tcase_add_test(service, service_state_follows_the_scm);
    tcase_add_test(service, service_scm_refusal_is_access_denied);
    tcase_add_test(service, service_on_closed_port_is_unreachable);
    tcase_add_test(misc, error_strings_are_windows_text);
    tcase_add_test(misc, handles_in_several_threads);
    suite_add_tcase(s, connect);
    suite_add_tcase(s, service);
    suite_add_tcase(s, misc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(api_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
