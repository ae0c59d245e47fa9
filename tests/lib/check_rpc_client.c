/* check_rpc_client.c - the DCE/RPC client association (lib/rpc_client.c).
 *
 * (a) Against a real DCE/RPC peer: impacket's DCERPCServer
 *     (tests/lib/rpc_echo_peer.py) over ncacn_ip_tcp on 127.0.0.1, reached
 *     through a test-only TCP struct mpr_pipe (impacket forwards SMB named
 *     pipes to exactly such a server).
 * (b) A scripted in-memory pipe, ONLY for faults a real peer cannot be made
 *     to produce: truncated PDUs, frag_length beyond the data, a 4 GiB
 *     alloc_hint, endless fragments, wrong call ids, bind_nak reasons, other
 *     data representations, and fault codes impacket never sends.
 *
 * When the peer cannot start (no python3 with impacket, or no top_srcdir),
 * (b) still runs and the program then exits 77 (skip) saying why. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rpc_priv.h"
#include "rpc_test_pdus.h"
#include "rpc_test_pipes.h"

#define ECHO_UUID "4f1e0a5c-2b7d-4c3e-9a61-8d2f5b7c9e01"
#define OP_ECHO 0
#define OP_DENIED 1
#define OP_GENERATE 2
#define OP_BEYOND 7
#define OP_IMPACKET_UNKNOWN 150
#define RPC_S_CANNOT_SUPPORT 1764u /* what impacket's stock fault carries */

static unsigned peer_port;
static pid_t peer_pid = -1;
static int peer_stdin = -1;

static struct dcerpc_syntax_id echo_iface(void)
{
    struct dcerpc_syntax_id s;

    ck_assert_uint_eq(dcerpc_uuid_from_string(ECHO_UUID, &s.uuid), NO_ERROR);
    s.ver_major = 1;
    s.ver_minor = 0;
    return s;
}

/* ---- (a) the impacket peer ---------------------------------------------- */

/* Start the peer; it prints its port and exits when its stdin closes.
 * Returns 0, or -1 with the reason in why. */
static int peer_start(char *why, size_t whylen)
{
    const char *srcdir = getenv("top_srcdir");
    const char *py = getenv("PYTHON3_SYSTEM");
    int in[2], out[2];
    char script[4096], line[32];
    struct pollfd pfd;
    size_t got = 0;

    if (!srcdir) {
        snprintf(why, whylen, "top_srcdir is not set (run through make)");
        return -1;
    }
    if (!py || !*py)
        py = "/usr/bin/python3";
    snprintf(script, sizeof(script), "%s/tests/lib/rpc_echo_peer.py", srcdir);
    if (pipe(in) != 0 || pipe(out) != 0) {
        snprintf(why, whylen, "pipe: %s", strerror(errno));
        return -1;
    }
    peer_pid = fork();
    if (peer_pid < 0) {
        snprintf(why, whylen, "fork: %s", strerror(errno));
        return -1;
    }
    if (peer_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl(py, py, script, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    peer_stdin = in[1];
    pfd.fd = out[0];
    pfd.events = POLLIN;
    while (got < sizeof(line) - 1) {
        ssize_t n;

        if (poll(&pfd, 1, 20000) != 1)
            break;
        n = read(out[0], line + got, 1);
        if (n != 1)
            break;
        if (line[got] == '\n')
            break;
        got++;
    }
    close(out[0]);
    line[got] = 0;
    peer_port = (unsigned)strtoul(line, NULL, 10);
    if (peer_port == 0 || peer_port > 65535) {
        snprintf(why, whylen,
                 "%.200s %.200s did not start (is python3-impacket "
                 "installed for %.200s?)",
                 py, script, py);
        return -1;
    }
    return 0;
}

static void peer_stop(void)
{
    int status;

    if (peer_stdin >= 0)
        close(peer_stdin);
    if (peer_pid > 0) {
        for (int i = 0; i < 50; i++) {
            if (waitpid(peer_pid, &status, WNOHANG) == peer_pid)
                return;
            usleep(100000);
        }
        kill(peer_pid, SIGKILL);
        waitpid(peer_pid, &status, 0);
    }
}

static struct rpc_conn *peer_bind(void)
{
    struct dcerpc_syntax_id iface = echo_iface();
    struct mpr_pipe *p = NULL;
    struct rpc_conn *c = NULL;

    ck_assert_uint_eq(test_tcp_pipe_open(peer_port, 10000, &p), NO_ERROR);
    ck_assert_uint_eq(rpc_bind(p, &iface, &c), NO_ERROR);
    ck_assert_ptr_nonnull(c);
    return c;
}

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)((i * 31 + seed) & 0xff);
}

