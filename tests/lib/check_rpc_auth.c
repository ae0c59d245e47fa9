/* check_rpc_auth.c - authenticated DCE/RPC (NTLMSSP at levels connect,
 * packet integrity and packet privacy) against a real smbd's srvsvc pipe.
 *
 * Run through test_rpc_auth.sh, which starts a private Samba on loopback and
 * exports SAMBA_PORT and SAMBA_AUTHFILE.  The one scripted fault is a pipe
 * wrapper that flips a byte of Samba's real (signed or sealed) response: no
 * real peer sends an altered PDU, and our side must refuse it. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds_priv.h"
#include "detail_priv.h"
#include "pipe_priv.h"
#include "rpc_priv.h"

/* srvsvc 4b324fc8-1670-01d3-1278-5a47bf6ee188 v3.0 (MS-SRVS 1.9);
 * NetrServerGetInfo is opnum 21 (MS-SRVS 3.1.4.17). */
#define SRVSVC_UUID "4b324fc8-1670-01d3-1278-5a47bf6ee188"
#define SRVSVC_OPNUM_SERVER_GET_INFO 21
#define PLATFORM_ID_NT 500u
/* NetrShareEnum is opnum 15 (MS-SRVS 3.1.4.8); test_rpc_auth.sh adds this
 * many shares. */
#define SRVSVC_OPNUM_SHARE_ENUM 15
#define TEST_SHARES 120u

static unsigned samba_port;
static const char *samba_authfile;

static void load_creds(struct mpr_creds *c)
{
    char err[512];

    ck_assert_msg(creds_load_file(samba_authfile, c, err, sizeof(err)) ==
                      NO_ERROR,
                  "%s", err);
}

static struct dcerpc_syntax_id srvsvc(void)
{
    struct dcerpc_syntax_id s;

    ck_assert_uint_eq(dcerpc_uuid_from_string(SRVSVC_UUID, &s.uuid), NO_ERROR);
    s.ver_major = 3;
    s.ver_minor = 0;
    return s;
}

static struct mpr_pipe *open_srvsvc(const struct mpr_creds *c)
{
    struct mpr_pipe_params pp;
    struct mpr_pipe *p = NULL;

    memset(&pp, 0, sizeof(pp));
    pp.host = "127.0.0.1";
    pp.port = samba_port;
    pp.creds = c;
    pp.encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    pp.pipe_name = "srvsvc";
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), NO_ERROR);
    return p;
}

/* --- a pipe that flips one byte of a response body (the fault) --- */

struct tamper_pipe {
    struct mpr_pipe base;
    struct mpr_pipe *inner;
    int armed;       /* flip in the next response body */
    uint8_t ptype;   /* of the PDU whose header was read last */
    size_t flip_off; /* offset into the PDU */
    int flipped;
    FILE *dump; /* when set: every write and read, for text2pcap -D */
};

/* One chunk in text2pcap's hex format: direction line, then offset + hex. */
static void dump_chunk(FILE *f, char dir, const uint8_t *b, size_t n)
{
    size_t i;

    fprintf(f, "%c\n", dir);
    for (i = 0; i < n; i++) {
        if (i % 16 == 0)
            fprintf(f, "%06zx", i);
        fprintf(f, " %02x%s", b[i], i % 16 == 15 || i + 1 == n ? "\n" : "");
    }
    fputc('\n', f);
}

static DWORD tamper_write(struct mpr_pipe *p, const uint8_t *b, size_t n)
{
    struct tamper_pipe *t = (struct tamper_pipe *)p;

    if (t->dump)
        dump_chunk(t->dump, 'O', b, n);
    return pipe_write_all(t->inner, b, n);
}

