/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c - the library's I/O thread: it owns Samba's event loop, takes
 * jobs from any thread through a queue and an eventfd, runs each under its
 * deadline, and delivers it to its sink.  Nothing else touches Samba. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "engine_priv.h"
#include "log_priv.h"

static struct {
    pthread_once_t once;
    DWORD start_rc;
    pthread_t thread;
    int wake_fd;
    struct srpc_loop *loop;
    pthread_mutex_t lock; /* guards queue and stopping */
    struct engine_msg *queue_head, *queue_tail;
    int stopping;
    atomic_ullong next_id;
} engine = {
    .once = PTHREAD_ONCE_INIT,
    .wake_fd = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

uint64_t engine_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct srpc_loop *engine_loop(void)
{
    return engine.loop;
}

/* ---- the queue ---- */

void engine_post(struct engine_msg *msg)
{
    uint64_t one = 1;

    msg->next = NULL;
    pthread_mutex_lock(&engine.lock);
    if (engine.queue_tail)
        engine.queue_tail->next = msg;
    else
        engine.queue_head = msg;
    engine.queue_tail = msg;
    pthread_mutex_unlock(&engine.lock);
    /* An eventfd write only fails when the counter would overflow, which
     * a reader that drains it never lets happen. */
    if (write(engine.wake_fd, &one, sizeof(one)) < 0)
        log_emit(MPRMON_LOG_ERROR, "engine: wake-up failed: %s",
                 strerror(errno));
}

static void drain_queue(void *arg)
{
    uint64_t count;
    struct engine_msg *msg;

    (void)arg;
    if (read(engine.wake_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        log_emit(MPRMON_LOG_ERROR, "engine: reading the wake-up fd: %s",
                 strerror(errno));
    pthread_mutex_lock(&engine.lock);
    msg = engine.queue_head;
    engine.queue_head = engine.queue_tail = NULL;
    pthread_mutex_unlock(&engine.lock);
    while (msg) {
        struct engine_msg *next = msg->next;
        msg->run(msg);
        msg = next;
    }
}

/* ---- the thread ---- */

static void *io_thread(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&engine.lock);
        int stop = engine.stopping && !engine.queue_head;
        pthread_mutex_unlock(&engine.lock);
        if (stop)
            break;
        if (srpc_loop_once(engine.loop) != 0) {
            log_emit(MPRMON_LOG_ERROR, "engine: the event loop failed");
            break;
        }
    }
    return NULL;
}

static void engine_start(void)
{
    engine.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (engine.wake_fd < 0) {
        engine.start_rc = (errno == EMFILE || errno == ENFILE)
                              ? ERROR_TOO_MANY_OPEN_FILES
                              : ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    engine.start_rc = srpc_loop_new(engine.wake_fd, drain_queue, NULL,
                                    &engine.loop);
    if (engine.start_rc != NO_ERROR)
        return;
    if (pthread_create(&engine.thread, NULL, io_thread, NULL) != 0) {
        srpc_loop_free(engine.loop);
        engine.loop = NULL;
        engine.start_rc = ERROR_NOT_ENOUGH_MEMORY;
    }
}

/* At unload or exit: let queued work run, stop the thread, free Samba's
 * state, so that a leak checker sees what callers leaked, not ours. */
__attribute__((destructor)) static void engine_stop(void)
{
    uint64_t one = 1;

    if (!engine.loop)
        return;
    pthread_mutex_lock(&engine.lock);
    engine.stopping = 1;
    pthread_mutex_unlock(&engine.lock);
    if (write(engine.wake_fd, &one, sizeof(one)) < 0)
        return;
    pthread_join(engine.thread, NULL);
    srpc_loop_free(engine.loop);
    engine.loop = NULL;
    close(engine.wake_fd);
    engine.wake_fd = -1;
}

/* ---- a flag one thread waits for and another sets ---- */

struct done_signal {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
};

#define DONE_SIGNAL_INIT                                                       \
    {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER}

static void done_signal_set(struct done_signal *d)
{
    pthread_mutex_lock(&d->lock);
    d->done = 1;
    pthread_cond_signal(&d->cond);
    pthread_mutex_unlock(&d->lock);
}

static void done_signal_wait(struct done_signal *d)
{
    pthread_mutex_lock(&d->lock);
    while (!d->done)
        pthread_cond_wait(&d->cond, &d->lock);
    pthread_mutex_unlock(&d->lock);
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
}

/* ---- jobs ---- */

struct job *job_new(enum job_kind kind)
{
    struct job *job = calloc(1, sizeof(*job));

    if (!job)
        return NULL;
    job->kind = kind;
    job->id = atomic_fetch_add(&engine.next_id, 1) + 1;
    return job;
}

void job_free(struct job *job)
{
    if (!job)
        return;
    settings_clear(&job->settings);
    free(job->info);
    free(job->reply);
    free(job);
}

static void free_discarded(struct job_sink *sink, struct job *job)
{
    (void)sink;
    job_free(job);
}

static struct job_sink discard_sink = {.deliver = free_discarded};

void engine_close_detached(struct engine_conn *conn)
{
    struct job *close_job = job_new(JOB_DISCONNECT);

    if (!close_job)
        return;
    close_job->conn = conn;
    close_job->sink = &discard_sink;
    close_job->timeout_ms = 1000;
    if (engine_submit(close_job) != NO_ERROR)
        job_free(close_job);
}

void job_discard(struct job *job)
{
    if (!job)
        return;
    if (job->new_conn) {
        engine_close_detached(job->new_conn);
        job->new_conn = NULL;
    }
    job_free(job);
}

static void expire(void *arg)
{
    struct job *job = arg;

    job->deadline = NULL;
    ops_expire(job);
}

static void begin(struct engine_msg *msg)
{
    struct job *job = (struct job *)((char *)msg -
                                     offsetof(struct job, start_msg));

    job->deadline_ns = job->start_ns + (uint64_t)job->timeout_ms * 1000000u;
    job->deadline = srpc_timer_add(engine.loop, job->deadline_ns, expire, job);
    if (!job->deadline) {
        job->rc = ERROR_NOT_ENOUGH_MEMORY;
        engine_job_finish(job);
        return;
    }
    ops_start(job);
}

DWORD engine_submit(struct job *job)
{
    pthread_once(&engine.once, engine_start);
    if (engine.start_rc != NO_ERROR)
        return engine.start_rc;
    job->start_msg.run = begin;
    /* The deadline counts from here, not from when the I/O thread gets to
     * it: a busy thread must not stretch it. */
    job->start_ns = engine_now_ns();
    engine_post(&job->start_msg);
    return NO_ERROR;
}

static void cancel_now(struct engine_msg *msg)
{
    struct job *job = (struct job *)((char *)msg -
                                     offsetof(struct job, cancel_msg));

    if (!job->finished)
        ops_abort(job);
    job_discard(job);
}

void engine_cancel(struct job *job)
{
    job->cancel_msg.run = cancel_now;
    engine_post(&job->cancel_msg);
}

struct flush_mark {
    struct engine_msg msg; /* first */
    struct done_signal seen;
};

static void flush_seen(struct engine_msg *msg)
{
    done_signal_set(&((struct flush_mark *)msg)->seen);
}

void engine_flush(void)
{
    struct flush_mark m = {.msg = {.run = flush_seen},
                           .seen = DONE_SIGNAL_INIT};

    if (!engine.loop)
        return;
    engine_post(&m.msg);
    done_signal_wait(&m.seen);
}

void engine_job_finish(struct job *job)
{
    if (job->deadline) {
        srpc_timer_free(job->deadline);
        job->deadline = NULL;
    }
    if (job->own_rpc) {
        srpc_conn_free(job->own_rpc);
        job->own_rpc = NULL;
    }
    if (job->conn) {
        ops_release_turn(job);
        engine_conn_unref(job->conn);
        job->conn = NULL;
    }
    job->elapsed_ms = (DWORD)((engine_now_ns() - job->start_ns) / 1000000u);
    /* The password is not needed any more: wipe it now, not when the
     * caller gets round to collecting the result. */
    settings_clear(&job->settings);
    job->finished = 1;
    job->sink->deliver(job->sink, job);
}

/* ---- connections ---- */

void engine_conn_ref(struct engine_conn *conn)
{
    atomic_fetch_add(&conn->refs, 1);
}

void engine_conn_unref(struct engine_conn *conn)
{
    if (atomic_fetch_sub(&conn->refs, 1) != 1)
        return;
    if (conn->rpc)
        srpc_conn_free(conn->rpc);
    free(conn);
}

/* ---- blocking ---- */

struct waiter {
    struct job_sink sink; /* first */
    struct done_signal finished;
};

static void wake_waiter(struct job_sink *sink, struct job *job)
{
    (void)job;
    done_signal_set(&((struct waiter *)sink)->finished);
}

DWORD engine_run_blocking(struct job *job)
{
    struct waiter w = {.sink = {.deliver = wake_waiter},
                       .finished = DONE_SIGNAL_INIT};
    DWORD rc;

    job->sink = &w.sink;
    rc = engine_submit(job);
    if (rc != NO_ERROR)
        return rc;
    done_signal_wait(&w.finished);
    return job->rc;
}
