/* SPDX-License-Identifier: GPL-3.0-or-later */
/* connect_loop - time N connects to one SMB server, in one process, either
 * through libmprapi (MprmonServerConnectEx + MprAdminServerDisconnect) or
 * straight through libsmbclient (the baseline: the same SMB work with
 * nothing of ours around it).  bench/bench_connect.sh runs it.
 *
 *   connect_loop MODE N HOST PORT AUTHFILE PIPE EXPECT
 *
 * MODE
 *   mpr         MprmonServerConnectEx (credentials file read per connect,
 *               as the subagent does) + MprAdminServerDisconnect.  PIPE
 *               must be ROUTER: the library always opens \PIPE\ROUTER.
 *   smbc        one libsmbclient context for the whole loop (as libmprapi
 *               pools its contexts); per connect: open IPC$/PIPE, close,
 *               purge the cached server (so each connect is a new TCP
 *               connection, negotiate, session set-up and tree connect).
 *   smbc-fresh  the same with a new context per connect, as a program that
 *               does not pool (smbc_new_context + smbc_init_context each).
 *   mpr-svc     MprmonQueryServiceState (encryption off, as libsmbclient's
 *               sessions are): connect \PIPE\svcctl, bind, OpenSCManagerW,
 *               OpenServiceW("RemoteAccess"), close.  PIPE must be svcctl;
 *               on a Samba that lists no such service the outcome is 1060.
 *   smbc-svc    the same with libsmbclient alone and one reused context:
 *               open the pipe, write the same bind and two requests (our
 *               NDR stubs in DCE/RPC PDUs built here), read each answer
 *               (header, then the rest), close; the outcome is
 *               OpenServiceW's status (1060).
 * EXPECT is the outcome every connect must have, else the run fails (a
 * benchmark of the wrong outcome measures nothing): "ok", or for mpr a
 * Windows code (1717 = RPC_S_UNKNOWN_IF, Samba has no ROUTER pipe), for
 * smbc an errno (2 = ENOENT).
 *
 * Prints "connects N", "total_ms T", "per_connect_ms M" (mean) and
 * "median_ms D" on stdout.  Exit 0, 1 on a wrong outcome, 2 on usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libsmbclient.h>

#include "mprapi.h"
#include "scmr_priv.h"

#define LOOP_FIELD 256

struct loop_args {
    const char *mode;
    long n;
    const char *host;
    unsigned port;
    const char *authfile;
    const char *pipe;
    const char *expect;
};

/* The credentials for the libsmbclient baseline (libmprapi reads the file
 * itself). */
struct loop_creds {
    char user[LOOP_FIELD];
    char password[LOOP_FIELD];
    char domain[LOOP_FIELD];
};

static struct loop_creds loop_creds;

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* "key = value" lines of smbclient's authentication file. */
static int read_authfile(const char *path, struct loop_creds *c)
{
    char line[2 * LOOP_FIELD + 16];
    FILE *f = fopen(path, "r");

    if (!f) {
        perror(path);
        return -1;
    }
    memset(c, 0, sizeof(*c));
    while (fgets(line, sizeof(line), f)) {
        char *eq = strchr(line, '='), *key = line, *val, *end;
        char *dst = NULL;

        if (!eq)
            continue;
        *eq = '\0';
        val = eq + 1;
        while (*key == ' ' || *key == '\t')
            key++;
        end = eq;
        while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        while (*val == ' ' || *val == '\t')
            val++;
        val[strcspn(val, "\r\n")] = '\0';
        if (strcmp(key, "username") == 0)
            dst = c->user;
        else if (strcmp(key, "password") == 0)
            dst = c->password;
        else if (strcmp(key, "domain") == 0)
            dst = c->domain;
        if (dst)
            snprintf(dst, LOOP_FIELD, "%s", val);
    }
    fclose(f);
    return 0;
}

static void loop_auth(SMBCCTX *ctx, const char *srv, const char *shr, char *wg,
                      int wglen, char *un, int unlen, char *pw, int pwlen)
{
    (void)ctx;
    (void)srv;
    (void)shr;
    if (loop_creds.domain[0])
        snprintf(wg, (size_t)wglen, "%s", loop_creds.domain);
    snprintf(un, (size_t)unlen, "%s", loop_creds.user);
    snprintf(pw, (size_t)pwlen, "%s", loop_creds.password);
}

