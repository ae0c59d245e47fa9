/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api_samba.c - the public API against real Samba servers, started by
 * test_api_samba.sh: SMB3 encryption levels, and Samba's svcctl as a second
 * real service control manager (the impacket RRAS peer is the first).
 *
 * The peers:
 *   SAMBA_PLAIN_*  smbd with Samba's default "server smb encrypt" (offers
 *                  encryption, never demands it) and "svcctl list =
 *                  RemoteAccess";
 *   SAMBA_ENC_*    smbd with "server smb encrypt = required", no svcctl
 *                  service of that name;
 *   RRAS_R1_*      the impacket RRAS peer (SMB dialect 2.0.2: it cannot
 *                  encrypt at all).
 *
 * API_SAMBA_RUN picks what runs, because test_api_samba.sh drives parts of
 * it from outside:
 *   main      (default) what the library does today, asserted;
 *   required  MPRMON_ENCRYPTION_REQUIRED on a session that is not encrypted
 *             must be refused (lib/pipe_smb.c checks after the open);
 *   wire      one MprmonQueryServiceState, at API_WIRE_LEVEL against
 *             API_WIRE_PORT, returning API_WIRE_RC, while the script
 *             captures the traffic and checks what was encrypted.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mprapi.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "test_api_samba.sh must set %s", name);
    return v;
}

static DWORD env_num(const char *name)
{
    return (DWORD)strtoul(env(name), NULL, 10);
}

static LPWSTR wide(const char *s)
{
    LPWSTR w = MprmonUtf8ToWide(s);
    ck_assert_ptr_nonnull(w);
    return w;
}

/* Options for a peer whose variables are PREFIX_PORT and PREFIX_AUTHFILE. */
static MPRMON_CONNECT_OPTIONS peer(const char *prefix, MPRMON_ENCRYPTION enc)
{
    char var[64];
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 5000, .encryption = enc};

    snprintf(var, sizeof(var), "%s_PORT", prefix);
    o.dwPort = env_num(var);
    snprintf(var, sizeof(var), "%s_AUTHFILE", prefix);
    o.pszCredentialsFile = env(var);
    return o;
}

static const MPRMON_ENCRYPTION every_level[] = {
    MPRMON_ENCRYPTION_DEFAULT, MPRMON_ENCRYPTION_OFF,
    MPRMON_ENCRYPTION_IF_AVAILABLE, MPRMON_ENCRYPTION_REQUIRED};
#define N_LEVELS (sizeof(every_level) / sizeof(every_level[0]))

static DWORD connect_with(const MPRMON_CONNECT_OPTIONS *o, MPR_SERVER_HANDLE *h)
{
    LPWSTR w = wide("127.0.0.1");
    DWORD rc = MprmonServerConnectEx(w, o, h);
    MprAdminBufferFree(w);
    return rc;
}

static MPRMON_SERVICE_STATE query_state(const MPRMON_CONNECT_OPTIONS *o,
                                        DWORD *rc, DWORD *raw)
{
    MPRMON_SERVICE_STATE state = 0;
    LPWSTR w = wide("127.0.0.1");

    *raw = 99;
    *rc = MprmonQueryServiceState(w, o, &state, raw);
    MprAdminBufferFree(w);
    return state;
}

/* MprAdminIsServiceRunning takes only a name: its options come from the
 * settings store. */
static BOOL is_running_via_store(const MPRMON_CONNECT_OPTIONS *o)
{
    LPWSTR w = wide("127.0.0.1");
    BOOL running;

    ck_assert_uint_eq(MprmonSetServerOptions("127.0.0.1", o), NO_ERROR);
    running = MprAdminIsServiceRunning(w);
    MprmonResetServerOptions();
    MprAdminBufferFree(w);
    return running;
}

/* ---- Encryption: what a Samba server decides ---- */

START_TEST(encrypting_server_is_reached_at_every_level)
{
    /* smbd with "server smb encrypt = required" refuses any request that
     * is not encrypted, and flags the session so that the client encrypts
     * even when asked not to: every level gets through to the pipe lookup
     * (no ROUTER pipe on Samba: RPC_S_UNKNOWN_IF, not a refusal).  The
     * script's wire check shows the frames were encrypted. */
    for (size_t i = 0; i < N_LEVELS; i++) {
        MPRMON_CONNECT_OPTIONS o = peer("SAMBA_ENC", every_level[i]);
        MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;

        ck_assert_msg(connect_with(&o, &h) == RPC_S_UNKNOWN_IF, "level %d: %s",
                      (int)every_level[i], MprmonGetLastErrorDetail());
        ck_assert_ptr_null(h);
    }
}
END_TEST

