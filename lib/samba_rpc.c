/* SPDX-License-Identifier: GPL-3.0-or-later */
/* samba_rpc.c - the only file that includes Samba's headers: libdcerpc's
 * client on one tevent loop.  It connects (SMB 2/3 session, named pipe,
 * bind), makes raw calls carrying our own NDR, closes, and maps Samba's
 * NTSTATUS codes to the Windows codes the public API promises.
 *
 * Samba's client is not thread-safe: everything here runs on the thread
 * that calls srpc_loop_once (engine.c's I/O thread).
 *
 * Private Samba details relied on (docs/samba.md lists them, and
 * srpc_loop_new or a test checks each):
 * - the layout of struct composite_context (not installed by samba-dev),
 *   to learn when dcerpc_pipe_connect_b_send completes; checked on every
 *   connect against the event context we passed;
 * - setup_logging and debug_set_callback from libsamba-debug (a private
 *   library, loaded with libdcerpc; configure checks its name), found
 *   with dlopen(RTLD_NOLOAD) and dlsym, so that Samba's log lines reach our
 *   log hook instead of stderr. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <talloc.h>
#include <tevent.h>
#include <core/ntstatus.h>
#include <credentials.h>
#include <dcerpc.h>
#include <param.h>
#include <util/debug.h>
#include <gen_ndr/ndr_svcctl.h>

/* Samba's doserr.h defines these Windows codes too, as WERROR values;
 * from here on they are ours (DWORD). */
#undef ERROR_INVALID_PARAMETER
#undef ERROR_INSUFFICIENT_BUFFER

#include "log_priv.h"
#include "samba_rpc_priv.h"

/* Samba 4.17's struct composite_context (source4/libcli/composite/
 * composite.h).  dcerpc.h only declares it; its first fields are mirrored
 * to set the completion callback.  connect_check_composite verifies the
 * mirror on every connect. */
enum srpc_composite_state {
    SRPC_COMPOSITE_INIT,
    SRPC_COMPOSITE_IN_PROGRESS,
    SRPC_COMPOSITE_DONE,
    SRPC_COMPOSITE_ERROR
};
struct composite_context {
    enum srpc_composite_state state;
    void *private_data;
    NTSTATUS status;
    struct tevent_context *event_ctx;
    struct {
        void (*fn)(struct composite_context *);
        void *private_data;
    } async;
    bool used_wait;
};

/* Connects share a loadparm context per port and encryption setting: one
 * costs about 18 KB, too much to keep per held connection.  Each connect
 * leaves a resolve context of about 2 KB on the one it used, so a context
 * serves PARAMS_USES connects and is then let go: it lives on, by Samba's
 * references, as long as connections made with it do.  There are slots
 * for many settings: a fleet spread over more ports than slots would make
 * every connect evict a context and build a new one, 18 KB more for each
 * connection held. */
#define PARAMS_SLOTS 64
#define PARAMS_USES 64

struct params_slot {
    struct loadparm_context *lp; /* NULL: free slot */
    unsigned port;
    MPRMON_ENCRYPTION encryption;
    unsigned uses;
};

struct srpc_loop {
    struct tevent_context *ev;
    void (*on_wake)(void *arg);
    void *wake_arg;
    struct params_slot params[PARAMS_SLOTS];
    unsigned params_next; /* the slot to reuse when none is free */
};

struct srpc_timer {
    void (*fn)(void *arg);
    void *arg;
};

struct srpc_conn {
    struct srpc_loop *loop;
    struct dcerpc_pipe *pipe;
    unsigned calls_in_flight;
    bool free_when_idle;
};

enum op_kind { OP_CONNECT, OP_CALL };

struct srpc_op {
    enum op_kind kind;
    struct srpc_conn *conn;
    srpc_connect_fn connect_done;
    srpc_call_fn call_done;
    void *arg;
    MPRMON_ENCRYPTION encryption;
};

/* ---- DIMSVC as libdcerpc sees it: just enough to bind ---- */

static const char *const dimsvc_endpoint_names[] = {"ncacn_np:[\\pipe\\ROUTER]"};
static const struct ndr_interface_string_array dimsvc_endpoints = {
    .count = 1, .names = dimsvc_endpoint_names};