static void loop_log_discard(void *priv, int level, const char *msg)
{
    (void)priv;
    (void)level;
    (void)msg;
}

/* A context doing the SMB work libmprapi does: NTLM, no Kerberos, no
 * anonymous fallback. */
static SMBCCTX *loop_ctx_new(void)
{
    SMBCCTX *ctx = smbc_new_context();

    if (!ctx)
        return NULL;
    smbc_setDebug(ctx, 0);
    smbc_setLogCallback(ctx, NULL, loop_log_discard);
    smbc_setFunctionAuthDataWithContext(ctx, loop_auth);
    smbc_setOptionNoAutoAnonymousLogin(ctx, 1);
    smbc_setOptionUseKerberos(ctx, 0);
    smbc_setOptionFallbackAfterKerberos(ctx, 0);
    smbc_setOptionUseCCache(ctx, 0);
    smbc_setOptionOneSharePerServer(ctx, 1);
    if (!smbc_init_context(ctx)) {
        smbc_free_context(ctx, 1);
        return NULL;
    }
    smbc_setLogCallback(ctx, NULL, loop_log_discard);
    smbc_setTimeout(ctx, 10000);
    smbc_setOptionSmbEncryptionLevel(ctx, SMBC_ENCRYPTLEVEL_REQUEST);
    return ctx;
}

/* One libsmbclient connect: the outcome as "ok" or an errno, in *got. */
static int loop_smbc_once(SMBCCTX *ctx, const char *url, int *got)
{
    SMBCFILE *f;
    smbc_purge_cached_fn purge = smbc_getFunctionPurgeCachedServers(ctx);

    errno = 0;
    f = smbc_getFunctionOpen(ctx)(ctx, url, O_RDWR, 0);
    *got = f ? 0 : errno;
    if (f)
        smbc_getFunctionClose(ctx)(ctx, f);
    if (!purge || purge(ctx) != 0) {
        fprintf(stderr, "connect_loop: could not purge the cached server\n");
        return -1;
    }
    return 0;
}

/* ---- the svcctl sequence over libsmbclient, for mode smbc-svc ---- */

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

/* The common 16-byte header of a connection-oriented DCE/RPC PDU. */
static void pdu_header(uint8_t *p, unsigned ptype, unsigned frag_len,
                       uint32_t call_id)
{
    memset(p, 0, 16);
    p[0] = 5;
    p[2] = (uint8_t)ptype;
    p[3] = 3; /* first and last fragment */
    p[4] = 0x10; /* little-endian, ASCII, IEEE */
    put16(p + 8, frag_len);
    put32(p + 12, call_id);
}

/* bind for svcctl 367abb81-9844-35f1-ad32-98f038001003 v2.0, NDR v2. */
static size_t svc_bind_pdu(uint8_t *p)
{
    static const uint8_t svcctl[20] = {0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98,
                                       0xf1, 0x35, 0xad, 0x32, 0x98, 0xf0,
                                       0x38, 0x00, 0x10, 0x03, 2, 0, 0, 0};
    static const uint8_t ndr[20] = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c,
                                    0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00,
                                    0x2b, 0x10, 0x48, 0x60, 2, 0, 0, 0};
    size_t n = 72;

    pdu_header(p, 11, (unsigned)n, 1);
    put16(p + 16, 4280);
    put16(p + 18, 4280);
    put32(p + 20, 0);
    p[24] = 1; /* one context */
    p[25] = p[26] = p[27] = 0;
    put16(p + 28, 0); /* context id */
    p[30] = 1;        /* one transfer syntax */
    p[31] = 0;
    memcpy(p + 32, svcctl, 20);
    memcpy(p + 52, ndr, 20);
    return n;
}

static size_t svc_request_pdu(uint8_t *p, uint32_t call_id, unsigned opnum,
                              const uint8_t *stub, size_t len)
{
    size_t n = 24 + len;

    pdu_header(p, 0, (unsigned)n, call_id);
    put32(p + 16, (uint32_t)len);
    put16(p + 20, 0);
    put16(p + 22, opnum);
    memcpy(p + 24, stub, len);
    return n;
}

/* One whole PDU: its header, then the rest (a pipe read longer than what
 * is waiting blocks libsmbclient until the timeout). */