START_TEST(plain_server_is_reached_without_required)
{
    static const MPRMON_ENCRYPTION levels[] = {MPRMON_ENCRYPTION_DEFAULT,
                                               MPRMON_ENCRYPTION_OFF,
                                               MPRMON_ENCRYPTION_IF_AVAILABLE};

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        MPRMON_CONNECT_OPTIONS o = peer("SAMBA_PLAIN", levels[i]);
        MPR_SERVER_HANDLE h = NULL;

        ck_assert_msg(connect_with(&o, &h) == RPC_S_UNKNOWN_IF, "level %d: %s",
                      (int)levels[i], MprmonGetLastErrorDetail());
    }
}
END_TEST

START_TEST(unknown_encryption_level_is_invalid_parameter)
{
    MPRMON_CONNECT_OPTIONS o = peer("SAMBA_PLAIN", MPRMON_ENCRYPTION_OFF);
    MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;
    DWORD rc, raw;

    o.encryption = (MPRMON_ENCRYPTION)7;
    ck_assert_uint_eq(connect_with(&o, &h), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(h);
    query_state(&o, &rc, &raw);
    ck_assert_uint_eq(rc, ERROR_INVALID_PARAMETER);
}
END_TEST

/* ---- Samba's svcctl as a real SCM ---- */

START_TEST(samba_listed_service_status_is_access_denied)
{
    /* Samba 4.17 lists RemoteAccess ("svcctl list") and opens it, but its
     * QueryServiceStatus for such services is compiled out and always
     * answers WERR_ACCESS_DENIED (source3/services/svc_rcinit.c), whatever
     * the caller's rights: the real "refused at the query" case. */
    MPRMON_CONNECT_OPTIONS o = peer("SAMBA_PLAIN", MPRMON_ENCRYPTION_DEFAULT);
    DWORD rc, raw;

    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_ACCESS_DENIED);
    ck_assert_uint_eq(rc, ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(raw, 0);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);
}
END_TEST

START_TEST(samba_unlisted_service_is_not_installed_at_every_level)
{
    for (size_t i = 0; i < N_LEVELS; i++) {
        MPRMON_CONNECT_OPTIONS o = peer("SAMBA_ENC", every_level[i]);
        DWORD rc, raw;

        ck_assert_int_eq(query_state(&o, &rc, &raw),
                         MPRMON_SERVICE_NOT_INSTALLED);
        ck_assert_msg(rc == ERROR_SERVICE_DOES_NOT_EXIST, "level %d: %u %s",
                      (int)every_level[i], (unsigned)rc,
                      MprmonGetLastErrorDetail());
        ck_assert_uint_eq(raw, 0);
    }
    MPRMON_CONNECT_OPTIONS o = peer("SAMBA_ENC", MPRMON_ENCRYPTION_DEFAULT);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);
}
END_TEST

START_TEST(samba_refused_logon_is_access_denied)
{
    char path[512], text[256];
    MPRMON_CONNECT_OPTIONS o = peer("SAMBA_PLAIN", MPRMON_ENCRYPTION_DEFAULT);
    DWORD rc, raw;
    FILE *f;

    snprintf(path, sizeof(path), "%s/samba-api-wrong.auth",
             env("MPRMON_TEST_TMP"));
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    snprintf(text, sizeof(text), "username = %s\npassword = wrong-%d\n",
             env("SAMBA_USER"), (int)getpid());
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, 0600), 0);
    o.pszCredentialsFile = path;

    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_ACCESS_DENIED);
    ck_assert_uint_eq(rc, ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(raw, 0);
    ck_assert_int_eq(is_running_via_store(&o), FALSE);
}
END_TEST

/* ---- REQUIRED must be enforced ---- */

/* The refusal must say why: a wrong password is ERROR_ACCESS_DENIED too. */
static void assert_refused_for_encryption(DWORD rc, const char *what)
{
    const char *detail = MprmonGetLastErrorDetail();

    ck_assert_msg(rc == ERROR_ACCESS_DENIED,
                  "%s: REQUIRED on an unencrypted session gave %u %s (%s)",
                  what, (unsigned)rc, MprmonErrorName(rc), detail);
    ck_assert_msg(strstr(detail, "encrypt") != NULL,
                  "%s: the detail does not say encryption: '%s'", what, detail);
}

