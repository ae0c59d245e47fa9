/* check_pipe_smb.c - the SMB named-pipe transport against a real smbd.
 *
 * Run through check_pipe_smb.sh, which starts a private Samba on loopback and
 * exports SAMBA_PORT and SAMBA_AUTHFILE.  The only non-Samba peer is a bare
 * TCP listener that accepts and never speaks: a silent server is a fault
 * smbd cannot be made to produce.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
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

#include "creds_priv.h"
#include "pipe_priv.h"

/* Short, for the tests that wait for it; the others use the default 10 s,
 * as the first RPC on a fresh smbd waits for samba-dcerpcd to start. */
#define TEST_TIMEOUT_MS 1000

static unsigned samba_port;
static const char *samba_authfile;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load_creds(struct mpr_creds *c)
{
    char err[512];

    ck_assert_msg(creds_load_file(samba_authfile, c, err, sizeof(err)) ==
                      NO_ERROR,
                  "%s", err);
}

static unsigned timeout_ms; /* 0 = the transport's default */

static DWORD open_pipe(const char *host, unsigned port, const char *name,
                       const struct mpr_creds *c, MPRMON_ENCRYPTION enc,
                       struct mpr_pipe **out)
{
    struct mpr_pipe_params pp;

    memset(&pp, 0, sizeof(pp));
    pp.host = host;
    pp.port = port;
    pp.timeout_ms = timeout_ms;
    pp.creds = c;
    pp.encryption = enc;
    pp.pipe_name = name;
    return pipe_smb_open(&pp, out);
}

/* A DCE/RPC bind (ptype 11), call_id 1, one context: iface v<ver>.0 with
 * the NDR transfer syntax 8a885d04-1ceb-11c9-9fe8-08002b104860 v2. */
static void build_bind(uint8_t pdu[72], const uint8_t iface_uuid[16],
                       uint16_t ver)
{
    static const uint8_t head[28] = {
        5,    0,    11,   0x03,
        0x10, 0,    0,    0, /* v5.0 bind, first|last, LE */
        72,   0,    0,    0,
        1,    0,    0,    0,    /* frag_length, auth_length, call_id */
        0xb8, 0x10, 0xb8, 0x10, /* max xmit / recv frag 4280 */
        0,    0,    0,    0,    /* assoc_group_id */
        1,    0,    0,    0,    /* one context element */
    };
    static const uint8_t ndr[20] = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9,
                                    0x11, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10,
                                    0x48, 0x60, 2,    0,    0,    0};

    memcpy(pdu, head, sizeof(head));
    pdu[28] = 0; /* p_cont_id */
    pdu[29] = 0;
    pdu[30] = 1; /* n_transfer_syn */
    pdu[31] = 0;
    memcpy(pdu + 32, iface_uuid, 16);
    pdu[48] = (uint8_t)(ver & 0xff);
    pdu[49] = (uint8_t)(ver >> 8);
    pdu[50] = 0;
    pdu[51] = 0;
    memcpy(pdu + 52, ndr, sizeof(ndr));
}

/* srvsvc 4b324fc8-1670-01d3-1278-5a47bf6ee188, in NDR (mixed-endian) order */
static const uint8_t srvsvc_uuid[16] = {0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16,
                                        0xd3, 0x01, 0x12, 0x78, 0x5a, 0x47,
                                        0xbf, 0x6e, 0xe1, 0x88};
/* DIMSVC 8f09f000-b7ed-11ce-bbd2-00001a181cad */
static const uint8_t dimsvc_uuid[16] = {0x00, 0xf0, 0x09, 0x8f, 0xed, 0xb7,
                                        0xce, 0x11, 0xbb, 0xd2, 0x00, 0x00,
                                        0x1a, 0x18, 0x1c, 0xad};

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

/*
 * Send a bind, read the answer the way the RPC layer must (16-byte header,
 * then exactly the rest), check it is a bind_ack for call 1 and return the
 * first context's result (0 acceptance, 2 provider rejection).
 */