static ssize_t svc_read_pdu(SMBCCTX *ctx, SMBCFILE *f, uint8_t *buf,
                            size_t cap)
{
    smbc_read_fn rd = smbc_getFunctionRead(ctx);
    size_t frag;

    if (rd(ctx, f, buf, 16) != 16)
        return -1;
    frag = (size_t)buf[8] | (size_t)buf[9] << 8;
    if (frag < 16 || frag > cap ||
        rd(ctx, f, buf + 16, frag - 16) != (ssize_t)(frag - 16))
        return -1;
    return (ssize_t)frag;
}

/* Write a PDU, read the answer; the response's stub in *stub. */
static int svc_exchange(SMBCCTX *ctx, SMBCFILE *f, const uint8_t *pdu,
                        size_t len, uint8_t *buf, size_t cap,
                        const uint8_t **stub, size_t *stub_len)
{
    ssize_t n;

    if (smbc_getFunctionWrite(ctx)(ctx, f, pdu, len) != (ssize_t)len)
        return -1;
    n = svc_read_pdu(ctx, f, buf, cap);
    if (n < 24)
        return -1;
    *stub = buf + 24;
    *stub_len = (size_t)n - 24;
    return 0;
}

/* bind, OpenSCManagerW, OpenServiceW("RemoteAccess"), as the library's
 * service query does; *got is OpenServiceW's status. */
static int svc_sequence(SMBCCTX *ctx, SMBCFILE *f, const char *host, int *got)
{
    uint8_t out[1024], in[4280], stub[512];
    const uint8_t *ans;
    size_t len, ans_len;
    struct scmr_handle scm, svc;
    DWORD status;

    len = svc_bind_pdu(out);
    if (svc_exchange(ctx, f, out, len, in, sizeof(in), &ans, &ans_len) != 0 ||
        in[2] != 12)
        return -1;
    if (scmr_encode_open_sc_manager(host, SC_MANAGER_CONNECT, stub,
                                    sizeof(stub), &len) != NO_ERROR)
        return -1;
    len = svc_request_pdu(out, 2, SCMR_OPNUM_OPEN_SC_MANAGER_W, stub, len);
    if (svc_exchange(ctx, f, out, len, in, sizeof(in), &ans, &ans_len) != 0 ||
        scmr_decode_open_sc_manager(ans, ans_len, &scm, &status) != NO_ERROR ||
        status != NO_ERROR)
        return -1;
    if (scmr_encode_open_service(&scm, "RemoteAccess", SERVICE_QUERY_STATUS,
                                 stub, sizeof(stub), &len) != NO_ERROR)
        return -1;
    len = svc_request_pdu(out, 3, SCMR_OPNUM_OPEN_SERVICE_W, stub, len);
    if (svc_exchange(ctx, f, out, len, in, sizeof(in), &ans, &ans_len) != 0 ||
        scmr_decode_open_service(ans, ans_len, &svc, &status) != NO_ERROR)
        return -1;
    *got = (int)status;
    return 0;
}

static int loop_smbc_svc_once(SMBCCTX *ctx, const char *url, const char *host,
                              int *got)
{
    SMBCFILE *f;
    int rc = 0;

    errno = 0;
    f = smbc_getFunctionOpen(ctx)(ctx, url, O_RDWR, 0);
    if (!f) {
        *got = errno;
    } else {
        rc = svc_sequence(ctx, f, host, got);
        smbc_getFunctionClose(ctx)(ctx, f);
    }
    if (smbc_getFunctionPurgeCachedServers(ctx)(ctx) != 0)
        return -1;
    return rc;
}

static int outcome_ok(const char *expect, long got)
{
    if (strcmp(expect, "ok") == 0)
        return got == 0;
    return strtol(expect, NULL, 10) == got;
}