/* The service principal class for signing and sealing. */
static const char *const dimsvc_authservice_names[] = {"host"};
static const struct ndr_interface_string_array dimsvc_authservices = {
    .count = 1, .names = dimsvc_authservice_names};
static const struct ndr_interface_table ndr_table_dimsvc = {
    .name = "dimsvc",
    .syntax_id = {.uuid = {0x8f09f000, 0xb7ed, 0x11ce, {0xbb, 0xd2},
                           {0x00, 0x00, 0x1a, 0x18, 0x1c, 0xad}},
                  .if_version = 0},
    .helpstring = "MS-RRASM DIMSVC",
    .endpoints = &dimsvc_endpoints,
    .authservices = &dimsvc_authservices,
};

/* ---- Samba's log lines ---- */

static void samba_log_line(void *private_ptr, int level, const char *msg)
{
    (void)private_ptr;
    log_emit(level <= 0 ? MPRMON_LOG_ERROR : MPRMON_LOG_DEBUG, "samba: %s",
             msg);
}

/* Route Samba's DEBUG output to our hook.  Without the private symbols its
 * level-0 lines would go to stderr, so their absence is an error. */
static DWORD capture_samba_logging(void)
{
    void (*setup)(const char *, enum debug_logtype) = NULL;
    void (*set_callback)(void *, debug_callback_fn) = NULL;
    /* Already loaded as a dependency of libdcerpc: NOLOAD only finds it. */
    void *lib = dlopen(SAMBA_DEBUG_LIBRARY, RTLD_NOW | RTLD_NOLOAD);

    if (lib) {
        *(void **)&setup = dlsym(lib, "setup_logging");
        *(void **)&set_callback = dlsym(lib, "debug_set_callback");
    }
    if (!setup || !set_callback) {
        log_emit(MPRMON_LOG_ERROR, "Samba's setup_logging/debug_set_callback "
                                   "not found in " SAMBA_DEBUG_LIBRARY);
        if (lib)
            dlclose(lib);
        return ERROR_NOT_SUPPORTED;
    }
    setup("mprmon", DEBUG_CALLBACK);
    set_callback(NULL, samba_log_line);
    /* The reference is kept: the callback must stay installed. */
    return NO_ERROR;
}

/* ---- the loop ---- */

static void wake_handler(struct tevent_context *ev, struct tevent_fd *fde,
                         uint16_t flags, void *private_data)
{
    struct srpc_loop *loop = private_data;

    (void)ev;
    (void)fde;
    (void)flags;
    loop->on_wake(loop->wake_arg);
}

DWORD srpc_loop_new(int wake_fd, void (*on_wake)(void *arg), void *arg,
                    struct srpc_loop **out)
{
    struct srpc_loop *loop;
    DWORD rc = capture_samba_logging();

    *out = NULL;
    if (rc != NO_ERROR)
        return rc;
    if (!NT_STATUS_IS_OK(dcerpc_init()))
        return ERROR_NOT_SUPPORTED;
    loop = talloc_zero(NULL, struct srpc_loop);
    if (!loop)
        return ERROR_NOT_ENOUGH_MEMORY;
    loop->on_wake = on_wake;
    loop->wake_arg = arg;
    loop->ev = tevent_context_init(loop);
    if (!loop->ev ||
        !tevent_add_fd(loop->ev, loop, wake_fd, TEVENT_FD_READ, wake_handler,
                       loop)) {
        talloc_free(loop);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *out = loop;
    return NO_ERROR;
}

int srpc_loop_once(struct srpc_loop *loop)
{
    return tevent_loop_once(loop->ev);
}

void srpc_loop_free(struct srpc_loop *loop)
{
    talloc_free(loop);
}

static void timer_handler(struct tevent_context *ev, struct tevent_timer *te,
                          struct timeval now, void *private_data)
{
    struct srpc_timer *t = private_data;
    void (*fn)(void *) = t->fn;
    void *arg = t->arg;