static unsigned bind_exchange(struct mpr_pipe *p, const uint8_t uuid[16],
                              uint16_t ver)
{
    uint8_t req[72], hdr[16], body[4096];
    size_t frag, blen, off;

    build_bind(req, uuid, ver);
    ck_assert_uint_eq(pipe_write_all(p, req, sizeof(req)), NO_ERROR);
    ck_assert_uint_eq(pipe_read_exact(p, hdr, sizeof(hdr)), NO_ERROR);
    ck_assert_uint_eq(hdr[0], 5);
    ck_assert_uint_eq(hdr[2], 12); /* bind_ack */
    ck_assert_uint_eq(hdr[3] & 0x03, 0x03);
    ck_assert_uint_eq(hdr[4], 0x10);
    ck_assert_uint_eq(le16(hdr + 12), 1); /* call_id (low half) */
    frag = le16(hdr + 8);
    ck_assert_uint_gt(frag, 16 + 12);
    ck_assert_uint_le(frag, 16 + sizeof(body));
    blen = frag - 16;
    ck_assert_uint_eq(pipe_read_exact(p, body, blen), NO_ERROR);
    /* max_xmit, max_recv, assoc_group, then the secondary address. */
    off = 10 + le16(body + 8);
    off += (4 - ((16 + off) % 4)) % 4; /* 4-aligned from the PDU start */
    ck_assert_uint_le(off + 4 + 24, blen);
    ck_assert_uint_eq(body[off], 1); /* n_results */
    return le16(body + off + 4);
}

START_TEST(test_open_and_bind_srvsvc)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;

    load_creds(&c);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0); /* accepted */
    pipe_close(p);
    creds_clear(&c);
}
END_TEST

START_TEST(test_bind_unknown_iface_rejected)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;

    /* The same exchange can come back negative: DIMSVC on srvsvc. */
    load_creds(&c);
    ck_assert_uint_eq(open_pipe("localhost", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_OFF, &p),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(p, dimsvc_uuid, 0), 2);
    pipe_close(p);
    creds_clear(&c);
}
END_TEST

/* IPv6 literals reach libsmbclient in a form its URL parser accepts. */
START_TEST(test_ipv6_literal)
{
    const char *v6 = getenv("SAMBA_IPV6");
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;

    if (!v6 || strcmp(v6, "1") != 0) {
        printf("no IPv6 loopback here: IPv6 literal not tested\n");
        return;
    }
    load_creds(&c);
    ck_assert_uint_eq(open_pipe("[::1]", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
    pipe_close(p);
    p = NULL;
    ck_assert_uint_eq(open_pipe("[0:0:0:0:0:0:0:1]", samba_port, "ROUTER", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      RPC_S_UNKNOWN_IF);
    creds_clear(&c);
}
END_TEST

START_TEST(test_encryption_required)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;

    /* This smbd does not encrypt unless asked, and libsmbclient 4.17 never
     * asks: REQUIRED must refuse the session before any RPC byte.  (The
     * encrypted case is in test_api_samba.sh, against an smbd that
     * demands encryption.) */
    load_creds(&c);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_REQUIRED, &p),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(p);
    creds_clear(&c);
}
END_TEST

START_TEST(test_wrong_password)
{
    struct mpr_creds c = {0}, bad = {0};
    struct mpr_pipe *p = NULL;

    load_creds(&c);
    ck_assert_uint_eq(
        creds_from_strings(c.user, "not-the-password", c.domain, &bad),
        NO_ERROR);
    /* Must not fall back to an anonymous session (which smbd allows on
     * IPC$ and which would open srvsvc). */
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &bad,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(p);
    creds_clear(&bad);
    creds_clear(&c);
}
END_TEST

/* No domain given: the workgroup libsmbclient proposes is used, which a
 * standalone server accepts for its own accounts. */
START_TEST(test_user_without_domain)
{
    struct mpr_creds c = {0}, nodom = {0};
    struct mpr_pipe *p = NULL;

    load_creds(&c);
    ck_assert_uint_eq(creds_from_strings(c.user, c.password, NULL, &nodom),
                      NO_ERROR);
    ck_assert_ptr_null(nodom.domain);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &nodom,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
    pipe_close(p);
    creds_clear(&nodom);
    creds_clear(&c);
}
END_TEST

/* No credentials is an explicit anonymous logon, which smbd's default
 * ("restrict anonymous = 0") admits to srvsvc; both spellings work. */
START_TEST(test_anonymous)
{
    struct mpr_creds none = {0};
    struct mpr_pipe *p = NULL;

    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", NULL,
                                MPRMON_ENCRYPTION_OFF, &p),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
    pipe_close(p);
    p = NULL;
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &none,
                                MPRMON_ENCRYPTION_OFF, &p),
                      NO_ERROR);
    pipe_close(p);
}
END_TEST