/* Run one connect of the chosen mode; *got is its outcome (0 = ok). */
static int loop_once(const struct loop_args *a, SMBCCTX **shared, LPWSTR wide,
                     const char *url, long *got)
{
    if (strcmp(a->mode, "mpr") == 0) {
        MPRMON_CONNECT_OPTIONS opts = {
            .dwPort = a->port,
            .pszCredentialsFile = a->authfile,
        };
        MPR_SERVER_HANDLE h = NULL;
        DWORD rc = MprmonServerConnectEx(wide, &opts, &h);

        MprAdminServerDisconnect(h);
        *got = (long)rc;
        return 0;
    } else if (strcmp(a->mode, "mpr-svc") == 0) {
        MPRMON_CONNECT_OPTIONS opts = {
            .dwPort = a->port,
            .pszCredentialsFile = a->authfile,
            .encryption = MPRMON_ENCRYPTION_OFF,
        };
        MPRMON_SERVICE_STATE state;

        *got = (long)MprmonQueryServiceState(wide, &opts, &state, NULL);
        return 0;
    } else if (strcmp(a->mode, "smbc-svc") == 0) {
        int e = 0;

        if (!*shared && !(*shared = loop_ctx_new()))
            return -1;
        if (loop_smbc_svc_once(*shared, url, a->host, &e) != 0) {
            fprintf(stderr, "connect_loop: the svcctl sequence failed\n");
            return -1;
        }
        *got = e;
        return 0;
    } else {
        SMBCCTX *ctx = *shared;
        int e, rc;

        if (!ctx && !(ctx = loop_ctx_new())) {
            fprintf(stderr, "connect_loop: no libsmbclient context\n");
            return -1;
        }
        rc = loop_smbc_once(ctx, url, &e);
        if (strcmp(a->mode, "smbc-fresh") == 0)
            smbc_free_context(ctx, 1);
        else
            *shared = ctx;
        *got = e;
        return rc;
    }
}

static int parse_args(int argc, char **argv, struct loop_args *a)
{
    char *end;

    if (argc != 8)
        return -1;
    a->mode = argv[1];
    if (strcmp(a->mode, "mpr") != 0 && strcmp(a->mode, "smbc") != 0 &&
        strcmp(a->mode, "smbc-fresh") != 0 &&
        strcmp(a->mode, "mpr-svc") != 0 && strcmp(a->mode, "smbc-svc") != 0)
        return -1;
    a->n = strtol(argv[2], &end, 10);
    if (*end || a->n < 1 || a->n > 1000000)
        return -1;
    a->host = argv[3];
    a->port = (unsigned)strtoul(argv[4], &end, 10);
    if (*end || a->port < 1 || a->port > 65535)
        return -1;
    a->authfile = argv[5];
    a->pipe = argv[6];
    a->expect = argv[7];
    if (strcmp(a->mode, "mpr") == 0 && strcmp(a->pipe, "ROUTER") != 0)
        return -1;
    if (strncmp(a->mode + strlen(a->mode) - 3, "svc", 3) == 0 &&
        strcmp(a->pipe, "svcctl") != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    struct loop_args a;
    SMBCCTX *shared = NULL;
    LPWSTR wide = NULL;
    char url[512];
    double *times, total = 0;
    long i, got = 0;
    int status = 0;

    if (parse_args(argc, argv, &a) != 0) {
        fprintf(stderr, "usage: connect_loop "
                        "mpr|smbc|smbc-fresh|mpr-svc|smbc-svc N HOST PORT "
                        "AUTHFILE PIPE EXPECT\n");
        return 2;
    }
    if (strncmp(a.mode, "mpr", 3) == 0) {
        wide = MprmonUtf8ToWide(a.host);
        if (!wide)
            return 2;
    } else if (read_authfile(a.authfile, &loop_creds) != 0) {
        return 2;
    }
    snprintf(url, sizeof(url), "smb://%s:%u/IPC$/%s", a.host, a.port, a.pipe);
    times = calloc((size_t)a.n, sizeof(*times));
    if (!times)
        return 1;
    for (i = 0; i < a.n; i++) {
        double t0 = now_ms();

        if (loop_once(&a, &shared, wide, url, &got) != 0) {
            status = 1;
            break;
        }
        times[i] = now_ms() - t0;
        total += times[i];
        if (!outcome_ok(a.expect, got)) {
            fprintf(stderr,
                    "connect_loop: %s connect %ld: outcome %ld, expected %s\n",
                    a.mode, i + 1, got, a.expect);
            status = 1;
            break;
        }
    }
    if (status == 0) {
        qsort(times, (size_t)a.n, sizeof(*times), cmp_double);
        printf("connects %ld\ntotal_ms %.1f\nper_connect_ms %.3f\n"
               "median_ms %.3f\n",
               a.n, total, total / (double)a.n, times[a.n / 2]);
    }
    if (shared)
        smbc_free_context(shared, 1);
    free(times);
    MprAdminBufferFree(wide);
    memset(&loop_creds, 0, sizeof(loop_creds));
    return status;
}