    (void)ev;
    (void)te;
    (void)now;
    talloc_free(t);
    fn(arg);
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct srpc_timer *srpc_timer_add(struct srpc_loop *loop, uint64_t when_ns,
                                  void (*fn)(void *arg), void *arg)
{
    uint64_t now = monotonic_ns();
    uint64_t delay_us = when_ns > now ? (when_ns - now + 999) / 1000 : 0;
    struct srpc_timer *t = talloc_zero(loop, struct srpc_timer);

    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    /* tevent's timers run on the wall clock: convert the monotonic
     * deadline to an offset from now. */
    if (!tevent_add_timer(loop->ev, t,
                          tevent_timeval_current_ofs(
                              (uint32_t)(delay_us / 1000000u),
                              (uint32_t)(delay_us % 1000000u)),
                          timer_handler, t)) {
        talloc_free(t);
        return NULL;
    }
    return t;
}

void srpc_timer_free(struct srpc_timer *t)
{
    talloc_free(t);
}

/* ---- NTSTATUS -> Windows codes ---- */

/* The Windows code for a failed connect, and why, for people. */
static DWORD map_connect_status(NTSTATUS st, MPRMON_ENCRYPTION encryption,
                                const char **why)
{
    switch (NT_STATUS_V(st)) {
    case 0xc000006d: /* LOGON_FAILURE */
    case 0xc000006a: /* WRONG_PASSWORD */
    case 0xc0000064: /* NO_SUCH_USER */
    case 0xc0000022: /* ACCESS_DENIED */
    case 0xc0000072: /* ACCOUNT_DISABLED */
    case 0xc0000234: /* ACCOUNT_LOCKED_OUT */
    case 0xc0000071: /* PASSWORD_EXPIRED */
    case 0xc000006e: /* ACCOUNT_RESTRICTION */
    case 0xc0020057: /* RPC_SEC_PKG_ERROR */
        *why = "logon or pipe access refused";
        return ERROR_ACCESS_DENIED;
    case 0xc00000bb: /* NOT_SUPPORTED */
        if (encryption == MPRMON_ENCRYPTION_REQUIRED) {
            *why = "SMB3 encryption is required but the server did not "
                   "encrypt the session";
            return ERROR_ACCESS_DENIED;
        }
        *why = "the server does not support what the session needs";
        return RPC_S_SERVER_UNAVAILABLE;
    case 0xc0000034: /* OBJECT_NAME_NOT_FOUND */
    case 0xc000000f: /* NO_SUCH_FILE */
    case 0xc000003a: /* OBJECT_PATH_NOT_FOUND */
        *why = "the pipe does not exist";
        return RPC_S_UNKNOWN_IF;
    case 0xc0020026: /* RPC_UNSUPPORTED_NAME_SYNTAX */
    case 0xc0020012: /* RPC_UNKNOWN_IF */
    case 0xc000000d: /* INVALID_PARAMETER: Samba's word for a bind_nak */
        *why = "the server rejected the bind for this interface";
        return RPC_S_UNKNOWN_IF;
    case 0xc000011f: /* TOO_MANY_OPENED_FILES */
        *why = "this process ran out of file descriptors";
        return ERROR_TOO_MANY_OPEN_FILES;
    case 0xc0000017: /* NO_MEMORY: Samba 4.17 drops the socket error */
        if (errno == EMFILE || errno == ENFILE) {
            *why = "this process ran out of file descriptors";
            return ERROR_TOO_MANY_OPEN_FILES;
        }
        *why = "no answer (connection refused or failed)";
        return RPC_S_SERVER_UNAVAILABLE;
    case 0xc0000059: /* REVISION_MISMATCH: bind_nak, protocol version */
        *why = "the server refused the bind: DCE/RPC version not supported";
        return RPC_S_PROTOCOL_ERROR;
    case 0xc0000023: /* BUFFER_TOO_SMALL: a malformed bind_ack */
    case 0xc002001d: /* RPC_PROTOCOL_ERROR */
    case 0xc00000c3: /* INVALID_NETWORK_RESPONSE */
        *why = "the server answered with malformed DCE/RPC";
        return RPC_S_PROTOCOL_ERROR;
    default:
        *why = "no answer (refused, unreachable or dropped)";
        return RPC_S_SERVER_UNAVAILABLE;
    }
}

/* The Windows code for a failed call (a fault, or the pipe failing). */
static DWORD map_call_status(NTSTATUS st)
{
    switch (NT_STATUS_V(st)) {
    case 0xc0000022: /* ACCESS_DENIED (fault 5) */
        return ERROR_ACCESS_DENIED;
    case 0xc0020012: /* RPC_UNKNOWN_IF */
        return RPC_S_UNKNOWN_IF;
    case 0xc002002e: /* RPC_PROCNUM_OUT_OF_RANGE */
        return RPC_S_PROCNUM_OUT_OF_RANGE;
    case 0xc003000c: /* RPC_BAD_STUB_DATA */
    case 0xc003000a: /* RPC_ENUM_VALUE_OUT_OF_RANGE */
        return RPC_X_BAD_STUB_DATA;
    case 0xc0020050: /* RPC_CALL_CANCELLED */
        return RPC_S_CALL_CANCELLED;
    case 0xc002001d: /* RPC_PROTOCOL_ERROR */
    case 0xc00000c3: /* INVALID_NETWORK_RESPONSE */
    case 0xc0000023: /* BUFFER_TOO_SMALL */
    case 0xc0000206: /* INVALID_BUFFER_SIZE */
        return RPC_S_PROTOCOL_ERROR;
    case 0xc00000b5: /* IO_TIMEOUT */
        return ERROR_TIMEOUT;
    case 0xc000020c: /* CONNECTION_DISCONNECTED */
    case 0xc000020d: /* CONNECTION_RESET */
    case 0xc0000011: /* END_OF_FILE */
    case 0xc000014b: /* PIPE_BROKEN */
    case 0xc00000b0: /* PIPE_DISCONNECTED */
        return RPC_S_SERVER_UNAVAILABLE;
    default:
        return RPC_S_CALL_FAILED;
    }
}

static void format_status(char *buf, size_t len, const char *what,
                          NTSTATUS st)
{
    snprintf(buf, len, "%s (%s)", what, nt_errstr(st));
}

/* ---- connect ---- */

static const char *pipe_name(enum srpc_iface iface)
{
    return iface == SRPC_IFACE_DIMSVC ? "ROUTER" : "svcctl";
}

static const char *encryption_option(MPRMON_ENCRYPTION e)
{
    switch (e) {
    case MPRMON_ENCRYPTION_OFF:
        return "off";
    case MPRMON_ENCRYPTION_REQUIRED:
        return "required";
    case MPRMON_ENCRYPTION_IF_AVAILABLE:
        return "desired";
    default:
        return "default";
    }
}

/* A new loadparm context for a port and an encryption setting.  It reads
 * no smb.conf; the port can only be set as a command-line option. */
static struct loadparm_context *new_params(TALLOC_CTX *mem, unsigned port,
                                           MPRMON_ENCRYPTION encryption)
{
    char text[16];
    struct loadparm_context *lp = loadparm_init(mem);

    if (!lp)
        return NULL;
    snprintf(text, sizeof(text), "%u", port);
    if (!lpcfg_set_cmdline(lp, "smb ports", text) ||
        !lpcfg_set_cmdline(lp, "client smb encrypt",
                           encryption_option(encryption)) ||
        !lpcfg_set_cmdline(lp, "log level", "0") ||
        /* Addresses reach Samba already resolved.  Its default order
         * (WINS and broadcast among others) has every connect list the
         * machine's network interfaces, most of a failed connect's cost. */
        !lpcfg_set_cmdline(lp, "name resolve order", "host") ||
        /* A router is no place to hand our ticket-granting ticket to,
         * whatever the KDC says of it. */
        !lpcfg_set_cmdline(lp, "gensec_gssapi:delegation", "no") ||
        !lpcfg_set_cmdline(lp, "gensec_gssapi:delegation_by_kdc_policy",
                           "no")) {
        talloc_free(lp);
        return NULL;
    }
    return lp;
}

/* The shared context for this target's port and encryption. */
static struct loadparm_context *connection_params(struct srpc_loop *loop,
                                                  const struct srpc_target *t)
{
    unsigned port = t->port ? t->port : 445u;
    struct params_slot *slot = NULL;

    for (unsigned i = 0; i < PARAMS_SLOTS && !slot; i++) {
        struct params_slot *p = &loop->params[i];
        if (p->lp && p->port == port && p->encryption == t->encryption)
            slot = p;
    }
    if (slot && slot->uses >= PARAMS_USES) {
        talloc_unlink(loop, slot->lp);
        slot->lp = NULL;
    }
    if (!slot) {
        for (unsigned i = 0; i < PARAMS_SLOTS && !slot; i++)
            if (!loop->params[i].lp)
                slot = &loop->params[i];
        if (!slot) {
            slot = &loop->params[loop->params_next++ % PARAMS_SLOTS];
            talloc_unlink(loop, slot->lp);
            slot->lp = NULL;
        }
    }
    if (!slot->lp) {
        slot->lp = new_params(loop, port, t->encryption);
        if (!slot->lp)
            return NULL;
        slot->port = port;
        slot->encryption = t->encryption;
        slot->uses = 0;
    }
    slot->uses++;
    return slot->lp;
}

static bool is_numeric_address(const char *name)
{
    struct in6_addr a;

    return inet_pton(AF_INET, name, &a) == 1 ||
           inet_pton(AF_INET6, name, &a) == 1;
}

/* Kerberos from the caller's cache.  Its file is checked again here, at
 * use: it is rewritten by its renewer while we run. */
static DWORD connection_kerberos(struct cli_credentials *creds,
                                 struct loadparm_context *lp,
                                 const struct srpc_target *t, char *detail)
{
    const char *file = creds_ccache_file(t->creds->ccache);
    const char *why = NULL;
    char err[SRPC_DETAIL_MAX - 32];

    if (!t->host_name || is_numeric_address(t->host_name)) {
        snprintf(detail, SRPC_DETAIL_MAX,
                 "Kerberos needs the server's host name, not the address %s",
                 t->host_name ? t->host_name : t->address);
        return ERROR_INVALID_PARAMETER;
    }
    if (file && creds_check_private_file(file, err, sizeof(err)) != NO_ERROR) {
        snprintf(detail, SRPC_DETAIL_MAX, "Kerberos credentials cache %.200s",
                 err);
        return ERROR_ACCESS_DENIED;
    }
    cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_REQUIRED,
                                       CRED_SPECIFIED);
    if (cli_credentials_set_ccache(creds, lp, t->creds->ccache, CRED_SPECIFIED,
                                   &why) != 0) {
        snprintf(detail, SRPC_DETAIL_MAX,
                 "Kerberos credentials cache %s cannot be used: %s",
                 t->creds->ccache, why ? why : "unknown reason");
        return ERROR_ACCESS_DENIED;
    }
    return NO_ERROR;
}

/* The identity for the session: a Kerberos cache, a user and password
 * (NTLM through SPNEGO), or anonymous. */
static DWORD connection_creds(TALLOC_CTX *mem, struct loadparm_context *lp,
                              const struct srpc_target *t, char *detail,
                              struct cli_credentials **out)
{
    const struct mpr_creds *c = t->creds;
    struct cli_credentials *creds = cli_credentials_init(mem);