START_TEST(test_unknown_user)
{
    struct mpr_creds bad = {0};
    struct mpr_pipe *p = NULL;

    ck_assert_uint_eq(creds_from_strings("nosuchuser", "x", NULL, &bad),
                      NO_ERROR);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &bad,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(p);
    creds_clear(&bad);
}
END_TEST

START_TEST(test_no_router_pipe)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;

    load_creds(&c);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "ROUTER", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      RPC_S_UNKNOWN_IF);
    ck_assert_ptr_null(p);
    creds_clear(&c);
}
END_TEST

/* A port that was free a moment ago: nothing listens there. */
static unsigned closed_port(void)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    int s = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(s, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    close(s);
    return ntohs(sa.sin_port);
}

START_TEST(test_closed_port)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;
    double t0 = now_s();

    load_creds(&c);
    timeout_ms = TEST_TIMEOUT_MS;
    ck_assert_uint_eq(open_pipe("127.0.0.1", closed_port(), "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_null(p);
    /* Refused is immediate: no waiting for the timeout. */
    ck_assert_double_lt(now_s() - t0, TEST_TIMEOUT_MS / 1000.0);
    creds_clear(&c);
}
END_TEST

/* A loopback port whose accept queue is full: the kernel drops further
 * SYNs, so a connect hangs as to a router whose packets are dropped.  The
 * listener and its fillers stay open until the test process ends. */
static unsigned blackhole_port(void)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    int l = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(l, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(l, 0), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sa, &sl), 0);
    for (int i = 0; i < 4; i++) {
        int f = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

        ck_assert_int_ge(f, 0);
        (void)connect(f, (struct sockaddr *)&sa, sizeof(sa));
    }
    usleep(200 * 1000);
    return ntohs(sa.sin_port);
}

/* Once libsmbclient is warm its own connect timeout (about 5 s) applies to
 * a dropped connect, whatever ours says; a server that did not answer is
 * checked by libmprapi first on its next open, so a router that stays down
 * costs our timeout per probe. */
START_TEST(test_dropped_connect_honours_timeout)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;
    unsigned port = blackhole_port();
    double t0, dt;
    int i;

    load_creds(&c);
    timeout_ms = 0; /* a fresh smbd may first start samba-dcerpcd */
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    pipe_close(p);
    p = NULL;
    timeout_ms = TEST_TIMEOUT_MS;
    /* The first may take libsmbclient's time; the next ones must not. */
    for (i = 0; i < 3; i++) {
        t0 = now_s();
        ck_assert_uint_eq(open_pipe("127.0.0.1", port, "srvsvc", &c,
                                    MPRMON_ENCRYPTION_DEFAULT, &p),
                          RPC_S_SERVER_UNAVAILABLE);
        ck_assert_ptr_null(p);
        dt = now_s() - t0;
        if (i > 0)
            ck_assert_msg(dt < TEST_TIMEOUT_MS / 1000.0 + 1.5,
                          "open %d to a dropped connect took %.2f s", i, dt);
    }
    /* Other servers are not held up by it. */
    timeout_ms = 0;
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    pipe_close(p);
    creds_clear(&c);
}
END_TEST

