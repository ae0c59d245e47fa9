/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_priv.h - the library's one I/O thread and the jobs it runs.
 *
 * A job is one request of the public API (connect, get-info, service
 * state, disconnect).  Any thread builds a job and submits it; the I/O
 * thread runs it (ops.c: the steps of each kind, on samba_rpc.c) under
 * the job's deadline, then hands it to the job's sink: a waiting caller
 * (the blocking Windows calls) or an MPRMON_ASYNC queue (async.c).
 *
 * Ownership: a job belongs to its submitter until engine_submit, to the
 * I/O thread until it is delivered, then to whoever the sink gives it to.
 * Connections (struct engine_conn) are touched only on the I/O thread,
 * except for their reference count. */
#ifndef MPRMON_ENGINE_PRIV_H
#define MPRMON_ENGINE_PRIV_H

#include <stdatomic.h>
#include <stdint.h>
#include "mprapi.h"
#include "names_priv.h"
#include "rrasm_priv.h"
#include "samba_rpc_priv.h"
#include "scmr_priv.h"
#include "settings_priv.h"

enum job_kind {
    JOB_CONNECT,
    JOB_GET_INFO,
    JOB_DIM_CALL, /* any DIMSVC call: a request stub in, the reply out */
    JOB_LIST,     /* every page of an enumeration, into info */
    JOB_SERVICE_STATE,
    JOB_DISCONNECT
};

/* A connected, bound DIMSVC association behind a handle.  refs: the
 * handle's reference plus one per job that uses it; freed on the I/O
 * thread when it drops to 0. */
struct job;

struct engine_conn {
    atomic_uint refs;
    struct srpc_conn *rpc; /* NULL once the association failed for good */
    /* One call at a time on the pipe (a named pipe carries one RPC call
     * at a time, as Windows' own runtime uses it): the job whose call is
     * on the wire, and the jobs waiting for their turn, oldest first. */
    struct job *calling;
    struct job *waiting_first, *waiting_last;
};

struct job;

/* Where a finished job goes; deliver runs on the I/O thread. */
struct job_sink {
    void (*deliver)(struct job_sink *sink, struct job *job);
};

/* A message for the I/O thread, embedded in what it is about. */
struct engine_msg {
    struct engine_msg *next;
    void (*run)(struct engine_msg *msg);
};

struct resolver;

struct job {
    /* Set by the submitter. */
    enum job_kind kind;
    MPRMON_REQUEST_ID id;
    void *cookie;
    struct job_sink *sink;
    unsigned timeout_ms;              /* the whole job's deadline */
    char host[MPR_HOST_MAX + 3];      /* connect, service state */
    struct mpr_settings settings;     /* connect, service state */
    struct engine_conn *conn;         /* get-info, disconnect: a reference */
    DWORD level;                      /* get-info */
    uint16_t opnum;                   /* dim-call */
    uint8_t request[64];              /* dim-call: the request stub */
    size_t request_len;
    struct rrasm_list_request list_req; /* list: the next page's request */
    DWORD max_entries;                /* list */

    /* Results, valid once delivered. */
    DWORD rc;
    char detail[512];
    DWORD elapsed_ms;
    struct engine_conn *new_conn;     /* connect: a reference for the handle */
    void *info;                       /* get-info: MPR_SERVER_n, malloc'd */
    DWORD entries;                    /* list: entries in info */
    uint8_t *reply;                   /* dim-call: the reply stub, malloc'd */
    size_t reply_len;
    MPRMON_SERVICE_STATE service_state;
    DWORD current_state;

    /* The I/O thread's. */
    uint64_t start_ns;
    uint64_t deadline_ns;
    int step;
    int connected;                    /* past the connect phase */
    struct srpc_op *op;
    struct srpc_timer *deadline;
    struct resolver *resolver;
    char address[MPR_HOST_MAX + 3];
    struct srpc_conn *own_rpc;        /* service state's svcctl pipe */
    struct scmr_handle scm, svc;
    struct job *waiting_next;         /* in conn's queue of calls */
    int waiting;                      /* queued behind another call */
    struct engine_msg start_msg;
    struct engine_msg cancel_msg;
    int finished;                     /* delivered to its sink */

    /* The sink's, under its lock. */
    struct job *prev, *next;
    int cancelled;                    /* nobody will collect it */
};

/* A zeroed job of that kind with the next request id, or NULL. */
struct job *job_new(enum job_kind kind);
/* Free a job and what its results still hold (a connect's reference is
 * released through a disconnect job, not here: see job_release_results). */
void job_free(struct job *job);
/* Close a connection on the I/O thread without waiting for it (nobody
 * collects the outcome). */
void engine_close_detached(struct engine_conn *conn);
/* For a job nobody will collect: close the connection a connect made and
 * free the info buffer, then free the job. */
void job_discard(struct job *job);

/* Hand a job to the I/O thread (starting it on first use).  Never fails
 * once the thread runs; ERROR_NOT_SUPPORTED or ERROR_NOT_ENOUGH_MEMORY
 * when it cannot be started. */
DWORD engine_submit(struct job *job);

/* Queue a message for the I/O thread (resolver results, cancels). */
void engine_post(struct engine_msg *msg);

/* Ask the I/O thread to stop a submitted job whose sink marked it
 * cancelled; the job is freed there once it has ended.  Any thread. */
void engine_cancel(struct job *job);

/* Wait until the I/O thread has handled every message posted so far. */
void engine_flush(void);

/* Run a job and wait for it in the calling thread. */
DWORD engine_run_blocking(struct job *job);

/* Take one more reference on a connection (any thread). */
void engine_conn_ref(struct engine_conn *conn);

/* ---- for ops.c, on the I/O thread ---- */

struct srpc_loop *engine_loop(void);
uint64_t engine_now_ns(void);
/* The job is done: stop its deadline, deliver it. */
void engine_job_finish(struct job *job);
/* Drop a reference; the last one closes the association. */
void engine_conn_unref(struct engine_conn *conn);

/* ops.c: start a job; end it at its deadline (cancel what runs, set the
 * code for people: RPC_S_SERVER_UNAVAILABLE before the connection is up,
 * ERROR_TIMEOUT after); cancel it on request. */
void ops_start(struct job *job);
void ops_expire(struct job *job);
void ops_abort(struct job *job);
/* A finished job gives up its place on its connection: out of the queue,
 * or the turn passes to the next waiting call, which starts now. */
void ops_release_turn(struct job *job);

#endif