static DWORD tamper_read(struct mpr_pipe *p, uint8_t *b, size_t n)
{
    struct tamper_pipe *t = (struct tamper_pipe *)p;
    DWORD rc = pipe_read_exact(t->inner, b, n);

    if (rc != NO_ERROR)
        return rc;
    if (t->dump)
        dump_chunk(t->dump, 'I', b, n);
    /* rpc_client reads the 16-byte header, then the rest of the PDU. */
    if (n == DCERPC_HDR_LEN) {
        t->ptype = b[2];
    } else if (t->armed && t->ptype == DCERPC_PKT_RESPONSE &&
               n > t->flip_off - DCERPC_HDR_LEN) {
        b[t->flip_off - DCERPC_HDR_LEN] ^= 0x01;
        t->armed = 0;
        t->flipped = 1;
    }
    return NO_ERROR;
}

static void tamper_close(struct mpr_pipe *p)
{
    struct tamper_pipe *t = (struct tamper_pipe *)p;

    pipe_close(t->inner);
    free(t);
}

static const struct mpr_pipe_ops tamper_ops = {tamper_write, tamper_read,
                                               tamper_close};

static struct tamper_pipe *tamper_wrap(struct mpr_pipe *inner)
{
    struct tamper_pipe *t = calloc(1, sizeof(*t));

    ck_assert_ptr_nonnull(t);
    t->base.ops = &tamper_ops;
    t->inner = inner;
    return t;
}

/* --- NetrServerGetInfo --- */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Request: ServerName as a NULL unique pointer, then Level. */
static DWORD server_get_info(struct rpc_conn *c, uint32_t level, uint8_t **resp,
                             size_t *len)
{
    uint8_t req[8] = {0, 0, 0, 0, (uint8_t)level, (uint8_t)(level >> 8), 0, 0};

    return rpc_call(c, SRVSVC_OPNUM_SERVER_GET_INFO, req, sizeof(req), resp,
                    len);
}

/* Decode SERVER_INFO_101 / _100 enough to check platform id and name:
 * union discriminant, referent, platform_id, name referent, [101: version
 * major, minor, type, comment referent], then the name as a conformant
 * varying string.  Every length is bounds-checked. */
static void check_info(const uint8_t *r, size_t len, uint32_t level,
                       const char *want_name)
{
    size_t off = level == 101 ? 32 : 16, n, i;

    ck_assert_uint_ge(len, off + 12);
    ck_assert_uint_eq(rd32(r), level);
    ck_assert_uint_ne(rd32(r + 4), 0);
    ck_assert_uint_eq(rd32(r + 8), PLATFORM_ID_NT);
    ck_assert_uint_ne(rd32(r + 12), 0);
    n = rd32(r + off + 8); /* actual_count, with the NUL */
    ck_assert_uint_eq(rd32(r + off + 4), 0);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_le(n, (len - off - 12) / 2);
    ck_assert_uint_eq(n - 1, strlen(want_name));
    for (i = 0; i + 1 < n; i++)
        ck_assert_uint_eq(r[off + 12 + 2 * i], (uint8_t)want_name[i]);
    /* The call's own status: WERR_OK, last. */
    ck_assert_uint_eq(rd32(r + len - 4), 0);
}

/* NetrShareEnum at level 1: an answer of several fragments.  Request:
 * ServerName NULL, SHARE_ENUM_STRUCT {Level 1, union arm 1, pointer to an
 * empty SHARE_INFO_1_CONTAINER}, PreferedMaximumLength 0xffffffff,
 * ResumeHandle NULL.  Answer: Level, arm, container pointer, EntriesRead,
 * ..., WERROR last. */