START_TEST(test_unresolvable_name)
{
    struct mpr_pipe *p = NULL;

    /* .invalid never resolves (RFC 6761). */
    ck_assert_uint_eq(open_pipe("mprmon-test.invalid", samba_port, "srvsvc",
                                NULL, MPRMON_ENCRYPTION_DEFAULT, &p),
                      RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_null(p);
}
END_TEST

/* The server accepts the TCP connection (the kernel does, from the listen
 * backlog) and never says a word. */
START_TEST(test_silent_server_times_out)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    double t0, dt;

    ck_assert_int_ge(s, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(s, 4), 0);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    load_creds(&c);
    timeout_ms = TEST_TIMEOUT_MS;
    t0 = now_s();
    ck_assert_uint_eq(open_pipe("127.0.0.1", ntohs(sa.sin_port), "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      RPC_S_SERVER_UNAVAILABLE);
    dt = now_s() - t0;
    ck_assert_ptr_null(p);
    /* It gave up because of the timeout, and not much later than it. */
    ck_assert_double_ge(dt, 0.8 * TEST_TIMEOUT_MS / 1000.0);
    ck_assert_double_lt(dt, 3.0 * TEST_TIMEOUT_MS / 1000.0);
    close(s);
    creds_clear(&c);
}
END_TEST

/* Reading a reply that never comes fails after the timeout instead of
 * hanging. */
START_TEST(test_read_without_request_times_out)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;
    uint8_t hdr[16];
    double t0, dt;

    load_creds(&c);
    timeout_ms = TEST_TIMEOUT_MS;
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    t0 = now_s();
    ck_assert_uint_eq(pipe_read_exact(p, hdr, sizeof(hdr)),
                      RPC_S_SERVER_UNAVAILABLE);
    dt = now_s() - t0;
    ck_assert_double_lt(dt, 3.0 * TEST_TIMEOUT_MS / 1000.0);
    pipe_close(p);
    creds_clear(&c);
}
END_TEST

/* Contexts are reused after close: a logged-on session must not be. */
START_TEST(test_reuse_keeps_no_session)
{
    struct mpr_creds c = {0}, bad = {0};
    struct mpr_pipe *p = NULL, *q = NULL;
    int i;

    load_creds(&c);
    ck_assert_uint_eq(creds_from_strings(c.user, "wrong", c.domain, &bad),
                      NO_ERROR);
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                    MPRMON_ENCRYPTION_DEFAULT, &p),
                          NO_ERROR);
        ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
        pipe_close(p);
        ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &bad,
                                    MPRMON_ENCRYPTION_DEFAULT, &q),
                          ERROR_ACCESS_DENIED);
    }
    /* Two pipes open at once have two sessions, each working. */
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", &c,
                                MPRMON_ENCRYPTION_DEFAULT, &q),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(q, srvsvc_uuid, 3), 0);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
    pipe_close(q);
    pipe_close(p);
    creds_clear(&bad);
    creds_clear(&c);
}
END_TEST

/* Many short connections, as a prober makes: valgrind (MPRMON_VALGRIND=1)
 * checks that none of them leaks. */
START_TEST(test_many_connections)
{
    struct mpr_creds c = {0};
    struct mpr_pipe *p = NULL;
    int i;

    load_creds(&c);
    for (i = 0; i < 40; i++) {
        ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port,
                                    i % 2 ? "srvsvc" : "ROUTER", &c,
                                    MPRMON_ENCRYPTION_DEFAULT, &p),
                          i % 2 ? NO_ERROR : RPC_S_UNKNOWN_IF);
        pipe_close(p);
        p = NULL;
    }
    creds_clear(&c);
}
END_TEST

/* The prober opens pipes from several threads at once: with Samba's thread
 * hooks (smb_threads.c) these run in parallel in libsmbclient, whose
 * process-wide state must survive that.  All threads start together, and
 * failures of every kind (no pipe, wrong password, a real bind) are mixed
 * in.  Check's assertions are not thread-safe, so threads count failures. */
#define THREADS 8
#define ROUNDS 12

struct thread_arg {
    const struct mpr_creds *creds;
    const struct mpr_creds *bad;
    pthread_barrier_t *start;
    int failures;
    char first[128]; /* what failed first, for the report */
};

