/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ops.c - the steps of each job, on the I/O thread: resolve the name,
 * connect and bind, the calls (our own NDR through samba_rpc.c), and what
 * a deadline or a cancel does at each step. */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"
#include "rrasm_priv.h"
#include "scmr_priv.h"

#define RRAS_SERVICE_NAME "RemoteAccess"

static void connect_or_call_next(struct job *job);

static const char *job_pipe(const struct job *job)
{
    return job->kind == JOB_SERVICE_STATE ? "svcctl" : "ROUTER";
}

/* The job's detail text for people (printf format). */
static void set_detail(struct job *job, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_detail(struct job *job, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(job->detail, sizeof(job->detail), fmt, ap);
    va_end(ap);
}

static void fail(struct job *job, DWORD rc, const char *why)
{
    job->rc = rc;
    set_detail(job, "%s:%u \\PIPE\\%s: %s", job->host, job->settings.port,
               job_pipe(job), why);
    engine_job_finish(job);
}

/* ---- names ---- */

struct resolver {
    struct engine_msg msg; /* first: the message is the resolver */
    struct job *job;       /* NULL once the job gave up waiting */
    char name[MPR_HOST_MAX + 3];
    char address[64];
    int gai_rc;
};

/* "[v6]" -> "v6"; others unchanged. */
static void strip_brackets(const char *host, char *out, size_t len)
{
    size_t n = strlen(host);

    if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
        snprintf(out, len, "%.*s", (int)(n - 2), host + 1);
    else
        snprintf(out, len, "%s", host);
}

static int is_address_literal(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static void resolved(struct engine_msg *msg)
{
    struct resolver *r = (struct resolver *)msg;
    struct job *job = r->job;

    if (job) {
        job->resolver = NULL;
        if (r->gai_rc != 0) {
            fail(job, RPC_S_SERVER_UNAVAILABLE, "the name was not resolved");
        } else {
            snprintf(job->address, sizeof(job->address), "%s", r->address);
            connect_or_call_next(job);
        }
    }
    free(r);
}

/* getaddrinfo blocks, and Samba's own resolver would turn a failure into
 * "no such pipe": resolve on a thread of its own, then post back. */
static void *resolve_thread(void *arg)
{
    struct resolver *r = arg;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;

    r->gai_rc = getaddrinfo(r->name, NULL, &hints, &res);
    if (r->gai_rc == 0) {
        const void *a = res->ai_family == AF_INET6
                            ? (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr
                            : (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr;
        if (!inet_ntop(res->ai_family, a, r->address, sizeof(r->address)))
            r->gai_rc = EAI_FAIL;
        freeaddrinfo(res);
    }
    engine_post(&r->msg);
    return NULL;
}

static void resolve_start(struct job *job)
{
    char name[MPR_HOST_MAX + 3];
    struct resolver *r;
    pthread_attr_t attr;
    pthread_t t;

    strip_brackets(job->host, name, sizeof(name));
    if (is_address_literal(name)) {
        snprintf(job->address, sizeof(job->address), "%s", name);
        connect_or_call_next(job);
        return;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        fail(job, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    r->msg.run = resolved;
    r->job = job;
    snprintf(r->name, sizeof(r->name), "%s", name);
    job->resolver = r;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, resolve_thread, r) != 0) {
        job->resolver = NULL;
        free(r);
        fail(job, ERROR_NOT_ENOUGH_MEMORY, "cannot start a name lookup");
    }
    pthread_attr_destroy(&attr);
}

/* ---- connect ---- */

static void connected(void *arg, DWORD rc, struct srpc_conn *rpc,
                      const char *detail)
{
    struct job *job = arg;

    job->op = NULL;
    if (rc != NO_ERROR) {
        fail(job, rc, detail);
        return;
    }
    job->connected = 1;
    if (job->kind == JOB_SERVICE_STATE) {
        job->own_rpc = rpc;
        connect_or_call_next(job);
        return;
    }
    job->new_conn = calloc(1, sizeof(*job->new_conn));
    if (!job->new_conn) {
        srpc_conn_free(rpc);
        fail(job, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    atomic_init(&job->new_conn->refs, 1);
    job->new_conn->rpc = rpc;
    job->rc = NO_ERROR;
    engine_job_finish(job);
}

static void connect_start(struct job *job)
{
    struct srpc_target t = {
        .address = job->address,
        .host_name = job->host,
        .port = job->settings.port,
        .creds = &job->settings.creds,
        .encryption = job->settings.encryption,
        .rpc_auth_level = job->settings.rpc_auth_level,
        .iface = job->kind == JOB_SERVICE_STATE ? SRPC_IFACE_SVCCTL
                                                : SRPC_IFACE_DIMSVC,
    };
    char detail[SRPC_DETAIL_MAX];
    DWORD rc =
        srpc_connect_start(engine_loop(), &t, connected, job, &job->op, detail);

    if (rc != NO_ERROR)
        fail(job, rc,
             detail[0] ? detail : "the connection could not be started");
}

/* ---- calls ---- */

/* Whole seconds for Samba's own call timeout: a backstop just behind our
 * deadline, never in front of it. */
static unsigned backstop_seconds(const struct job *job)
{
    uint64_t now = engine_now_ns();
    uint64_t left = job->deadline_ns > now ? job->deadline_ns - now : 0;

    return (unsigned)(left / 1000000000u) + 2;
}

static void call(struct job *job, struct srpc_conn *rpc, uint16_t opnum,
                 const uint8_t *stub, size_t len, srpc_call_fn done)
{
    DWORD rc = srpc_call_start(rpc, opnum, stub, len, backstop_seconds(job),
                               done, job, &job->op);

    if (rc != NO_ERROR)
        fail(job, rc, "the call could not be started");
}

/* The job's turn on its connection: now (TRUE), or later, queued behind
 * the call on the wire (ops_release_turn starts it again). */
static int take_turn(struct job *job)
{
    struct engine_conn *c = job->conn;

    if (c->calling == NULL || c->calling == job) {
        c->calling = job;
        return 1;
    }
    job->waiting = 1;
    job->waiting_next = NULL;
    if (c->waiting_last)
        c->waiting_last->waiting_next = job;
    else
        c->waiting_first = job;
    c->waiting_last = job;
    return 0;
}

void ops_release_turn(struct job *job)
{
    struct engine_conn *c = job->conn;
    struct job **link, *prev = NULL, *next;

    if (job->waiting) {
        for (link = &c->waiting_first; *link != job;
             prev = *link, link = &(*link)->waiting_next)
            ;
        *link = job->waiting_next;
        if (c->waiting_last == job)
            c->waiting_last = prev;
        job->waiting = 0;
        return;
    }
    if (c->calling != job)
        return;
    c->calling = next = c->waiting_first;
    if (!next)
        return;
    c->waiting_first = next->waiting_next;
    if (!c->waiting_first)
        c->waiting_last = NULL;
    next->waiting = 0;
    ops_start(next);
}

/* A connected handle's association when it is the job's turn (NULL: the
 * job waits, or ended with ERROR_INVALID_HANDLE). */
static struct srpc_conn *handle_rpc(struct job *job)
{
    job->connected = 1;
    if (!job->conn || !job->conn->rpc) {
        job->rc = ERROR_INVALID_HANDLE;
        engine_job_finish(job);
        return NULL;
    }
    return take_turn(job) ? job->conn->rpc : NULL;
}

static void got_server_info(void *arg, DWORD rc, uint8_t *stub, size_t len,
                            const char *detail)
{
    struct job *job = arg;
    DWORD server_status = NO_ERROR;

    job->op = NULL;
    if (rc == NO_ERROR)
        rc = rrasm_decode_server_get_info(job->level, stub, len, &job->info,
                                          &server_status);
    free(stub);
    if (rc != NO_ERROR) {
        job->rc = rc;
        set_detail(job, "%s", detail);
    } else {
        job->rc = server_status;
    }
    engine_job_finish(job);
}

static void get_info_start(struct job *job)
{
    uint8_t req[16];
    size_t len = 0;
    struct srpc_conn *rpc = handle_rpc(job);
    DWORD rc;

    if (!rpc)
        return;
    rc = rrasm_encode_server_get_info(job->level, req, sizeof(req), &len);
    if (rc != NO_ERROR) {
        job->rc = rc;
        engine_job_finish(job);
        return;
    }
    call(job, rpc, RRASM_OPNUM_SERVER_GET_INFO, req, len,
         got_server_info);
}

static void got_dim_reply(void *arg, DWORD rc, uint8_t *stub, size_t len,
                          const char *detail)
{
    struct job *job = arg;

    job->op = NULL;
    job->rc = rc;
    if (rc == NO_ERROR) {
        job->reply = stub;
        job->reply_len = len;
    } else {
        free(stub);
        set_detail(job, "%s", detail);
    }
    engine_job_finish(job);
}

static void dim_call_start(struct job *job)
{
    struct srpc_conn *rpc = handle_rpc(job);

    if (rpc)
        call(job, rpc, job->opnum, job->request, job->request_len,
             got_dim_reply);
}

/* ---- every page of an enumeration ---- */

static void list_page_start(struct job *job);

/* What a page means for the job: NO_ERROR to go on to the next page,
 * else the job's code (NO_ERROR itself after the last page is returned
 * as ERROR_NO_MORE_ITEMS, for the caller to map). */
static DWORD list_take(struct job *job, struct rrasm_list_reply *page)
{
    DWORD previous = job->list_req.resume;
    DWORD rc;

    if (page->status != NO_ERROR && page->status != ERROR_MORE_DATA) {
        free(job->info);
        job->info = NULL;
        job->entries = 0;
        return page->status;
    }
    rc = rrasm_list_append(&job->list_req, &job->info, &job->entries,
                           job->max_entries, page);
    if (rc != NO_ERROR)
        return rc;
    if (page->status == NO_ERROR)
        return ERROR_NO_MORE_ITEMS;
    if (job->entries >= job->max_entries)
        return ERROR_MORE_DATA;
    if (page->entries_read == 0 || !page->has_resume ||
        page->resume == previous) {
        set_detail(job, "the server's resume handle does not advance (%u "
                        "entries read, handle %u)",
                   (unsigned)page->entries_read, (unsigned)page->resume);
        free(job->info);
        job->info = NULL;
        job->entries = 0;
        return RPC_X_BAD_STUB_DATA;
    }
    job->list_req.resume = page->resume;
    return NO_ERROR;
}

static void got_list_page(void *arg, DWORD rc, uint8_t *stub, size_t len,
                          const char *detail)
{
    struct job *job = arg;
    struct rrasm_list_reply page;

    job->op = NULL;
    if (rc != NO_ERROR) {
        set_detail(job, "%s", detail);
    } else {
        rc = rrasm_decode_list(&job->list_req, stub, len, &page);
        if (rc == RPC_X_BAD_STUB_DATA)
            set_detail(job, "the server's reply is malformed (counts, "
                            "lengths or strings)");
        else if (rc == NO_ERROR)
            rc = list_take(job, &page);
    }
    free(stub);
    if (rc == NO_ERROR) {
        list_page_start(job);
        return;
    }
    if (rc != NO_ERROR && rc != ERROR_MORE_DATA && rc != ERROR_NO_MORE_ITEMS) {
        free(job->info);
        job->info = NULL;
        job->entries = 0;
    }
    job->rc = rc == ERROR_NO_MORE_ITEMS ? NO_ERROR : rc;
    engine_job_finish(job);
}

static void list_page_start(struct job *job)
{
    uint8_t req[64];
    size_t len = 0;
    struct srpc_conn *rpc = handle_rpc(job);
    DWORD rc;

    if (!rpc)
        return;
    rc = rrasm_encode_list(&job->list_req, req, sizeof(req), &len);
    if (rc != NO_ERROR) {
        job->rc = rc;
        engine_job_finish(job);
        return;
    }
    call(job, rpc, rrasm_list_opnum(job->list_req.list), req, len,
         got_list_page);
}

/* ---- the service control manager ---- */

enum scm_step {
    SCM_RESOLVE,
    SCM_CONNECT,
    SCM_OPEN_MANAGER,
    SCM_OPEN_SERVICE,
    SCM_QUERY,
    SCM_CLOSE_SERVICE,
    SCM_CLOSE_MANAGER,
    SCM_DONE
};

static void scm_answer(void *arg, DWORD rc, uint8_t *stub, size_t len,
                       const char *detail);

static void scm_request(struct job *job)
{
    uint8_t req[1024];
    size_t len = 0;
    uint16_t opnum;
    DWORD rc;

    switch (job->step) {
    case SCM_OPEN_MANAGER:
        opnum = SCMR_OPNUM_OPEN_SC_MANAGER_W;
        rc = scmr_encode_open_sc_manager(job->host, SC_MANAGER_CONNECT, req,
                                         sizeof(req), &len);
        break;
    case SCM_OPEN_SERVICE:
        opnum = SCMR_OPNUM_OPEN_SERVICE_W;
        rc = scmr_encode_open_service(&job->scm, RRAS_SERVICE_NAME,
                                      SERVICE_QUERY_STATUS, req, sizeof(req),
                                      &len);
        break;
    case SCM_QUERY:
        opnum = SCMR_OPNUM_QUERY_SERVICE_STATUS;
        rc = scmr_encode_query_service_status(&job->svc, req, sizeof(req),
                                              &len);
        break;
    case SCM_CLOSE_SERVICE:
    case SCM_CLOSE_MANAGER:
        opnum = SCMR_OPNUM_CLOSE_SERVICE_HANDLE;
        rc = scmr_encode_close_service_handle(
            job->step == SCM_CLOSE_SERVICE ? &job->svc : &job->scm, req,
            sizeof(req), &len);
        break;
    default:
        engine_job_finish(job);
        return;
    }
    if (rc != NO_ERROR) {
        job->rc = rc;
        engine_job_finish(job);
        return;
    }
    call(job, job->own_rpc, opnum, req, len, scm_answer);
}

static DWORD scm_decode(struct job *job, const uint8_t *stub, size_t len,
                        DWORD *status)
{
    struct scmr_service_status st;
    DWORD rc;

    switch (job->step) {
    case SCM_OPEN_MANAGER:
        return scmr_decode_open_sc_manager(stub, len, &job->scm, status);
    case SCM_OPEN_SERVICE:
        return scmr_decode_open_service(stub, len, &job->svc, status);
    case SCM_QUERY:
        rc = scmr_decode_query_service_status(stub, len, &st, status);
        if (rc == NO_ERROR && *status == NO_ERROR)
            job->current_state = st.current_state;
        return rc;
    default:
        return scmr_decode_close_service_handle(stub, len, status);
    }
}

static void scm_refused(struct job *job, DWORD status)
{
    job->rc = status;
    if (job->step == SCM_OPEN_MANAGER)
        set_detail(job, "%s: the service control manager refused the connection",
                 job->host);
    else if (status == ERROR_SERVICE_DOES_NOT_EXIST)
        set_detail(job, "%s: no service named " RRAS_SERVICE_NAME, job->host);
    else
        set_detail(job, "%s: opening service " RRAS_SERVICE_NAME " failed",
                 job->host);
}

static void scm_answer(void *arg, DWORD rc, uint8_t *stub, size_t len,
                       const char *detail)
{
    struct job *job = arg;
    DWORD status = NO_ERROR;

    job->op = NULL;
    if (rc == NO_ERROR)
        rc = scm_decode(job, stub, len, &status);
    free(stub);
    if (job->step >= SCM_CLOSE_SERVICE) {
        /* Closing is courtesy: the answer is already in hand. */
        job->step++;
        scm_request(job);
        return;
    }
    if (rc != NO_ERROR) {
        job->rc = rc;
        set_detail(job, "%s", detail);
        engine_job_finish(job);
        return;
    }
    if (status != NO_ERROR) {
        scm_refused(job, status);
        engine_job_finish(job);
        return;
    }
    if (job->step == SCM_QUERY)
        job->rc = NO_ERROR;
    job->step++;
    scm_request(job);
}

/* ---- the steps of each kind ---- */

/* After a name is resolved or a pipe is up: the next step of the job. */
static void connect_or_call_next(struct job *job)
{
    if (job->kind == JOB_SERVICE_STATE && job->own_rpc) {
        job->step = SCM_OPEN_MANAGER;
        scm_request(job);
        return;
    }
    connect_start(job);
}

void ops_start(struct job *job)
{
    switch (job->kind) {
    case JOB_CONNECT:
    case JOB_SERVICE_STATE:
        resolve_start(job);
        break;
    case JOB_GET_INFO:
        get_info_start(job);
        break;
    case JOB_DIM_CALL:
        dim_call_start(job);
        break;
    case JOB_LIST:
        list_page_start(job);
        break;
    case JOB_DISCONNECT:
        job->rc = NO_ERROR;
        engine_job_finish(job);
        break;
    }
}

static void stop_current_step(struct job *job)
{
    if (job->resolver) {
        job->resolver->job = NULL;
        job->resolver = NULL;
    }
    if (job->op) {
        srpc_op_cancel(job->op);
        job->op = NULL;
    }
}

void ops_expire(struct job *job)
{
    char why[96];
    int resolving = job->resolver != NULL;

    stop_current_step(job);
    if (resolving) {
        snprintf(why, sizeof(why), "the name was not resolved within %u ms",
                 job->timeout_ms);
        fail(job, RPC_S_SERVER_UNAVAILABLE, why);
        return;
    }
    if (job->kind == JOB_SERVICE_STATE && job->step >= SCM_CLOSE_SERVICE) {
        /* Only the courtesy closes were left: the answer stands. */
        engine_job_finish(job);
        return;
    }
    snprintf(why, sizeof(why), "no answer within %u ms%s", job->timeout_ms,
             job->connected ? "" : " (refused, unreachable or silent)");
    if (job->kind == JOB_GET_INFO || job->kind == JOB_DIM_CALL ||
        job->kind == JOB_LIST) {
        job->rc = ERROR_TIMEOUT;
        set_detail(job, "the call got %s", why);
        engine_job_finish(job);
        return;
    }
    fail(job, job->connected ? ERROR_TIMEOUT : RPC_S_SERVER_UNAVAILABLE, why);
}

void ops_abort(struct job *job)
{
    stop_current_step(job);
    job->rc = RPC_S_CALL_CANCELLED;
    engine_job_finish(job);
}