START_TEST(required_on_a_peer_that_cannot_encrypt_is_refused)
{
    MPRMON_CONNECT_OPTIONS o = peer("RRAS_R1", MPRMON_ENCRYPTION_REQUIRED);
    MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;
    DWORD rc, raw;

    rc = connect_with(&o, &h);
    if (h && rc == NO_ERROR)
        MprAdminServerDisconnect(h);
    assert_refused_for_encryption(rc, "connect to the RRAS peer");
    ck_assert_ptr_null(h);

    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_ACCESS_DENIED);
    assert_refused_for_encryption(rc, "service query on the RRAS peer");
}
END_TEST

START_TEST(required_on_a_server_that_offers_encryption_gets_it)
{
    /* Plain smbd offers SMB3 encryption without demanding it: REQUIRED asks
     * for it and gets it, so the connect goes on to find that Samba has no
     * ROUTER pipe, and the service query reaches Samba's SCM. */
    MPRMON_CONNECT_OPTIONS o = peer("SAMBA_PLAIN", MPRMON_ENCRYPTION_REQUIRED);
    MPR_SERVER_HANDLE h = (MPR_SERVER_HANDLE)1;
    DWORD rc, raw;

    rc = connect_with(&o, &h);
    ck_assert_msg(rc == RPC_S_UNKNOWN_IF, "connect to Samba gave %u %s (%s)",
                  (unsigned)rc, MprmonErrorName(rc),
                  MprmonGetLastErrorDetail());
    ck_assert_ptr_null(h);
    /* Listed RemoteAccess: Samba's SCM refuses QueryServiceStatus. */
    ck_assert_int_eq(query_state(&o, &rc, &raw), MPRMON_SERVICE_ACCESS_DENIED);
    ck_assert_msg(strstr(MprmonGetLastErrorDetail(), "encrypt") == NULL,
                  "refused for encryption: %s", MprmonGetLastErrorDetail());
}
END_TEST

/* ---- One call for the script's capture ---- */

START_TEST(wire_query)
{
    MPRMON_CONNECT_OPTIONS o = {.dwTimeoutMs = 5000};
    const char *level = env("API_WIRE_LEVEL");
    DWORD rc, raw;

    o.dwPort = env_num("API_WIRE_PORT");
    o.pszCredentialsFile = env("API_WIRE_AUTHFILE");
    o.dwRpcAuthLevel = env_num("API_WIRE_RPC_AUTH");
    if (strcmp(level, "off") == 0)
        o.encryption = MPRMON_ENCRYPTION_OFF;
    else if (strcmp(level, "if-available") == 0)
        o.encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    else if (strcmp(level, "required") == 0)
        o.encryption = MPRMON_ENCRYPTION_REQUIRED;
    else
        ck_abort_msg("API_WIRE_LEVEL '%s' unknown", level);
    query_state(&o, &rc, &raw);
    ck_assert_msg(rc == env_num("API_WIRE_RC"), "%s: got %u %s (%s)", level,
                  (unsigned)rc, MprmonErrorName(rc),
                  MprmonGetLastErrorDetail());
}
END_TEST

static Suite *samba_suite(const char *run)
{
    Suite *s = suite_create("api_samba");
    TCase *tc;

    if (strcmp(run, "wire") == 0) {
        tc = tcase_create("wire");
        tcase_add_test(tc, wire_query);
    } else if (strcmp(run, "required") == 0) {
        tc = tcase_create("required");
        tcase_add_test(tc, required_on_a_peer_that_cannot_encrypt_is_refused);
        tcase_add_test(tc, required_on_a_server_that_offers_encryption_gets_it);
    } else {
        tc = tcase_create("main");
        tcase_add_test(tc, encrypting_server_is_reached_at_every_level);
        tcase_add_test(tc, plain_server_is_reached_without_required);
        tcase_add_test(tc, unknown_encryption_level_is_invalid_parameter);
        tcase_add_test(tc, samba_listed_service_status_is_access_denied);
        tcase_add_test(tc,
                       samba_unlisted_service_is_not_installed_at_every_level);
        tcase_add_test(tc, samba_refused_logon_is_access_denied);
    }
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    const char *run = getenv("API_SAMBA_RUN");
    SRunner *sr;
    int failed;

    if (!run || !*run)
        run = "main";
    if (strcmp(run, "main") != 0 && strcmp(run, "required") != 0 &&
        strcmp(run, "wire") != 0) {
        fprintf(stderr, "API_SAMBA_RUN '%s': main, required or wire\n", run);
        return EXIT_FAILURE;
    }
    sr = srunner_create(samba_suite(run));
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