static void thread_fail(struct thread_arg *a, int round, const char *what,
                        DWORD rc)
{
    if (a->failures++ == 0)
        snprintf(a->first, sizeof(a->first), "round %d: %s: %lu", round, what,
                 (unsigned long)rc);
}

/* One pipe open that must fail with want. */
static void thread_open_fails(struct thread_arg *a, int round, const char *name,
                              const struct mpr_creds *c, DWORD want)
{
    struct mpr_pipe *p = NULL;
    DWORD rc = open_pipe("127.0.0.1", samba_port, name, c,
                         MPRMON_ENCRYPTION_DEFAULT, &p);

    if (rc == NO_ERROR)
        pipe_close(p);
    if (rc != want)
        thread_fail(a, round, name, rc);
}

static void *thread_main(void *v)
{
    struct thread_arg *a = v;
    int i;

    pthread_barrier_wait(a->start);
    for (i = 0; i < ROUNDS; i++) {
        struct mpr_pipe *p = NULL;
        uint8_t req[72], hdr[16], body[256];
        size_t frag;
        DWORD rc;

        if (i % 4 == 1) {
            thread_open_fails(a, i, "ROUTER", a->creds, RPC_S_UNKNOWN_IF);
            continue;
        }
        if (i % 4 == 3) {
            thread_open_fails(a, i, "srvsvc", a->bad, ERROR_ACCESS_DENIED);
            continue;
        }
        rc = open_pipe("127.0.0.1", samba_port, "srvsvc", a->creds,
                       i % 8 == 2 ? MPRMON_ENCRYPTION_OFF
                                  : MPRMON_ENCRYPTION_DEFAULT,
                       &p);
        if (rc != NO_ERROR) {
            thread_fail(a, i, "open srvsvc", rc);
            continue;
        }
        build_bind(req, srvsvc_uuid, 3);
        /* The whole bind_ack, so the pipe is left in a clean state. */
        if ((rc = pipe_write_all(p, req, sizeof(req))) != NO_ERROR)
            thread_fail(a, i, "write bind", rc);
        else if ((rc = pipe_read_exact(p, hdr, sizeof(hdr))) != NO_ERROR ||
                 hdr[2] != 12)
            thread_fail(a, i, "read bind_ack header", rc);
        else if ((frag = le16(hdr + 8)) <= 16 || frag - 16 > sizeof(body))
            thread_fail(a, i, "bind_ack length", (DWORD)frag);
        else if ((rc = pipe_read_exact(p, body, frag - 16)) != NO_ERROR)
            thread_fail(a, i, "read bind_ack body", rc);
        pipe_close(p);
    }
    return NULL;
}

START_TEST(test_threads)
{
    struct mpr_creds c = {0}, bad = {0};
    struct thread_arg args[THREADS];
    pthread_t th[THREADS];
    pthread_barrier_t start;
    int i;

    load_creds(&c);
    ck_assert_uint_eq(creds_from_strings(c.user, "wrong", c.domain, &bad),
                      NO_ERROR);
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, THREADS), 0);
    for (i = 0; i < THREADS; i++) {
        args[i].creds = &c;
        args[i].bad = &bad;
        args[i].start = &start;
        args[i].failures = 0;
        args[i].first[0] = '\0';
        ck_assert_int_eq(pthread_create(&th[i], NULL, thread_main, &args[i]),
                         0);
    }
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    for (i = 0; i < THREADS; i++)
        ck_assert_msg(args[i].failures == 0, "thread %d: %d failures, first %s",
                      i, args[i].failures, args[i].first);
    pthread_barrier_destroy(&start);
    creds_clear(&bad);
    creds_clear(&c);
}
END_TEST

/*
 * One router that accepts TCP and never answers must not hold up the others:
 * while a thread waits for the silent server, pipes to Samba open and bind
 * at their usual speed.  (With every libsmbclient call under one lock, each
 * Samba open would wait for the silent one to time out.)
 */
#define ISOLATION_SILENT_MS 3000
#define ISOLATION_OPENS 5
#define ISOLATION_MAX_S 1.5