static void share_enum(struct rpc_conn *c)
{
    static const uint8_t req[32] = {0, 0, 0,    0,    1,    0,    0, 0, 1, 0, 0,
                                    0, 0, 0,    2,    0,    0,    0, 0, 0, 0, 0,
                                    0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    uint8_t *r = NULL;
    size_t len = 0;
    DWORD rc = rpc_call(c, SRVSVC_OPNUM_SHARE_ENUM, req, sizeof(req), &r, &len);

    ck_assert_msg(rc == NO_ERROR, "NetrShareEnum: %u (%s)", (unsigned)rc,
                  MprmonGetLastErrorDetail());
    /* Bigger than two of our 4280-byte fragments. */
    ck_assert_uint_gt(len, 2 * DCERPC_MAX_FRAG_DEFAULT);
    ck_assert_uint_eq(rd32(r), 1);
    ck_assert_uint_ge(rd32(r + 12), TEST_SHARES);
    ck_assert_uint_eq(rd32(r + len - 4), 0);
    free(r);
}

static void bind_and_call(DWORD level, DWORD auth_type)
{
    struct mpr_creds c = {0};
    struct dcerpc_syntax_id s = srvsvc();
    struct rpc_conn *conn = NULL;
    uint8_t *resp = NULL;
    size_t len = 0;
    DWORD rc;

    load_creds(&c);
    rc = rpc_bind_auth_type(open_srvsvc(&c), &s, &c, level, auth_type, &conn);
    ck_assert_msg(rc == NO_ERROR, "bind at level %u: %u (%s)", (unsigned)level,
                  (unsigned)rc, MprmonGetLastErrorDetail());
    /* Two calls: the second proves sequence numbers and RC4 states stay
     * in step on both sides. */
    rc = server_get_info(conn, 101, &resp, &len);
    ck_assert_msg(rc == NO_ERROR, "call at level %u: %u (%s)", (unsigned)level,
                  (unsigned)rc, MprmonGetLastErrorDetail());
    check_info(resp, len, 101, "MPRMONTEST");
    free(resp);
    resp = NULL;
    ck_assert_uint_eq(server_get_info(conn, 100, &resp, &len), NO_ERROR);
    check_info(resp, len, 100, "MPRMONTEST");
    free(resp);
    share_enum(conn);
    rpc_close(conn);
    creds_clear(&c);
}

/* SPNEGO (auth type 9, what MS-RRASM asks of DIMSVC clients) and bare
 * NTLMSSP (10), at each level. */
START_TEST(test_level_connect)
{
    bind_and_call(DCERPC_AUTHN_LEVEL_CONNECT, DCERPC_AUTHN_GSS_NEGOTIATE);
    bind_and_call(DCERPC_AUTHN_LEVEL_CONNECT, DCERPC_AUTHN_WINNT);
}
END_TEST

START_TEST(test_level_integrity)
{
    bind_and_call(DCERPC_AUTHN_LEVEL_PKT_INTEGRITY, DCERPC_AUTHN_GSS_NEGOTIATE);
    bind_and_call(DCERPC_AUTHN_LEVEL_PKT_INTEGRITY, DCERPC_AUTHN_WINNT);
}
END_TEST

START_TEST(test_level_privacy)
{
    bind_and_call(DCERPC_AUTHN_LEVEL_PKT_PRIVACY, DCERPC_AUTHN_GSS_NEGOTIATE);
    bind_and_call(DCERPC_AUTHN_LEVEL_PKT_PRIVACY, DCERPC_AUTHN_WINNT);
}
END_TEST

/* A request bigger than one fragment: each fragment is padded, signed and
 * sealed on its own with the next sequence number.  (bind_and_call covers
 * answers of several fragments.) */
START_TEST(test_privacy_fragmented_request)
{
    struct mpr_creds c = {0};
    struct dcerpc_syntax_id s = srvsvc();
    struct rpc_conn *conn = NULL;
    enum { NAME_CHARS = 3000 };
    size_t req_len = 16 + NAME_CHARS * 2 + 4, i;
    uint8_t *req = calloc(1, req_len), *resp = NULL;
    size_t len = 0;
    DWORD rc;

    ck_assert_ptr_nonnull(req);
    /* ServerName: unique pointer, then max_count, offset, actual_count,
     * "\\AAAA...A" + NUL, then Level 101. */
    req[0] = 1;
    for (i = 4; i < 16; i += 4) {
        req[i] = (uint8_t)(NAME_CHARS & 0xff);
        req[i + 1] = (uint8_t)(NAME_CHARS >> 8);
    }
    req[8] = req[9] = 0;
    req[16] = req[18] = '\\';
    for (i = 2; i < NAME_CHARS - 1; i++)
        req[16 + 2 * i] = 'A';
    req[req_len - 4] = 101;
    load_creds(&c);
    ck_assert_uint_eq(rpc_bind_auth(open_srvsvc(&c), &s, &c,
                                    DCERPC_AUTHN_LEVEL_PKT_PRIVACY, &conn),
                      NO_ERROR);
    rc =
        rpc_call(conn, SRVSVC_OPNUM_SERVER_GET_INFO, req, req_len, &resp, &len);
    ck_assert_msg(rc == NO_ERROR, "%u (%s)", (unsigned)rc,
                  MprmonGetLastErrorDetail());
    /* Samba answers about itself whatever name it was asked by. */
    check_info(resp, len, 101, "MPRMONTEST");
    free(resp);
    free(req);
    rpc_close(conn);
    creds_clear(&c);
}
END_TEST

/* A wrong password.  With SPNEGO the third leg is an alter_context, whose
 * answer is a fault: refused at bind.  Bare NTLMSSP's rpc_auth3 has no
 * answer, so it shows on the first call (Samba faults that request). */
START_TEST(test_wrong_password)
{
    struct mpr_creds good = {0}, bad = {0};
    struct dcerpc_syntax_id s = srvsvc();
    struct rpc_conn *conn = NULL;
    uint8_t *resp = NULL;
    size_t len = 0;
    DWORD rc;

    load_creds(&good);
    ck_assert_uint_eq(
        creds_from_strings(good.user, "not-the-password", good.domain, &bad),
        NO_ERROR);
    rc = rpc_bind_auth(open_srvsvc(&good), &s, &bad,
                       DCERPC_AUTHN_LEVEL_PKT_PRIVACY, &conn);
    ck_assert_msg(rc == ERROR_ACCESS_DENIED, "%u (%s)", (unsigned)rc,
                  MprmonGetLastErrorDetail());
    ck_assert_ptr_null(conn);
    ck_assert_ptr_nonnull(
        strstr(MprmonGetLastErrorDetail(), "wrong user name or password"));

    ck_assert_uint_eq(rpc_bind_auth_type(open_srvsvc(&good), &s, &bad,
                                         DCERPC_AUTHN_LEVEL_PKT_PRIVACY,
                                         DCERPC_AUTHN_WINNT, &conn),
                      NO_ERROR);
    rc = server_get_info(conn, 101, &resp, &len);
    ck_assert_msg(rc == ERROR_ACCESS_DENIED, "%u (%s)", (unsigned)rc,
                  MprmonGetLastErrorDetail());
    ck_assert_ptr_null(resp);
    rpc_close(conn);
    creds_clear(&good);
    creds_clear(&bad);
}
END_TEST

static void tampered(DWORD level, DWORD auth_type, size_t flip_off)
{
    struct mpr_creds c = {0};
    struct dcerpc_syntax_id s = srvsvc();
    struct rpc_conn *conn = NULL;
    struct tamper_pipe *t;
    uint8_t *resp = NULL;
    size_t len = 0;

    load_creds(&c);
    t = tamper_wrap(open_srvsvc(&c));
    t->flip_off = flip_off;
    ck_assert_uint_eq(
        rpc_bind_auth_type(&t->base, &s, &c, level, auth_type, &conn),
        NO_ERROR);
    /* Untouched, the call works... */
    ck_assert_uint_eq(server_get_info(conn, 101, &resp, &len), NO_ERROR);
    free(resp);
    resp = NULL;
    /* ...with one bit flipped in Samba's response, it is refused. */
    t->armed = 1;
    ck_assert_uint_eq(server_get_info(conn, 101, &resp, &len),
                      RPC_S_PROTOCOL_ERROR);
    ck_assert_int_eq(t->flipped, 1);
    ck_assert_ptr_null(resp);
    ck_assert_msg(strstr(MprmonGetLastErrorDetail(), "signature check failed"),
                  "detail: %s", MprmonGetLastErrorDetail());
    /* The association is unusable afterwards. */
    ck_assert_uint_eq(server_get_info(conn, 101, &resp, &len),
                      RPC_S_CALL_FAILED);
    rpc_close(conn);
    creds_clear(&c);
}

START_TEST(test_tampered_sealed_body)
{
    tampered(DCERPC_AUTHN_LEVEL_PKT_PRIVACY, DCERPC_AUTHN_GSS_NEGOTIATE,
             DCERPC_RESPONSE_HDR_LEN + 8);
    tampered(DCERPC_AUTHN_LEVEL_PKT_PRIVACY, DCERPC_AUTHN_WINNT,
             DCERPC_RESPONSE_HDR_LEN + 8);
}
END_TEST

START_TEST(test_tampered_signed_body)
{
    tampered(DCERPC_AUTHN_LEVEL_PKT_INTEGRITY, DCERPC_AUTHN_GSS_NEGOTIATE,
             DCERPC_RESPONSE_HDR_LEN + 8);
    tampered(DCERPC_AUTHN_LEVEL_PKT_INTEGRITY, DCERPC_AUTHN_WINNT,
             DCERPC_RESPONSE_HDR_LEN + 8);
}
END_TEST

/* The header is signed too (alloc_hint here). */
START_TEST(test_tampered_sealed_header)
{
    tampered(DCERPC_AUTHN_LEVEL_PKT_PRIVACY, DCERPC_AUTHN_GSS_NEGOTIATE, 16);
}
END_TEST

START_TEST(test_bad_arguments)
{
    struct mpr_creds c = {0}, anon = {0};
    struct dcerpc_syntax_id s = srvsvc();
    struct rpc_conn *conn = NULL;

    load_creds(&c);
    /* Level 3 (call) and 4 (packet) are not offered; the pipe is closed
     * (valgrind sees no leak). */
    ck_assert_uint_eq(rpc_bind_auth(open_srvsvc(&c), &s, &c, 3, &conn),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(rpc_bind_auth(open_srvsvc(&c), &s, &c, 1, &conn),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(rpc_bind_auth(open_srvsvc(&c), &s, NULL, 6, &conn),
                      ERROR_INVALID_PARAMETER);
    /* Auth types other than 9 and 10 (e.g. Kerberos, 16) are not ours. */
    ck_assert_uint_eq(rpc_bind_auth_type(open_srvsvc(&c), &s, &c, 6, 16, &conn),
                      ERROR_INVALID_PARAMETER);
    /* NTLMSSP needs a user name. */
    ck_assert_uint_eq(rpc_bind_auth(open_srvsvc(&c), &s, &anon, 6, &conn),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(conn);
    creds_clear(&c);
}
END_TEST

/* The public option: only 0, 2, 5, 6, refused before any network. */
START_TEST(test_public_option)
{
    MPRMON_CONNECT_OPTIONS o;
    MPR_SERVER_HANDLE h = NULL;
    static const WCHAR name[] = {'1', '2', '7', '.', '0',
                                 '.', '0', '.', '1', 0};

    memset(&o, 0, sizeof(o));
    o.dwPort = 1;
    o.dwRpcAuthLevel = 4;
    ck_assert_uint_eq(MprmonServerConnectEx((LPWSTR)name, &o, &h),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(h);
    ck_assert_ptr_nonnull(strstr(MprmonGetLastErrorDetail(), "level 4"));
    ck_assert_uint_eq(MprmonSetServerOptions("x", &o), ERROR_INVALID_PARAMETER);
    /* NTLMSSP needs a user: anonymous options are refused up front. */
    o.dwRpcAuthLevel = MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY;
    ck_assert_uint_eq(MprmonSetServerOptions("x", &o), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_nonnull(strstr(MprmonGetLastErrorDetail(), "user name"));
    o.pszCredentialsFile = samba_authfile;
    ck_assert_uint_eq(MprmonSetServerOptions("x", &o), NO_ERROR);
    MprmonResetServerOptions();
}
END_TEST

/* With RPC_AUTH_PDU_DUMP=PREFIX, write PREFIX.TYPE.LEVEL for auth types 9
 * and 10 at levels 5 and 6: the PDUs of a bind and two calls, for
 * test_rpc_auth.sh to turn into pcaps (text2pcap) that tshark must decode
 * without complaint. */
START_TEST(test_dump_for_tshark)
{
    static const DWORD levels[2] = {DCERPC_AUTHN_LEVEL_PKT_INTEGRITY,
                                    DCERPC_AUTHN_LEVEL_PKT_PRIVACY};
    const char *prefix = getenv("RPC_AUTH_PDU_DUMP");
    struct mpr_creds c = {0};
    struct dcerpc_syntax_id s = srvsvc();
    char path[4096];
    int i;

    ck_assert_ptr_nonnull(prefix);
    load_creds(&c);
    for (i = 0; i < 4; i++) {
        struct rpc_conn *conn = NULL;
        struct tamper_pipe *t;
        uint8_t *resp = NULL;
        size_t len = 0;

        DWORD type = i < 2 ? DCERPC_AUTHN_GSS_NEGOTIATE : DCERPC_AUTHN_WINNT;

        snprintf(path, sizeof(path), "%s.%u.%u", prefix, (unsigned)type,
                 (unsigned)levels[i % 2]);
        t = tamper_wrap(open_srvsvc(&c));
        t->dump = fopen(path, "w");
        ck_assert_ptr_nonnull(t->dump);
        ck_assert_uint_eq(
            rpc_bind_auth_type(&t->base, &s, &c, levels[i % 2], type, &conn),
            NO_ERROR);
        ck_assert_uint_eq(server_get_info(conn, 101, &resp, &len), NO_ERROR);
        free(resp);
        resp = NULL;
        ck_assert_uint_eq(server_get_info(conn, 100, &resp, &len), NO_ERROR);
        free(resp);
        fclose(t->dump);
        t->dump = NULL;
        rpc_close(conn);
    }
    creds_clear(&c);
}
END_TEST

static Suite *rpc_auth_suite(void)
{
    Suite *s = suite_create("rpc_auth");
    TCase *tc = tcase_create("samba");

    /* The first RPC on a fresh smbd waits for samba-dcerpcd; valgrind is
     * slow. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_level_connect);
    tcase_add_test(tc, test_level_integrity);
    tcase_add_test(tc, test_level_privacy);
    tcase_add_test(tc, test_privacy_fragmented_request);
    tcase_add_test(tc, test_wrong_password);
    tcase_add_test(tc, test_tampered_sealed_body);
    tcase_add_test(tc, test_tampered_signed_body);
    tcase_add_test(tc, test_tampered_sealed_header);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_public_option);
    suite_add_tcase(s, tc);
    if (getenv("RPC_AUTH_PDU_DUMP")) {
        TCase *dump = tcase_create("dump");

        tcase_set_timeout(dump, 120);
        tcase_add_test(dump, test_dump_for_tshark);
        suite_add_tcase(s, dump);
    }
    return s;
}

int main(void)
{
    const char *port = getenv("SAMBA_PORT");
    SRunner *sr;
    int failed;

    samba_authfile = getenv("SAMBA_AUTHFILE");
    if (!port || !*port || !samba_authfile || !*samba_authfile) {
        printf("SKIP: SAMBA_PORT/SAMBA_AUTHFILE not set; run "
               "tests/lib/test_rpc_auth.sh, which starts smbd\n");
        return 77;
    }
    samba_port = (unsigned)strtoul(port, NULL, 10);
    sr = srunner_create(rpc_auth_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