    *out = NULL;
    if (!creds || !cli_credentials_set_conf(creds, lp))
        return ERROR_NOT_ENOUGH_MEMORY;
    if (c && c->ccache) {
        DWORD rc = connection_kerberos(creds, lp, t, detail);
        if (rc != NO_ERROR)
            return rc;
        *out = creds;
        return NO_ERROR;
    }
    cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_DISABLED,
                                       CRED_SPECIFIED);
    if (!c || !c->user || !c->user[0]) {
        cli_credentials_set_anonymous(creds);
    } else if (!cli_credentials_set_username(creds, c->user, CRED_SPECIFIED) ||
               !cli_credentials_set_password(
                   creds, c->password ? c->password : "", CRED_SPECIFIED) ||
               (c->domain &&
                !cli_credentials_set_domain(creds, c->domain, CRED_SPECIFIED))) {
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *out = creds;
    return NO_ERROR;
}

/* "ncacn_np:ADDRESS[\pipe\NAME,options]" with the caller's name as the
 * SMB target; options ask for DCE/RPC signing (level 5) or sealing (6). */
static struct dcerpc_binding *connection_binding(TALLOC_CTX *mem,
                                                 const struct srpc_target *t)
{
    struct dcerpc_binding *b = NULL;
    char endpoint[32];
    uint32_t flags = 0;

    if (!NT_STATUS_IS_OK(dcerpc_parse_binding(mem, "ncacn_np:", &b)))
        return NULL;
    snprintf(endpoint, sizeof(endpoint), "\\pipe\\%s", pipe_name(t->iface));
    if (t->rpc_auth_level == MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY)
        flags = DCERPC_SIGN;
    else if (t->rpc_auth_level == MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY)
        flags = DCERPC_SEAL;
    if (!NT_STATUS_IS_OK(dcerpc_binding_set_string_option(b, "host",
                                                          t->address)) ||
        !NT_STATUS_IS_OK(dcerpc_binding_set_string_option(b, "endpoint",
                                                          endpoint)) ||
        !NT_STATUS_IS_OK(dcerpc_binding_set_string_option(
            b, "target_hostname", t->host_name ? t->host_name : t->address)) ||
        !NT_STATUS_IS_OK(dcerpc_binding_set_flags(b, flags, 0)))
        return NULL;
    return b;
}

/* Does the composite we got look like the struct we mirrored? */
static bool connect_check_composite(const struct composite_context *c,
                                    const struct srpc_loop *loop)
{
    return c->event_ctx == loop->ev && c->state >= SRPC_COMPOSITE_INIT &&
           c->state <= SRPC_COMPOSITE_ERROR && c->async.fn == NULL;
}

static void connect_finished(struct composite_context *c)
{
    struct srpc_op *op = c->async.private_data;
    struct srpc_conn *conn = op->conn;
    struct dcerpc_pipe *pipe = NULL;
    char detail[SRPC_DETAIL_MAX];
    const char *why = NULL;
    NTSTATUS st;
    DWORD rc;

    errno = 0;
    st = dcerpc_pipe_connect_b_recv(c, conn, &pipe);
    if (NT_STATUS_IS_OK(st)) {
        conn->pipe = pipe;
        rc = NO_ERROR;
        if (op->encryption == MPRMON_ENCRYPTION_REQUIRED &&
            !dcerpc_transport_encrypted(pipe)) {
            rc = ERROR_ACCESS_DENIED;
            why = "SMB3 encryption is required but the server did not "
                  "encrypt the session";
        }
    } else {
        rc = map_connect_status(st, op->encryption, &why);
    }
    if (rc == NO_ERROR) {
        detail[0] = '\0';
    } else if (NT_STATUS_IS_OK(st) || NT_STATUS_V(st) == 0xc0000017) {
        /* Samba 4.17's NO_MEMORY for a refused connect would mislead. */
        snprintf(detail, sizeof(detail), "%s", why);
    } else {
        format_status(detail, sizeof(detail), why, st);
    }
    srpc_connect_fn fn = op->connect_done;
    void *arg = op->arg;
    talloc_free(op);
    if (rc != NO_ERROR) {
        talloc_free(conn);
        conn = NULL;
    }
    fn(arg, rc, conn, detail);
}

DWORD srpc_connect_start(struct srpc_loop *loop, const struct srpc_target *t,
                         srpc_connect_fn fn, void *arg, struct srpc_op **out,
                         char *detail)
{
    struct srpc_conn *conn = talloc_zero(loop, struct srpc_conn);
    struct srpc_op *op = talloc_zero(loop, struct srpc_op);
    struct loadparm_context *lp;
    struct cli_credentials *creds = NULL;
    struct dcerpc_binding *b;
    struct composite_context *c;
    DWORD rc;

    *out = NULL;
    detail[0] = '\0';
    if (!conn || !op)
        goto nomem;
    conn->loop = loop;
    lp = connection_params(loop, t);
    /* Held for the connect, so that letting the shared context go never
     * frees it under a connect still using it. */
    if (lp && !talloc_reference(op, lp))
        lp = NULL;
    if (!lp)
        goto nomem;
    rc = connection_creds(conn, lp, t, detail, &creds);
    if (rc != NO_ERROR) {
        talloc_free(conn);
        talloc_free(op);
        return rc;
    }
    b = connection_binding(conn, t);
    if (!b)
        goto nomem;
    c = dcerpc_pipe_connect_b_send(
        conn, b,
        t->iface == SRPC_IFACE_DIMSVC ? &ndr_table_dimsvc : &ndr_table_svcctl,
        creds, loop->ev, lp);
    if (!c)
        goto nomem;
    if (!connect_check_composite(c, loop)) {
        log_emit(MPRMON_LOG_ERROR, "Samba's struct composite_context is not "
                                   "laid out as this library expects");
        talloc_free(conn);
        talloc_free(op);
        return ERROR_NOT_SUPPORTED;
    }
    op->kind = OP_CONNECT;
    op->conn = conn;
    op->connect_done = fn;
    op->arg = arg;
    op->encryption = t->encryption;
    c->async.fn = connect_finished;
    c->async.private_data = op;
    *out = op;
    return NO_ERROR;
nomem:
    talloc_free(conn);
    talloc_free(op);
    return ERROR_NOT_ENOUGH_MEMORY;
}

/* ---- calls ---- */

static void call_finished(struct tevent_req *subreq)
{
    struct srpc_op *op = tevent_req_callback_data(subreq, struct srpc_op);
    struct srpc_conn *conn = op->conn;
    srpc_call_fn fn = op->call_done;
    void *arg = op->arg;
    uint8_t *out = NULL;
    size_t out_len = 0;
    uint32_t out_flags = 0;
    uint8_t *copy = NULL;
    char detail[SRPC_DETAIL_MAX] = "";
    DWORD rc = NO_ERROR;
    NTSTATUS st;

    st = dcerpc_binding_handle_raw_call_recv(subreq, op, &out, &out_len,
                                             &out_flags);
    talloc_free(subreq);
    if (!NT_STATUS_IS_OK(st)) {
        rc = map_call_status(st);
        format_status(detail, sizeof(detail), "the call failed", st);
    } else if (fn) {
        copy = malloc(out_len ? out_len : 1);
        if (!copy)
            rc = ERROR_NOT_ENOUGH_MEMORY;
        else if (out_len)
            memcpy(copy, out, out_len);
    }
    talloc_free(op);
    conn->calls_in_flight--;
    if (conn->free_when_idle && conn->calls_in_flight == 0)
        talloc_free(conn);
    if (fn)
        fn(arg, rc, copy, rc == NO_ERROR ? out_len : 0, detail);
}

DWORD srpc_call_start(struct srpc_conn *conn, uint16_t opnum,
                      const uint8_t *stub, size_t len, unsigned timeout_s,
                      srpc_call_fn fn, void *arg, struct srpc_op **out)
{
    struct srpc_op *op = talloc_zero(conn, struct srpc_op);
    struct tevent_req *subreq;
    uint8_t *stub_copy;

    *out = NULL;
    if (!op)
        return ERROR_NOT_ENOUGH_MEMORY;
    op->kind = OP_CALL;
    op->conn = conn;
    op->call_done = fn;
    op->arg = arg;
    dcerpc_binding_handle_set_timeout(conn->pipe->binding_handle,
                                      timeout_s ? timeout_s : 1);
    /* Samba keeps a pointer to the stub until the request is sent, which
     * is after this returns: it must live as long as the operation. */
    stub_copy = talloc_memdup(op, stub, len ? len : 1);
    if (!stub_copy) {
        talloc_free(op);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    subreq = dcerpc_binding_handle_raw_call_send(
        op, conn->loop->ev, conn->pipe->binding_handle, NULL, opnum, 0,
        stub_copy, len);
    if (!subreq) {
        talloc_free(op);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    tevent_req_set_callback(subreq, call_finished, op);
    conn->calls_in_flight++;
    *out = op;
    return NO_ERROR;
}

void srpc_op_cancel(struct srpc_op *op)
{
    if (!op)
        return;
    if (op->kind == OP_CONNECT) {
        /* The composite is the connection's child: this frees both. */
        talloc_free(op->conn);
        talloc_free(op);
        return;
    }
    /* Freeing a call in flight leaves its SMB read pending, and freeing
     * the pipe then stalls the loop in a synchronous close.  So the call
     * runs on, unheard, until it ends or Samba's own timeout (set just
     * behind the caller's deadline) declares the connection dead. */
    op->call_done = NULL;
}

int srpc_conn_encrypted(const struct srpc_conn *conn)
{
    return dcerpc_transport_encrypted(conn->pipe) ? 1 : 0;
}

void srpc_conn_free(struct srpc_conn *conn)
{
    if (!conn)
        return;
    if (conn->calls_in_flight > 0) {
        conn->free_when_idle = true;
        return;
    }
    talloc_free(conn);
}