struct silent_arg {
    const struct mpr_creds *creds;
    unsigned port;
    unsigned timeout_ms;
    DWORD rc;
    double t_end;
};

static void *silent_main(void *v)
{
    struct silent_arg *a = v;
    struct mpr_pipe *p = NULL;
    struct mpr_pipe_params pp;

    memset(&pp, 0, sizeof(pp));
    pp.host = "127.0.0.1";
    pp.port = a->port;
    pp.timeout_ms = a->timeout_ms;
    pp.creds = a->creds;
    pp.pipe_name = "srvsvc";
    a->rc = pipe_smb_open(&pp, &p);
    a->t_end = now_s();
    if (p) /* cannot happen; do not leak if it does */
        pipe_close(p);
    return NULL;
}

/* Open srvsvc and bind; ck_assert from the calling (test) thread. */
static void open_bind_close(const struct mpr_creds *c)
{
    struct mpr_pipe *p = NULL;

    ck_assert_uint_eq(open_pipe("127.0.0.1", samba_port, "srvsvc", c,
                                MPRMON_ENCRYPTION_DEFAULT, &p),
                      NO_ERROR);
    ck_assert_uint_eq(bind_exchange(p, srvsvc_uuid, 3), 0);
    pipe_close(p);
}

START_TEST(test_silent_server_isolation)
{
    struct mpr_creds c = {0};
    struct silent_arg sa_arg;
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    struct pollfd pfd;
    pthread_t th;
    /* valgrind runs everything many times slower; the test keeps its
     * meaning (Samba opens finish while the silent one still waits) with
     * longer limits. */
    const char *vg = getenv("MPRMON_VALGRIND");
    double scale = vg && strcmp(vg, "1") == 0 ? 4.0 : 1.0;
    double t0, t_samba, dt_samba, dt_silent;
    int s = socket(AF_INET, SOCK_STREAM, 0), i;

    ck_assert_int_ge(s, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(s, 4), 0);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    load_creds(&c);

    /* The process's first pipe opens alone (pipe_smb.c: Samba sets up
     * global tables during the first session set-up); a daemon has opened
     * one long before a router goes silent. */
    open_bind_close(&c);

    memset(&sa_arg, 0, sizeof(sa_arg));
    sa_arg.creds = &c;
    sa_arg.port = ntohs(sa.sin_port);
    sa_arg.timeout_ms = (unsigned)(ISOLATION_SILENT_MS * scale);
    t0 = now_s();
    ck_assert_int_eq(pthread_create(&th, NULL, silent_main, &sa_arg), 0);
    /* The connection waits in the listen queue (we never accept): the
     * silent open is under way once the listener is readable. */
    pfd.fd = s;
    pfd.events = POLLIN;
    pfd.revents = 0;
    ck_assert_int_eq(poll(&pfd, 1, (int)(2000 * scale)), 1);

    t_samba = now_s();
    for (i = 0; i < ISOLATION_OPENS; i++)
        open_bind_close(&c);
    dt_samba = now_s() - t_samba;

    ck_assert_int_eq(pthread_join(th, NULL), 0);
    dt_silent = sa_arg.t_end - t0;
    printf("isolation: %d Samba open+bind+close took %.3f s while a silent "
           "server was waited on (%.3f s, timeout %u ms)\n",
           ISOLATION_OPENS, dt_samba, dt_silent, sa_arg.timeout_ms);
    fflush(stdout); /* a failing test's process ends without flushing */
    ck_assert_uint_eq(sa_arg.rc, RPC_S_SERVER_UNAVAILABLE);
    /* The silent open really waited for its timeout... */
    ck_assert_double_ge(dt_silent, 0.8 * sa_arg.timeout_ms / 1000.0);
    /* ...and the Samba pipes did not wait for it. */
    ck_assert_msg(t_samba + dt_samba < sa_arg.t_end,
                  "the Samba opens (%.3f s) waited for the silent server "
                  "(%.3f s)",
                  dt_samba, dt_silent);
    ck_assert_msg(dt_samba < ISOLATION_MAX_S * scale,
                  "%d Samba opens took %.3f s (limit %.1f s)", ISOLATION_OPENS,
                  dt_samba, ISOLATION_MAX_S * scale);
    close(s);
    creds_clear(&c);
}
END_TEST