START_TEST(test_peer_bind_unknown_if)
{
    struct mpr_pipe *p = NULL;
    struct rpc_conn *c = NULL;

    ck_assert_uint_eq(test_tcp_pipe_open(peer_port, 10000, &p), NO_ERROR);
    /* impacket serves only the echo interface */
    ck_assert_uint_eq(rpc_bind(p, &rpc_iface_dimsvc, &c), RPC_S_UNKNOWN_IF);
    ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_peer_echo)
{
    static const uint8_t msg[] = "hello, DIMSVC\0\1\2\3";
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 0;

    ck_assert_uint_eq(rpc_call(c, OP_ECHO, msg, sizeof(msg), &resp, &len),
                      NO_ERROR);
    ck_assert_uint_eq(len, sizeof(msg));
    ck_assert_mem_eq(resp, msg, sizeof(msg));
    free(resp);
    /* a second call on the same association */
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, msg, 4, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(resp, msg, 4);
    free(resp);
    rpc_close(c);
}
END_TEST

START_TEST(test_peer_echo_empty)
{
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 1;

    ck_assert_uint_eq(rpc_call(c, OP_ECHO, NULL, 0, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 0);
    free(resp);
    rpc_close(c);
}
END_TEST

START_TEST(test_peer_echo_fragmented)
{
    /* bigger than max_xmit_frag both ways: our request goes out in three
     * fragments and the peer answers in three */
    enum { N = 10000 };
    static uint8_t req[N];
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 0;

    pattern(req, N, 7);
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, req, N, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, N);
    ck_assert_mem_eq(resp, req, N);
    free(resp);
    rpc_close(c);
}
END_TEST

START_TEST(test_peer_large_response)
{
    enum { N = 300000 };
    uint8_t req[4] = {N & 0xff, (N >> 8) & 0xff, (N >> 16) & 0xff, 0};
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 0;

    ck_assert_uint_eq(rpc_call(c, OP_GENERATE, req, 4, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, N);
    for (size_t i = 0; i < N; i++)
        if (resp[i] != (uint8_t)(i & 0xff))
            ck_abort_msg("byte %zu is %u", i, resp[i]);
    free(resp);
    rpc_close(c);
}
END_TEST

START_TEST(test_peer_response_too_big)
{
    uint32_t n = RPC_MAX_RESPONSE + 1;
    uint8_t req[4] = {n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >> 24};
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 0;

    ck_assert_uint_eq(rpc_call(c, OP_GENERATE, req, 4, &resp, &len),
                      RPC_S_PROTOCOL_ERROR);
    ck_assert_ptr_null(resp);
    /* the stream is mid-response: the association refuses further calls */
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, req, 4, &resp, &len),
                      RPC_S_CALL_FAILED);
    rpc_close(c);
}
END_TEST

