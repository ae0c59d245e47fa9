/* pipe_smb.c - an SMB named pipe on IPC$ through Samba's libsmbclient.
 *
 * One SMBCCTX per open pipe: libsmbclient contexts are not thread-safe, and a
 * private context keeps its connection cache and credentials private, so
 * closing the pipe closes the SMB session.
 *
 * Closed pipes give their context back to a small pool instead of freeing
 * it, because Samba 4.17's smbc_new_context() leaks about 116 bytes per call
 * (a log-file name strdup'd in reopen_logs, seen with valgrind): one context
 * per probe would grow a monitoring daemon without bound.  A context is
 * pooled only after every cached server connection in it was purged, so no
 * session (and no identity) survives into the next pipe.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <netinet/in.h>

#include <libsmbclient.h>

#include "detail_priv.h"
#include "pipe_priv.h"
#include "smb_threads_priv.h"
#include "tcp_reach_priv.h"

#define PIPE_SMB_DEFAULT_PORT 445
#define PIPE_SMB_DEFAULT_TIMEOUT_MS 10000
/* libsmbclient hands the auth callback buffers of this size (fstring). */
#define PIPE_SMB_AUTH_FIELD 256
/* "smb://" + host + ":65535" + "/IPC$/" + pipe name. */
#define PIPE_SMB_URL_MAX 512

struct pipe_smb {
    struct mpr_pipe base; /* first, so an mpr_pipe * is a pipe_smb * */
    SMBCCTX *ctx;
    SMBCFILE *file;
    smbc_read_fn read_fn;
    smbc_write_fn write_fn;
    smbc_close_fn close_fn;
    struct mpr_creds creds; /* our copy for the auth callback, until open */
    int serial;             /* no thread hooks: I/O holds pipe_smb_lock */
};

/*
 * Locking.  libsmbclient is thread-safe only with Samba's thread hooks
 * installed (smb_threads.c): without them Samba's talloc stack frames are one
 * process-wide stack, and two threads in libsmbclient at once crash within a
 * few connections (seen: talloc aborts and SIGSEGVs in negprot/gensec).
 *
 * With the hooks, calls on different contexts run in parallel, so a router
 * that does not answer holds up only its own probe.  pipe_smb_lock then
 * guards what is still process-wide (checked in Samba 4.17's
 * libsmb_context.c and libsmb_setget.c):
 *  - the context pool;
 *  - smbc_new_context / smbc_init_context / smbc_free_context: the first
 *    loads smb.conf and sets up logging once per process and sets the global
 *    debug level (lp_set_cmdline), and freeing the last initialised context
 *    tears that global state down (gfree_all);
 *  - smbc_setLogCallback, which sets Samba's one debug callback;
 *  - every call until one open has got through session set-up
 *    (pipe_smb_warm: the pipe opened, or was missing, or the logon was
 *    refused): the first session set-up initialises process-wide tables
 *    without a lock (e.g. gensec_init() marks itself done before it
 *    registers its backends, so a second thread could use them half-built).
 * Open, read, write, close and purge on a context this pipe owns need no
 * global lock: pooled contexts stay initialised, so the global state they
 * use cannot be torn down under them.
 *
 * Fallback: when the hooks cannot be installed, every call into
 * libsmbclient, I/O included, holds pipe_smb_lock, as before: SMB work is
 * then serialised process-wide, and a server that does not answer holds
 * every other pipe up for up to its timeout per operation.
 */
static pthread_mutex_t pipe_smb_lock = PTHREAD_MUTEX_INITIALIZER;
/* A pipe has been opened with the hooks in place (under pipe_smb_lock). */
static int pipe_smb_warm;

/* The global lock around this pipe's I/O, in the fallback only. */
static void pipe_smb_io_lock(const struct pipe_smb *p)
{
    if (p->serial)
        pthread_mutex_lock(&pipe_smb_lock);
}

static void pipe_smb_io_unlock(const struct pipe_smb *p)
{
    if (p->serial)
        pthread_mutex_unlock(&pipe_smb_lock);
}