START_TEST(test_bad_params)
{
    struct mpr_pipe *p = (struct mpr_pipe *)1;
    struct mpr_pipe_params pp;
    struct mpr_creds c = {0};
    char longpw[300];

    ck_assert_uint_eq(pipe_smb_open(NULL, &p), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(p);
    memset(&pp, 0, sizeof(pp));
    pp.host = "127.0.0.1";
    pp.pipe_name = "srvsvc";
    ck_assert_uint_eq(pipe_smb_open(&pp, NULL), ERROR_INVALID_PARAMETER);
    pp.pipe_name = "../x";
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.pipe_name = "srvsvc";
    pp.host = "user@host";
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.host = "[::1";
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.host = "[not:v6]";
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.host = "127.0.0.1";
    pp.port = 70000;
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.port = samba_port;
    pp.encryption = (MPRMON_ENCRYPTION)9;
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    pp.encryption = MPRMON_ENCRYPTION_DEFAULT;
    /* Too long for libsmbclient's buffers: refused, never truncated. */
    memset(longpw, 'x', sizeof(longpw) - 1);
    longpw[sizeof(longpw) - 1] = '\0';
    ck_assert_uint_eq(creds_from_strings("u", longpw, NULL, &c), NO_ERROR);
    pp.creds = &c;
    ck_assert_uint_eq(pipe_smb_open(&pp, &p), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(p);
    creds_clear(&c);
    pipe_close(NULL);
}
END_TEST

/* The auth file smbd's test user gets is 0600; the same content in a 0644
 * file is refused before any network I/O. */
START_TEST(test_unsafe_authfile)
{
    struct mpr_creds c = {0};
    char path[600], err[800], cmd[1300];

    load_creds(&c);
    snprintf(path, sizeof(path), "%s.0644", samba_authfile);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0644 '%s'",
             samba_authfile, path, path);
    ck_assert_int_eq(system(cmd), 0);
    creds_clear(&c);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(err, path));
    ck_assert_ptr_nonnull(strstr(err, "0644"));
    ck_assert_ptr_null(c.password);
    unlink(path);
}
END_TEST

static void reset_timeout(void)
{
    timeout_ms = 0;
}

static Suite *pipe_suite(void)
{
    Suite *s = suite_create("pipe_smb");
    TCase *tc = tcase_create("samba");

    /* The timeouts under test plus valgrind's slowness. */
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, reset_timeout, NULL);
    tcase_add_test(tc, test_open_and_bind_srvsvc);
    tcase_add_test(tc, test_bind_unknown_iface_rejected);
    tcase_add_test(tc, test_ipv6_literal);
    tcase_add_test(tc, test_encryption_required);
    tcase_add_test(tc, test_wrong_password);
    tcase_add_test(tc, test_user_without_domain);
    tcase_add_test(tc, test_anonymous);
    tcase_add_test(tc, test_unknown_user);
    tcase_add_test(tc, test_no_router_pipe);
    tcase_add_test(tc, test_closed_port);
    tcase_add_test(tc, test_unresolvable_name);
    tcase_add_test(tc, test_dropped_connect_honours_timeout);
    tcase_add_test(tc, test_silent_server_times_out);
    tcase_add_test(tc, test_read_without_request_times_out);
    tcase_add_test(tc, test_reuse_keeps_no_session);
    tcase_add_test(tc, test_many_connections);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_silent_server_isolation);
    tcase_add_test(tc, test_bad_params);
    tcase_add_test(tc, test_unsafe_authfile);
    suite_add_tcase(s, tc);
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
               "tests/lib/check_pipe_smb.sh, which starts smbd\n");
        return 77;
    }
    samba_port = (unsigned)strtoul(port, NULL, 10);
    sr = srunner_create(pipe_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