START_TEST(test_peer_faults)
{
    static const uint8_t msg[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct rpc_conn *c = peer_bind();
    uint8_t *resp = NULL;
    size_t len = 0;

    ck_assert_uint_eq(rpc_call(c, OP_BEYOND, msg, 8, &resp, &len),
                      RPC_S_PROCNUM_OUT_OF_RANGE);
    ck_assert_ptr_null(resp);
    ck_assert_uint_eq(rpc_call(c, OP_DENIED, msg, 8, &resp, &len),
                      ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(rpc_call(c, OP_IMPACKET_UNKNOWN, msg, 8, &resp, &len),
                      RPC_S_CANNOT_SUPPORT);
    /* a fault leaves the association usable */
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, msg, 8, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(resp, msg, 8);
    free(resp);
    rpc_close(c);
}
END_TEST

/* ---- (b) scripted pipe: faults a real peer cannot produce --------------- */

static uint8_t script[1 << 16];

static size_t ack_ok(uint8_t *b, uint16_t max_recv)
{
    return tpdu_bind_ack(b, 1, 4280, max_recv, "\\PIPE\\echo", 0, 0,
                         &rpc_syntax_ndr);
}

/* Bind over the script; the association (or NULL) in *c. */
static DWORD script_bind(struct script_pipe *sp, size_t n, struct rpc_conn **c)
{
    struct dcerpc_syntax_id iface = echo_iface();

    script_pipe_init(sp, script, n);
    *c = NULL;
    return rpc_bind(&sp->base, &iface, c);
}

/* After a failed bind the pipe must have been closed exactly once. */
static void expect_bind_fails(size_t n, DWORD code)
{
    struct script_pipe sp;
    struct rpc_conn *c;

    ck_assert_uint_eq(script_bind(&sp, n, &c), code);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(sp.close_count, 1);
    script_pipe_clear(&sp);
}

/* Bind (scripted ack at the front of script, n bytes in all), one call. */
static DWORD script_call(size_t n, uint8_t **resp, size_t *len)
{
    static const uint8_t req[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct script_pipe sp;
    struct rpc_conn *c;
    DWORD rc;

    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    rc = rpc_call(c, OP_ECHO, req, sizeof(req), resp, len);
    rpc_close(c);
    ck_assert_int_eq(sp.close_count, 1);
    script_pipe_clear(&sp);
    return rc;
}

START_TEST(test_script_truncated_header)
{
    size_t n = ack_ok(script, 4280);

    (void)n;
    /* the server hangs up 10 bytes into its header: the transport's code */
    expect_bind_fails(10, RPC_S_SERVER_UNAVAILABLE);
    expect_bind_fails(0, RPC_S_SERVER_UNAVAILABLE);
}
END_TEST

START_TEST(test_script_frag_length_beyond_data)
{
    size_t n = ack_ok(script, 4280);

    script[8] = (uint8_t)(n + 20);
    expect_bind_fails(n, RPC_S_SERVER_UNAVAILABLE);
    /* beyond the max_recv_frag we offered: refused before reading it */
    script[8] = 0x00;
    script[9] = 0xf0;
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_script_bind_rejections)
{
    size_t n;

    /* Samba's answer for an interface it does not serve (FACTS.md) */
    n = tpdu_bind_ack(script, 1, 4280, 4280, NULL, 2, 1, &rpc_syntax_ndr);
    expect_bind_fails(n, RPC_S_UNKNOWN_IF);
    ck_assert_ptr_nonnull(
        strstr(MprmonGetLastErrorDetail(), "interface not served"));
    /* transfer syntax not supported */
    n = tpdu_bind_ack(script, 1, 4280, 4280, NULL, 2, 2, &rpc_syntax_ndr);
    expect_bind_fails(n, RPC_S_UNKNOWN_IF);
    n = tpdu_bind_nak(script, 1, DCERPC_NAK_REASON_NOT_SPECIFIED);
    expect_bind_fails(n, RPC_S_UNKNOWN_IF);
    n = tpdu_bind_nak(script, 1, DCERPC_NAK_PROTOCOL_VERSION_NOT_SUPPORTED);
    expect_bind_fails(n, RPC_S_UNKNOWN_IF);
    n = tpdu_bind_nak(script, 1, DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED);
    expect_bind_fails(n, ERROR_ACCESS_DENIED);
    n = tpdu_bind_nak(script, 1, DCERPC_NAK_INVALID_CHECKSUM);
    expect_bind_fails(n, ERROR_ACCESS_DENIED);
}
END_TEST

START_TEST(test_script_bind_malformed)
{
    size_t n;

    /* call id of another bind */
    n = tpdu_bind_ack(script, 2, 4280, 4280, NULL, 0, 0, &rpc_syntax_ndr);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    n = tpdu_bind_nak(script, 2, 0);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    /* big-endian data representation */
    n = ack_ok(script, 4280);
    script[4] = 0x00;
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    /* accepted, but with a transfer syntax we did not offer */
    n = tpdu_bind_ack(script, 1, 4280, 4280, NULL, 0, 0, &rpc_iface_svcctl);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    /* negotiate_ack for a feature offer we never made */
    n = tpdu_bind_ack(script, 1, 4280, 4280, NULL, 3, 0, &rpc_syntax_ndr);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    /* a receive limit too small to carry a request */
    n = ack_ok(script, 1000);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
    /* a response where a bind_ack belongs */
    n = tpdu_response(script, 1, 3, 0, NULL, 0);
    expect_bind_fails(n, RPC_S_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_script_bind_args)
{
    struct dcerpc_syntax_id iface = echo_iface();
    struct script_pipe sp;
    struct rpc_conn *c = NULL;

    ck_assert_uint_eq(rpc_bind(NULL, &iface, &c), ERROR_INVALID_PARAMETER);
    script_pipe_init(&sp, script, 0);
    ck_assert_uint_eq(rpc_bind(&sp.base, NULL, &c), ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(sp.close_count, 1);
    rpc_close(NULL);
}
END_TEST

START_TEST(test_script_alloc_hint_4gib)
{
    static const uint8_t stub[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    size_t n = ack_ok(script, 4280);
    uint8_t *resp = NULL;
    size_t len = 0;

    /* the hint is only a hint: 8 bytes arrive, 8 bytes come out */
    n += tpdu_response(script + n, 2, 3, 0xffffffffu, stub, sizeof(stub));
    ck_assert_uint_eq(script_call(n, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, sizeof(stub));
    ck_assert_mem_eq(resp, stub, sizeof(stub));
    free(resp);
}
END_TEST

START_TEST(test_script_endless_fragments)
{
    static uint8_t loop[4096];
    static const uint8_t stub[4000];
    struct script_pipe sp;
    struct rpc_conn *c;
    size_t n = ack_ok(script, 4280);
    uint8_t *resp = NULL;
    size_t len = 0;
    size_t loop_len;

    /* a first fragment, then middle fragments for ever: stopped by the
     * RPC_MAX_RESPONSE byte limit */
    n += tpdu_response(script + n, 2, DCERPC_PFC_FIRST_FRAG, 0xffffffffu, stub,
                       16);
    loop_len = tpdu_response(loop, 2, 0, 0xffffffffu, stub, sizeof(stub));
    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    sp.loop = loop;
    sp.loop_len = loop_len;
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len),
                      RPC_S_PROTOCOL_ERROR);
    ck_assert_ptr_null(resp);
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len),
                      RPC_S_CALL_FAILED);
    rpc_close(c);
    script_pipe_clear(&sp);

    /* empty middle fragments for ever: stopped by the fragment limit */
    loop_len = tpdu_response(loop, 2, 0, 0, NULL, 0);
    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    sp.loop = loop;
    sp.loop_len = loop_len;
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len),
                      RPC_S_PROTOCOL_ERROR);
    rpc_close(c);
    script_pipe_clear(&sp);
}
END_TEST

/* The scripted pipe with every read 1 ms late, as on a slow link: time
 * passes, so that a whole-call deadline can trip before the byte and
 * fragment caps do. */
static const struct mpr_pipe_ops *script_ops_orig;

static DWORD slow_read_exact(struct mpr_pipe *p, uint8_t *buf, size_t len)
{
    usleep(1000);
    return script_ops_orig->read_exact(p, buf, len);
}

START_TEST(test_script_call_deadline)
{
    static uint8_t loop[64];
    static const uint8_t stub[16];
    static struct mpr_pipe_ops slow_ops;
    struct script_pipe sp;
    struct rpc_conn *c;
    size_t n = ack_ok(script, 4280);
    uint8_t *resp = NULL;
    size_t len = 0;

    /* Empty middle fragments for ever, each 2 ms apart: the 2048-fragment
     * cap would need 4 s; the pipe's 100 ms timeout, counted over the
     * whole call, stops it first. */
    n += tpdu_response(script + n, 2, DCERPC_PFC_FIRST_FRAG, 0xffffffffu, stub,
                       16);
    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    script_ops_orig = sp.base.ops;
    slow_ops = *sp.base.ops;
    slow_ops.read_exact = slow_read_exact;
    sp.base.ops = &slow_ops;
    sp.base.timeout_ms = 100;
    sp.loop = loop;
    sp.loop_len = tpdu_response(loop, 2, 0, 0, NULL, 0);
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len),
                      ERROR_TIMEOUT);
    ck_assert_ptr_null(resp);
    /* The stream is mid-PDU: the association is done for. */
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len),
                      RPC_S_CALL_FAILED);
    rpc_close(c);
    script_pipe_clear(&sp);

    /* The same timeout does not hurt an answer that comes in time, in
     * several fragments. */
    n = ack_ok(script, 4280);
    n += tpdu_response(script + n, 2, DCERPC_PFC_FIRST_FRAG, 32, stub, 16);
    n += tpdu_response(script + n, 2, DCERPC_PFC_LAST_FRAG, 16, stub, 16);
    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    sp.base.ops = &slow_ops;
    sp.base.timeout_ms = 100;
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, stub, 8, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 32);
    free(resp);
    rpc_close(c);
    script_pipe_clear(&sp);
}
END_TEST