/* libsmbclient logs level-0 messages to stdout unless told otherwise; a
 * library must not write on its caller's stdout, and the codes we return say
 * what failed. */
static void pipe_smb_log_discard(void *priv, int level, const char *msg)
{
    (void)priv;
    (void)level;
    (void)msg;
}

/* errno from libsmbclient -> Windows code.  Stated per errno so that the
 * fallback is a choice, not an accident. */
static DWORD pipe_smb_map_errno(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
        return ERROR_ACCESS_DENIED; /* logon or pipe open refused */
    case ENOENT:
        return RPC_S_UNKNOWN_IF; /* no such pipe on IPC$ */
    case ENOMEM:
        return ERROR_NOT_ENOUGH_MEMORY;
    case EMFILE:
    case ENFILE:
        return ERROR_TOO_MANY_OPEN_FILES; /* our limit, not the router */
    case ECONNREFUSED:
    case ETIMEDOUT:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ECONNRESET:
    case EPIPE:
    case ENOTCONN:
    default:
        /* Everything else (EINVAL for a name that does not resolve, EIO,
         * protocol failures we cannot tell apart) means we could not talk to
         * the server: what RPC reports as an unavailable server. */
        return RPC_S_SERVER_UNAVAILABLE;
    }
}

static void pipe_smb_copy_field(char *dst, int dstlen, const char *src)
{
    size_t n;

    if (dstlen <= 0)
        return;
    n = src ? strlen(src) : 0;
    /* Lengths were checked at open; never write past what we were given. */
    if (n >= (size_t)dstlen)
        n = 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static void pipe_smb_auth(SMBCCTX *ctx, const char *srv, const char *shr,
                          char *wg, int wglen, char *un, int unlen, char *pw,
                          int pwlen)
{
    struct pipe_smb *p = smbc_getOptionUserData(ctx);

    (void)srv;
    (void)shr;
    if (!p)
        return;
    /* No domain: keep what libsmbclient proposes (smb.conf's workgroup),
     * which a standalone server ignores for its local accounts. */
    if (p->creds.domain)
        pipe_smb_copy_field(wg, wglen, p->creds.domain);
    pipe_smb_copy_field(un, unlen, p->creds.user);
    pipe_smb_copy_field(pw, pwlen, p->creds.password);
}

static DWORD pipe_smb_write_all(struct mpr_pipe *mp, const uint8_t *buf,
                                size_t len)
{
    struct pipe_smb *p = (struct pipe_smb *)mp;
    size_t done = 0;
    int e;

    while (done < len) {
        ssize_t n;

        pipe_smb_io_lock(p);
        errno = 0;
        n = p->write_fn(p->ctx, p->file, buf + done, len - done);
        e = errno;
        pipe_smb_io_unlock(p);
        if (n < 0)
            return pipe_smb_map_errno(e);
        if (n == 0)
            return RPC_S_SERVER_UNAVAILABLE; /* no progress: link is gone */
        done += (size_t)n;
    }
    return NO_ERROR;
}

static DWORD pipe_smb_read_exact(struct mpr_pipe *mp, uint8_t *buf, size_t len)
{
    struct pipe_smb *p = (struct pipe_smb *)mp;
    size_t done = 0;
    int e;

    while (done < len) {
        ssize_t n;

        /* Ask for exactly what is missing: a larger read on a pipe blocks
         * until the timeout (FACTS.md). */
        pipe_smb_io_lock(p);
        errno = 0;
        n = p->read_fn(p->ctx, p->file, buf + done, len - done);
        e = errno;
        pipe_smb_io_unlock(p);
        if (n < 0)
            return pipe_smb_map_errno(e);
        if (n == 0)
            return RPC_S_SERVER_UNAVAILABLE; /* EOF: the server went away */
        if ((size_t)n > len - done)
            return RPC_S_SERVER_UNAVAILABLE; /* cannot happen; never trust */
        done += (size_t)n;
    }
    return NO_ERROR;
}

/*
 * Is the session under p's pipe encrypted (SMB3 TRANSFORM)?  Asked through
 * smbc_option_get's "smb_encrypt_on", the only public way to see it: true
 * when every server connection of the context (here exactly one) has
 * encryption on, false too when the context has none.
 */
static int pipe_smb_is_encrypted(struct pipe_smb *p)
{
    static char opt[] = "smb_encrypt_on";
    int on;

    pipe_smb_io_lock(p);
    on = smbc_option_get(p->ctx, opt) != NULL;
    pipe_smb_io_unlock(p);
    return on;
}

/* Idle contexts, each initialised and without server connections. */
#define PIPE_SMB_POOL_MAX 32
static SMBCCTX *pipe_smb_pool[PIPE_SMB_POOL_MAX];
static size_t pipe_smb_pool_len;
/* Contexts created and not yet freed, pooled or in use.  Lock held. */
static size_t pipe_smb_live;

/*
 * Close p's file and drop its context's server connections: per-context
 * work that may wait on the network, so the global lock is taken here only
 * in the fallback.  Returns whether the context is clean enough to pool.
 */
static int pipe_smb_ctx_drop(struct pipe_smb *p)
{
    smbc_purge_cached_fn purge;
    int clean;

    pipe_smb_io_lock(p);
    if (p->file) {
        p->close_fn(p->ctx, p->file); /* unlinks the file even if it fails */
        p->file = NULL;
    }
    smbc_setOptionUserData(p->ctx, NULL);
    purge = smbc_getFunctionPurgeCachedServers(p->ctx);
    /* Non-zero: some server could not be dropped; never reuse that. */
    clean = purge && purge(p->ctx) == 0;
    pipe_smb_io_unlock(p);
    return clean;
}

/* Give ctx back to the pool, or free it.  Lock held. */
static void pipe_smb_ctx_release(SMBCCTX *ctx, int clean)
{
    if (clean && pipe_smb_pool_len < PIPE_SMB_POOL_MAX) {
        pipe_smb_pool[pipe_smb_pool_len++] = ctx;
    } else {
        /* shutdown_ctx=1: also drop cached servers and their sockets.  The
         * file is closed and the servers purged already, so this does not
         * wait on the network under the lock. */
        smbc_free_context(ctx, 1);
        pipe_smb_live--;
    }
}

/* Close and free p.  Lock not held. */
static void pipe_smb_free(struct pipe_smb *p)
{
    if (p->ctx) {
        int clean = pipe_smb_ctx_drop(p);

        pthread_mutex_lock(&pipe_smb_lock);
        pipe_smb_ctx_release(p->ctx, clean);
        pthread_mutex_unlock(&pipe_smb_lock);
    }
    creds_clear(&p->creds);
    free(p);
}

static void pipe_smb_close(struct mpr_pipe *mp)
{
    if (!mp)
        return;
    pipe_smb_free((struct pipe_smb *)mp);
}

static const struct mpr_pipe_ops pipe_smb_ops = {
    .write_all = pipe_smb_write_all,
    .read_exact = pipe_smb_read_exact,
    .close = pipe_smb_close,
};

static int pipe_smb_fits(const char *s)
{
    return !s || strlen(s) < PIPE_SMB_AUTH_FIELD;
}

static int pipe_smb_name_ok(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

static DWORD pipe_smb_encrypt_level(MPRMON_ENCRYPTION e,
                                    smbc_smb_encrypt_level *out)
{
    switch (e) {
    case MPRMON_ENCRYPTION_DEFAULT:
    case MPRMON_ENCRYPTION_IF_AVAILABLE:
        *out = SMBC_ENCRYPTLEVEL_REQUEST;
        return NO_ERROR;
    case MPRMON_ENCRYPTION_OFF:
        *out = SMBC_ENCRYPTLEVEL_NONE;
        return NO_ERROR;
    case MPRMON_ENCRYPTION_REQUIRED:
        *out = SMBC_ENCRYPTLEVEL_REQUIRE;
        return NO_ERROR;
    }
    return ERROR_INVALID_PARAMETER;
}

/*
 * Samba converts strings to the "dos charset" (CP850 by default) with
 * glibc's iconv through ONE process-wide iconv_t per charset pair, which
 * iconv does not allow two threads to use at once.  NTLMSSP does such a
 * conversion in every session set-up (msrpc_gen -> push_ascii_talloc), and
 * with the thread hooks two threads racing there made a logon fail now and
 * then (ENOMEM or a refused logon under load; helgrind shows the race in
 * gconv).  With "dos charset = ASCII" Samba uses its built-in, stateless
 * converters instead.  The strings concerned (NTLMSSP's OEM domain and
 * workstation names) are ASCII in practice.
 *
 * smbc_setConfiguration() is the only public way to set it: it reads
 * smb.conf syntax from a file, here an anonymous memory file.  It reloads
 * Samba's global conversion handles, so it runs only while no other thread
 * can be inside libsmbclient: right after the context that (re)initialised
 * libsmbclient's globals was created, with no other context alive.  Best
 * effort: on failure the race stays, as it is without this.
 */
static void pipe_smb_charset_setup(SMBCCTX *ctx)
{
    static const char conf[] = "[global]\n\tdos charset = ASCII\n";
    char path[64];
    int fd = memfd_create("mprmon-smbconf", MFD_CLOEXEC);

    if (fd < 0)
        return;
    if (write(fd, conf, sizeof(conf) - 1) == (ssize_t)(sizeof(conf) - 1)) {
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        (void)smbc_setConfiguration(ctx, path);
    }
    close(fd);
}

/* A new context with the settings every pipe shares.  Lock held. */
static SMBCCTX *pipe_smb_ctx_create(int parallel)
{
    SMBCCTX *ctx = smbc_new_context();

    if (!ctx)
        return NULL;
    /* No context alive: smbc_new_context() has just loaded smb.conf. */
    if (parallel && pipe_smb_live == 0)
        pipe_smb_charset_setup(ctx);
    smbc_setDebug(ctx, 0);
    smbc_setLogCallback(ctx, NULL, pipe_smb_log_discard);
    smbc_setFunctionAuthDataWithContext(ctx, pipe_smb_auth);
    /* Without this a refused logon silently becomes an anonymous session,
     * and a wrong password "works" (FACTS.md). */
    smbc_setOptionNoAutoAnonymousLogin(ctx, 1);
    /* NTLM inside SPNEGO, as DIMSVC expects.  Kerberos would need a realm,
     * a KDC and a ticket cache we do not manage, and a failed attempt costs
     * a timeout before falling back; winbind's cache must not lend us
     * someone else's identity. */
    smbc_setOptionUseKerberos(ctx, 0);
    smbc_setOptionFallbackAfterKerberos(ctx, 0);
    smbc_setOptionUseCCache(ctx, 0);
    /* A pipe's context is its own: one connection to one share. */
    smbc_setOptionOneSharePerServer(ctx, 1);
    if (!smbc_init_context(ctx)) {
        smbc_free_context(ctx, 1);
        return NULL;
    }
    /* smbc_init_context may set up logging again; keep it silent. */
    smbc_setLogCallback(ctx, NULL, pipe_smb_log_discard);
    pipe_smb_live++;
    return ctx;
}

/* A context for p, from the pool or new, set up for this pipe.  Lock
 * held: the pool and context creation are process-wide. */
static DWORD pipe_smb_ctx_acquire(struct pipe_smb *p,
                                  smbc_smb_encrypt_level level,
                                  unsigned timeout)
{
    SMBCCTX *ctx = NULL;

    if (pipe_smb_pool_len > 0)
        ctx = pipe_smb_pool[--pipe_smb_pool_len];
    else
        ctx = pipe_smb_ctx_create(!p->serial);
    if (!ctx)
        return ERROR_NOT_ENOUGH_MEMORY; /* allocation or smb.conf set-up */
    smbc_setTimeout(ctx, (int)timeout);
    smbc_setOptionSmbEncryptionLevel(ctx, level);
    smbc_setOptionUserData(ctx, p);
    p->ctx = ctx;
    return NO_ERROR;
}

/*
 * The host as libsmbclient 4.17 takes it in a URL.  Its URL parser splits on
 * ':' and refuses "[::1]" (EINVAL), so an IPv6 literal is written in
 * Microsoft's UNC form, which Samba's resolver decodes:
 * "0-0-0-0-0-0-0-1.ipv6-literal.net".  All eight groups are spelled out in
 * hex, because the embedded-IPv4 spelling ("::ffff:10.1.2.3") is refused in
 * that form too.
 */
static DWORD pipe_smb_url_host(const char *host, char *out, size_t outlen)
{
    char inner[INET6_ADDRSTRLEN];
    struct in6_addr a;
    size_t n = strlen(host);
    int i, len;

    if (host[0] != '[') {
        /* From names_server_to_host(); still, nothing that would change how
         * the URL parses (no '/', '@', ':', ';', '%'). */
        for (i = 0; i < (int)n; i++) {
            char c = host[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
                return ERROR_INVALID_PARAMETER;
        }
        if (n >= outlen)
            return ERROR_INVALID_PARAMETER;
        memcpy(out, host, n + 1);
        return NO_ERROR;
    }
    if (n < 3 || host[n - 1] != ']' || n - 2 >= sizeof(inner))
        return ERROR_INVALID_PARAMETER;
    memcpy(inner, host + 1, n - 2);
    inner[n - 2] = '\0';
    if (inet_pton(AF_INET6, inner, &a) != 1)
        return ERROR_INVALID_PARAMETER;
    len = 0;
    for (i = 0; i < 8; i++) {
        int w =
            snprintf(out + len, outlen - (size_t)len, "%s%x", i ? "-" : "",
                     (unsigned)(a.s6_addr[2 * i] << 8 | a.s6_addr[2 * i + 1]));
        if (w < 0 || (size_t)w >= outlen - (size_t)len)
            return ERROR_INVALID_PARAMETER;
        len += w;
    }
    i = snprintf(out + len, outlen - (size_t)len, ".ipv6-literal.net");
    if (i < 0 || (size_t)i >= outlen - (size_t)len)
        return ERROR_INVALID_PARAMETER;
    return NO_ERROR;
}

DWORD pipe_smb_open(const struct mpr_pipe_params *params, struct mpr_pipe **out)
{
    struct pipe_smb *p;
    smbc_smb_encrypt_level level;
    smbc_open_fn open_fn;
    char url[PIPE_SMB_URL_MAX], urlhost[PIPE_SMB_URL_MAX / 2];
    unsigned port, timeout;
    DWORD rc;
    int n, e, alone;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (!params || !params->host || !params->host[0] || !params->pipe_name ||
        !pipe_smb_name_ok(params->pipe_name) || params->port > 65535)
        return ERROR_INVALID_PARAMETER;
    if (pipe_smb_encrypt_level(params->encryption, &level) != NO_ERROR)
        return ERROR_INVALID_PARAMETER;
    /* Longer credentials would be cut by libsmbclient's fixed buffers and
     * sent as a different (wrong) password. */
    if (params->creds && (!pipe_smb_fits(params->creds->user) ||
                          !pipe_smb_fits(params->creds->password) ||
                          !pipe_smb_fits(params->creds->domain)))
        return ERROR_INVALID_PARAMETER;
    port = params->port ? params->port : PIPE_SMB_DEFAULT_PORT;
    timeout =
        params->timeout_ms ? params->timeout_ms : PIPE_SMB_DEFAULT_TIMEOUT_MS;
    if (timeout > 3600000u)
        return ERROR_INVALID_PARAMETER;
    if (pipe_smb_url_host(params->host, urlhost, sizeof(urlhost)) != NO_ERROR)
        return ERROR_INVALID_PARAMETER;
    /* The port always goes in the URL: with none, libsmbclient tries 445 and
     * then 139, doubling the wait on an unreachable host. */
    n = snprintf(url, sizeof(url), "smb://%s:%u/IPC$/%s", urlhost, port,
                 params->pipe_name);
    if (n < 0 || (size_t)n >= sizeof(url))
        return ERROR_INVALID_PARAMETER;

    p = calloc(1, sizeof(*p));
    if (!p)
        return ERROR_NOT_ENOUGH_MEMORY;
    p->base.ops = &pipe_smb_ops;
    p->base.timeout_ms = timeout;
    if (params->creds) {
        rc = creds_copy(params->creds, &p->creds);
        if (rc != NO_ERROR) {
            free(p);
            return rc;
        }
    }

    /* Before the first context exists: Samba's talloc stack cannot change
     * to per-thread once used. */
    p->serial = !smb_threads_install();

    /* An open that will run alone (see the lock) holds every other open up
     * for as long as its connect takes, up to libsmbclient's connect
     * timeout: find a server that refuses or never answers first, outside
     * the lock and libsmbclient.  So for a server that did not answer last
     * time: libsmbclient's connect timeout is not ours (tcp_reach_priv.h). */
    pthread_mutex_lock(&pipe_smb_lock);
    alone = p->serial || !pipe_smb_warm;
    pthread_mutex_unlock(&pipe_smb_lock);
    if (alone || tcp_reach_suspect(params->host, port)) {
        rc = tcp_reach_check(params->host, port, timeout);
        if (rc != NO_ERROR) {
            if (rc == RPC_S_SERVER_UNAVAILABLE)
                tcp_reach_note(params->host, port, 0);
            creds_clear(&p->creds);
            free(p);
            return rc;
        }
    }

    pthread_mutex_lock(&pipe_smb_lock);
    rc = pipe_smb_ctx_acquire(p, level, timeout);
    if (rc != NO_ERROR) {
        pthread_mutex_unlock(&pipe_smb_lock);
        creds_clear(&p->creds);
        free(p);
        return rc;
    }
    open_fn = smbc_getFunctionOpen(p->ctx);
    p->read_fn = smbc_getFunctionRead(p->ctx);
    p->write_fn = smbc_getFunctionWrite(p->ctx);
    p->close_fn = smbc_getFunctionClose(p->ctx);
    /* Until one open has gone through, it runs alone (see the lock). */
    alone = p->serial || !pipe_smb_warm;
    if (!alone)
        pthread_mutex_unlock(&pipe_smb_lock);
    errno = 0;
    p->file = open_fn(p->ctx, url, O_RDWR, 0);
    e = errno;
    if (alone) {
        /* A missing pipe (ENOENT) or a refused logon (EACCES) also went
         * through session set-up, which is what initialises the shared
         * tables: a server without a ROUTER pipe warms up as well. */
        if ((p->file || e == ENOENT || e == EACCES) && !p->serial)
            pipe_smb_warm = 1;
        pthread_mutex_unlock(&pipe_smb_lock);
    }
    /* libsmbclient 4.17 never asks for SMB3 encryption on SMB2/3 (it only
     * records the wish in the session's credentials): a session is
     * encrypted only when the server demands it.  So REQUIRED is enforced
     * here, after the open and before any RPC byte is written.  A missing
     * pipe (ENOENT) means the session was set up: an unencrypted one is
     * then the answer that matters. */
    /* Whether the server answered at all decides its next open's check. */
    tcp_reach_note(params->host, port,
                   p->file || pipe_smb_map_errno(e) != RPC_S_SERVER_UNAVAILABLE);
    if (!p->file && !(e == ENOENT && level == SMBC_ENCRYPTLEVEL_REQUIRE)) {
        pipe_smb_free(p);
        return pipe_smb_map_errno(e);
    }
    if (level == SMBC_ENCRYPTLEVEL_REQUIRE && !pipe_smb_is_encrypted(p)) {
        detail_set("%s:%u: SMB3 encryption is required but the server did "
                   "not encrypt the session",
                   params->host, port);
        pipe_smb_free(p);
        return ERROR_ACCESS_DENIED;
    }
    if (!p->file) {
        pipe_smb_free(p);
        return pipe_smb_map_errno(e);
    }
    /* libsmbclient asks for credentials only while it sets a session up,
     * and an open pipe never reconnects: our copy goes now instead of
     * living as long as the pipe. */
    creds_clear(&p->creds);
    *out = &p->base;
    return NO_ERROR;
}