START_TEST(test_script_wrong_call_id)
{
    static const uint8_t stub[4] = {1, 2, 3, 4};
    size_t n = ack_ok(script, 4280);
    uint8_t *resp = NULL;
    size_t len = 0;

    tpdu_response(script + n, 99, 3, 4, stub, 4);
    ck_assert_uint_eq(script_call(n + 28, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* the same for a fault that names another call */
    tpdu_fault(script + n, 99, DCERPC_NCA_UNK_IF);
    ck_assert_uint_eq(script_call(n + 32, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* but call id 0 on a fault is a server that could not parse our PDU */
    tpdu_fault(script + n, 0, DCERPC_NCA_PROTO_ERROR);
    ck_assert_uint_eq(script_call(n + 32, &resp, &len), RPC_S_PROTOCOL_ERROR);
    tpdu_fault(script + n, 0, DCERPC_NCA_UNK_IF);
    ck_assert_uint_eq(script_call(n + 32, &resp, &len), RPC_S_UNKNOWN_IF);
}
END_TEST

START_TEST(test_script_bad_fragments)
{
    static const uint8_t stub[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t n0 = ack_ok(script, 4280), n;
    uint8_t *resp = NULL;
    size_t len = 0;

    /* first fragment without PFC_FIRST_FRAG */
    n = n0 + tpdu_response(script + n0, 2, DCERPC_PFC_LAST_FRAG, 8, stub, 8);
    ck_assert_uint_eq(script_call(n, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* a second PFC_FIRST_FRAG in the middle of a response */
    n = n0 + tpdu_response(script + n0, 2, DCERPC_PFC_FIRST_FRAG, 16, stub, 8);
    n += tpdu_response(script + n, 2, 3, 8, stub, 8);
    ck_assert_uint_eq(script_call(n, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* another presentation context */
    n = n0 + tpdu_response(script + n0, 2, 3, 8, stub, 8);
    script[n0 + 20] = 1;
    ck_assert_uint_eq(script_call(n, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* an auth verifier we never negotiated */
    n = n0 + tpdu_response(script + n0, 2, 3, 8, stub, 8);
    memset(script + n, 0, 16);
    script[n0 + 8] = (uint8_t)(24 + 8 + 16);
    script[n0 + 10] = 8;
    ck_assert_uint_eq(script_call(n + 16, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* a PDU type that has no place in a call */
    n = n0 + ack_ok(script + n0, 4280);
    ck_assert_uint_eq(script_call(n, &resp, &len), RPC_S_PROTOCOL_ERROR);
    /* a truncated response */
    n = n0 + tpdu_response(script + n0, 2, 3, 8, stub, 8);
    ck_assert_uint_eq(script_call(n - 1, &resp, &len),
                      RPC_S_SERVER_UNAVAILABLE);
    ck_assert_ptr_null(resp);
}
END_TEST

START_TEST(test_script_reassembly)
{
    static const uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t b[5] = {9, 10, 11, 12, 13};
    size_t n = ack_ok(script, 4280);
    uint8_t *resp = NULL;
    size_t len = 0;

    n += tpdu_response(script + n, 2, DCERPC_PFC_FIRST_FRAG, 21, a, 8);
    n += tpdu_response(script + n, 2, 0, 13, a, 8);
    n += tpdu_response(script + n, 2, DCERPC_PFC_LAST_FRAG, 5, b, 5);
    ck_assert_uint_eq(script_call(n, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 21);
    ck_assert_mem_eq(resp, a, 8);
    ck_assert_mem_eq(resp + 8, a, 8);
    ck_assert_mem_eq(resp + 16, b, 5);
    free(resp);
}
END_TEST

START_TEST(test_script_fault_codes)
{
    static const struct {
        uint32_t status;
        DWORD code;
    } map[] = {
        {DCERPC_NCA_UNK_IF, RPC_S_UNKNOWN_IF},
        {DCERPC_NCA_OP_RNG_ERROR, RPC_S_PROCNUM_OUT_OF_RANGE},
        {DCERPC_NCA_PROTO_ERROR, RPC_S_PROTOCOL_ERROR},
        {DCERPC_NCA_RPC_VERSION_MISMATCH, RPC_S_PROTOCOL_ERROR},
        {DCERPC_NCA_S_FAULT_ACCESS_DENIED, ERROR_ACCESS_DENIED},
        {DCERPC_NCA_S_FAULT_NDR, RPC_X_BAD_STUB_DATA},
        {DCERPC_NCA_S_FAULT_INVALID_BOUND, RPC_X_BAD_STUB_DATA},
        {DCERPC_NCA_S_FAULT_INVALID_TAG, RPC_X_BAD_STUB_DATA},
        {DCERPC_NCA_S_FAULT_CONTEXT_MISMATCH, ERROR_INVALID_HANDLE},
        {DCERPC_NCA_S_FAULT_CANCEL, RPC_S_CALL_CANCELLED},
        {DCERPC_NCA_S_FAULT_UNSPEC, RPC_S_CALL_FAILED},
        {DCERPC_NCA_SERVER_TOO_BUSY, RPC_S_CALL_FAILED},
        {0xc0000022u, RPC_S_CALL_FAILED}, /* an NTSTATUS */
        {0, RPC_S_PROTOCOL_ERROR},        /* MS-RPCE 3.3.3.5.1 */
        {ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER},
    };
    size_t n = ack_ok(script, 4280);

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        uint8_t *resp = NULL;
        size_t len = 0;

        char hex[16];

        tpdu_fault(script + n, 2, map[i].status);
        ck_assert_msg(script_call(n + 32, &resp, &len) == map[i].code,
                      "status 0x%08x", map[i].status);
        ck_assert_ptr_null(resp);
        /* the detail text names the status the server sent */
        snprintf(hex, sizeof(hex), "0x%08x", map[i].status);
        ck_assert_ptr_nonnull(strstr(MprmonGetLastErrorDetail(), hex));
    }
}
END_TEST

/* The request stream we wrote, after the 72-byte bind, split back into
 * fragments: each at most max_frag bytes, flags in order, stub intact. */
static void check_fragments(const uint8_t *w, size_t wlen, size_t max_frag,
                            const uint8_t *stub, size_t stub_len)
{
    size_t off = DCERPC_BIND_LEN, got = 0;
    unsigned nfrag = 0;

    while (off < wlen) {
        size_t fl = (size_t)(w[off + 8] | w[off + 9] << 8);
        size_t part = fl - DCERPC_REQUEST_HDR_LEN;
        uint32_t hint = (uint32_t)w[off + 16] | (uint32_t)w[off + 17] << 8 |
                        (uint32_t)w[off + 18] << 16;

        ck_assert_uint_eq(w[off + 2], DCERPC_PKT_REQUEST);
        ck_assert_uint_le(fl, max_frag);
        ck_assert_uint_eq(w[off + 3] & DCERPC_PFC_FIRST_FRAG,
                          nfrag == 0 ? DCERPC_PFC_FIRST_FRAG : 0);
        ck_assert_uint_eq(w[off + 3] & DCERPC_PFC_LAST_FRAG,
                          got + part == stub_len ? DCERPC_PFC_LAST_FRAG : 0);
        ck_assert_uint_eq(w[off + 12], 2); /* call id */
        ck_assert_uint_eq(w[off + 22], OP_ECHO);
        ck_assert_uint_eq(hint, stub_len - got);
        if (got + part < stub_len)
            ck_assert_uint_eq(part % 8, 0);
        ck_assert_mem_eq(w + off + 24, stub + got, part);
        got += part;
        off += fl;
        nfrag++;
    }
    ck_assert_uint_eq(off, wlen);
    ck_assert_uint_eq(got, stub_len);
    ck_assert_uint_gt(nfrag, stub_len / max_frag);
}

START_TEST(test_script_fragment_to_server_limit)
{
    enum { N = 5000 };
    static uint8_t req[N];
    struct script_pipe sp;
    struct rpc_conn *c;
    size_t n = ack_ok(script, 2000);
    uint8_t *resp = NULL;
    size_t len = 0;

    /* the server receives at most 2000 bytes per fragment */
    n += tpdu_response(script + n, 2, 3, 0, NULL, 0);
    pattern(req, N, 3);
    ck_assert_uint_eq(script_bind(&sp, n, &c), NO_ERROR);
    ck_assert_uint_eq(rpc_call(c, OP_ECHO, req, N, &resp, &len), NO_ERROR);
    ck_assert_uint_eq(len, 0);
    free(resp);
    check_fragments(sp.out, sp.out_len, 2000, req, N);
    rpc_close(c);
    script_pipe_clear(&sp);
}
END_TEST

START_TEST(test_script_call_args)
{
    struct script_pipe sp;
    struct rpc_conn *c;
    uint8_t *resp = NULL;
    size_t len = 0;

    ck_assert_uint_eq(script_bind(&sp, ack_ok(script, 4280), &c), NO_ERROR);
    ck_assert_uint_eq(rpc_call(c, 0, NULL, 1, &resp, &len),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(rpc_call(c, 0, NULL, 0, NULL, &len),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(rpc_call(NULL, 0, NULL, 0, &resp, &len),
                      ERROR_INVALID_PARAMETER);
    /* nothing was sent after the bind */
    ck_assert_uint_eq(sp.out_len, DCERPC_BIND_LEN);
    rpc_close(c);
    script_pipe_clear(&sp);
}
END_TEST

START_TEST(test_iface_constants)
{
    struct dcerpc_uuid u;

    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8f09f000-b7ed-11ce-bbd2-00001a181cad", &u),
        NO_ERROR);
    ck_assert_mem_eq(rpc_iface_dimsvc.uuid.bytes, u.bytes, 16);
    ck_assert_uint_eq(rpc_iface_dimsvc.ver_major, 0);
    ck_assert_uint_eq(rpc_iface_dimsvc.ver_minor, 0);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("367abb81-9844-35f1-ad32-98f038001003", &u),
        NO_ERROR);
    ck_assert_mem_eq(rpc_iface_svcctl.uuid.bytes, u.bytes, 16);
    ck_assert_uint_eq(rpc_iface_svcctl.ver_major, 2);
    ck_assert_uint_eq(rpc_iface_svcctl.ver_minor, 0);
    ck_assert_uint_eq(
        dcerpc_uuid_from_string("8a885d04-1ceb-11c9-9fe8-08002b104860", &u),
        NO_ERROR);
    ck_assert_mem_eq(rpc_syntax_ndr.uuid.bytes, u.bytes, 16);
    ck_assert_uint_eq(rpc_syntax_ndr.ver_major, 2);
    ck_assert_uint_eq(rpc_syntax_ndr.ver_minor, 0);
}
END_TEST

static Suite *rpc_suite(int with_peer)
{
    Suite *s = suite_create("rpc_client");
    TCase *scripted = tcase_create("scripted");

    tcase_add_test(scripted, test_iface_constants);
    tcase_add_test(scripted, test_script_truncated_header);
    tcase_add_test(scripted, test_script_frag_length_beyond_data);
    tcase_add_test(scripted, test_script_bind_rejections);
    tcase_add_test(scripted, test_script_bind_malformed);
    tcase_add_test(scripted, test_script_bind_args);
    tcase_add_test(scripted, test_script_alloc_hint_4gib);
    tcase_add_test(scripted, test_script_endless_fragments);
    tcase_add_test(scripted, test_script_call_deadline);
    tcase_add_test(scripted, test_script_wrong_call_id);
    tcase_add_test(scripted, test_script_bad_fragments);
    tcase_add_test(scripted, test_script_reassembly);
    tcase_add_test(scripted, test_script_fault_codes);
    tcase_add_test(scripted, test_script_fragment_to_server_limit);
    tcase_add_test(scripted, test_script_call_args);
    suite_add_tcase(s, scripted);
    if (with_peer) {
        TCase *peer = tcase_create("impacket");

        tcase_set_timeout(peer, 60);
        tcase_add_test(peer, test_peer_bind_unknown_if);
        tcase_add_test(peer, test_peer_echo);
        tcase_add_test(peer, test_peer_echo_empty);
        tcase_add_test(peer, test_peer_echo_fragmented);
        tcase_add_test(peer, test_peer_large_response);
        tcase_add_test(peer, test_peer_response_too_big);
        tcase_add_test(peer, test_peer_faults);
        suite_add_tcase(s, peer);
    }
    return s;
}

int main(void)
{
    char why[1024] = "";
    int with_peer = peer_start(why, sizeof(why)) == 0;
    SRunner *sr;
    int failed;

    sr = srunner_create(rpc_suite(with_peer));
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    peer_stop();
    if (failed)
        return EXIT_FAILURE;
    if (!with_peer) {
        printf("SKIP: real-peer tests not run: %s\n", why);
        return 77;
    }
    return EXIT_SUCCESS;
}
