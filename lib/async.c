/* SPDX-License-Identifier: GPL-3.0-or-later */
/* async.c - the MprmonAsync* calls: a queue of requests started by the
 * caller and completions handed back through an eventfd the caller polls.
 * The jobs run on the library's I/O thread (engine.c); this file only
 * keeps the lists and turns finished jobs into MPRMON_COMPLETION. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "api_priv.h"
#include "detail_priv.h"

struct job_list {
    struct job *head, *tail;
    DWORD count;
};

struct _MPRMON_ASYNC {
    struct job_sink sink; /* first: the sink is the queue */
    int fd;
    pthread_mutex_t lock; /* guards both lists and the fd's state */
    struct job_list running;
    struct job_list done;
};

static void list_append(struct job_list *l, struct job *job)
{
    job->next = NULL;
    job->prev = l->tail;
    if (l->tail)
        l->tail->next = job;
    else
        l->head = job;
    l->tail = job;
    l->count++;
}

static void list_remove(struct job_list *l, struct job *job)
{
    if (job->prev)
        job->prev->next = job->next;
    else
        l->head = job->next;
    if (job->next)
        job->next->prev = job->prev;
    else
        l->tail = job->prev;
    job->prev = job->next = NULL;
    l->count--;
}

static struct job *list_find(const struct job_list *l, MPRMON_REQUEST_ID id)
{
    struct job *job;

    for (job = l->head; job; job = job->next)
        if (job->id == id)
            return job;
    return NULL;
}

/* Runs on the I/O thread when a job of this queue finished. */
static void deliver(struct job_sink *sink, struct job *job)
{
    MPRMON_ASYNC *q = (MPRMON_ASYNC *)sink;
    uint64_t one = 1;

    pthread_mutex_lock(&q->lock);
    if (job->cancelled) {
        /* engine_cancel's message frees it, after this returns. */
        pthread_mutex_unlock(&q->lock);
        return;
    }
    list_remove(&q->running, job);
    list_append(&q->done, job);
    if (q->done.count == 1 && write(q->fd, &one, sizeof(one)) < 0)
        detail_set("eventfd write failed: %s", strerror(errno));
    pthread_mutex_unlock(&q->lock);
}

DWORD MprmonAsyncCreate(MPRMON_ASYNC **ppAsync)
{
    MPRMON_ASYNC *q;

    if (!ppAsync)
        return ERROR_INVALID_PARAMETER;
    *ppAsync = NULL;
    q = calloc(1, sizeof(*q));
    if (!q)
        return ERROR_NOT_ENOUGH_MEMORY;
    q->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (q->fd < 0) {
        DWORD rc = (errno == EMFILE || errno == ENFILE)
                       ? ERROR_TOO_MANY_OPEN_FILES
                       : ERROR_NOT_ENOUGH_MEMORY;
        free(q);
        return rc;
    }
    q->sink.deliver = deliver;
    pthread_mutex_init(&q->lock, NULL);
    *ppAsync = q;
    return NO_ERROR;
}

int MprmonAsyncGetFd(const MPRMON_ASYNC *pAsync)
{
    return pAsync ? pAsync->fd : -1;
}

/* Put a built job on the queue and hand it to the I/O thread; rc is what
 * building it gave. */
static DWORD start(MPRMON_ASYNC *q, DWORD rc, struct job *job, void *cookie,
                   MPRMON_REQUEST_ID *pId)
{
    if (rc != NO_ERROR)
        return rc;
    job->cookie = cookie;
    job->sink = &q->sink;
    pthread_mutex_lock(&q->lock);
    list_append(&q->running, job);
    pthread_mutex_unlock(&q->lock);
    rc = engine_submit(job);
    if (rc != NO_ERROR) {
        pthread_mutex_lock(&q->lock);
        list_remove(&q->running, job);
        pthread_mutex_unlock(&q->lock);
        job_free(job);
        return rc;
    }
    if (pId)
        *pId = job->id;
    return NO_ERROR;
}

DWORD MprmonAsyncServerConnect(MPRMON_ASYNC *pAsync, LPCWSTR lpwsServerName,
                               const MPRMON_CONNECT_OPTIONS *pOptions,
                               DWORD dwDeadlineMs, void *pCookie,
                               MPRMON_REQUEST_ID *pId)
{
    struct job *job = NULL;
    DWORD rc;

    detail_clear();
    if (!pAsync)
        return ERROR_INVALID_PARAMETER;
    rc = api_server_job(JOB_CONNECT, lpwsServerName, pOptions, dwDeadlineMs,
                        &job);
    return start(pAsync, rc, job, pCookie, pId);
}

DWORD MprmonAsyncServerGetInfo(MPRMON_ASYNC *pAsync, MPR_SERVER_HANDLE hMprServer,
                               DWORD dwLevel, DWORD dwDeadlineMs,
                               void *pCookie, MPRMON_REQUEST_ID *pId)
{
    struct job *job = NULL;
    DWORD rc;

    detail_clear();
    if (!pAsync)
        return ERROR_INVALID_PARAMETER;
    rc = api_get_info_job(hMprServer, dwLevel, dwDeadlineMs, &job);
    return start(pAsync, rc, job, pCookie, pId);
}

DWORD MprmonAsyncEnumAll(MPRMON_ASYNC *pAsync, MPR_SERVER_HANDLE hMprServer,
                         MPRMON_LIST list, DWORD dwLevel, DWORD dwPageBytes,
                         DWORD dwMaxEntries, DWORD dwDeadlineMs,
                         void *pCookie, MPRMON_REQUEST_ID *pId)
{
    struct job *job = NULL;
    DWORD rc;

    detail_clear();
    if (!pAsync)
        return ERROR_INVALID_PARAMETER;
    rc = api_list_job(hMprServer, list, dwLevel, dwPageBytes, dwMaxEntries,
                      dwDeadlineMs, &job);
    return start(pAsync, rc, job, pCookie, pId);
}

DWORD MprmonAsyncQueryServiceState(MPRMON_ASYNC *pAsync,
                                   LPCWSTR lpwsServerName,
                                   const MPRMON_CONNECT_OPTIONS *pOptions,
                                   DWORD dwDeadlineMs, void *pCookie,
                                   MPRMON_REQUEST_ID *pId)
{
    struct job *job = NULL;
    DWORD rc;

    detail_clear();
    if (!pAsync)
        return ERROR_INVALID_PARAMETER;
    rc = api_server_job(JOB_SERVICE_STATE, lpwsServerName, pOptions,
                        dwDeadlineMs, &job);
    return start(pAsync, rc, job, pCookie, pId);
}

static MPRMON_REQUEST_KIND request_kind(enum job_kind kind)
{
    switch (kind) {
    case JOB_CONNECT:
        return MPRMON_REQUEST_SERVER_CONNECT;
    case JOB_GET_INFO:
        return MPRMON_REQUEST_SERVER_GET_INFO;
    case JOB_LIST:
        return MPRMON_REQUEST_ENUM_ALL;
    default:
        return MPRMON_REQUEST_SERVICE_STATE;
    }
}

/* A finished job as the caller sees it; takes its handle and buffer. */
static void fill_completion(struct job *job, MPRMON_COMPLETION *c)
{
    memset(c, 0, sizeof(*c));
    c->id = job->id;
    c->kind = request_kind(job->kind);
    c->pCookie = job->cookie;
    c->dwError = job->rc;
    c->dwElapsedMs = job->elapsed_ms;
    if (job->rc != NO_ERROR)
        snprintf(c->szDetail, sizeof(c->szDetail), "%s", job->detail);
    switch (job->kind) {
    case JOB_CONNECT:
        if (job->rc == NO_ERROR) {
            c->dwError = api_take_handle(job, &c->hMprServer);
            if (c->dwError != NO_ERROR)
                snprintf(c->szDetail, sizeof(c->szDetail),
                         "no room for a new handle");
        }
        break;
    case JOB_GET_INFO:
        c->lpbBuffer = job->info;
        job->info = NULL;
        break;
    case JOB_LIST:
        if (job->rc == NO_ERROR || job->rc == ERROR_MORE_DATA) {
            c->lpbBuffer = job->info;
            c->dwEntries = job->entries;
            job->info = NULL;
        }
        break;
    case JOB_SERVICE_STATE:
        c->serviceState = api_service_state(job);
        c->dwCurrentState = job->rc == NO_ERROR ? job->current_state : 0;
        break;
    default:
        break;
    }
}

BOOL MprmonAsyncNextCompletion(MPRMON_ASYNC *pAsync,
                               MPRMON_COMPLETION *pCompletion)
{
    struct job *job;
    uint64_t count;

    if (!pAsync || !pCompletion)
        return FALSE;
    pthread_mutex_lock(&pAsync->lock);
    job = pAsync->done.head;
    if (job)
        list_remove(&pAsync->done, job);
    /* Empty now: reset the eventfd so that it polls readable only while
     * something waits.  Writes happen under the same lock. */
    if (pAsync->done.count == 0 &&
        read(pAsync->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        detail_set("eventfd read failed: %s", strerror(errno));
    pthread_mutex_unlock(&pAsync->lock);
    if (!job)
        return FALSE;
    fill_completion(job, pCompletion);
    job_discard(job);
    return TRUE;
}

BOOL MprmonAsyncCancel(MPRMON_ASYNC *pAsync, MPRMON_REQUEST_ID id)
{
    struct job *job;
    uint64_t count;

    if (!pAsync)
        return FALSE;
    pthread_mutex_lock(&pAsync->lock);
    job = list_find(&pAsync->done, id);
    if (job) {
        list_remove(&pAsync->done, job);
        if (pAsync->done.count == 0 &&
            read(pAsync->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
            detail_set("eventfd read failed: %s", strerror(errno));
        pthread_mutex_unlock(&pAsync->lock);
        job_discard(job);
        return TRUE;
    }
    job = list_find(&pAsync->running, id);
    if (job) {
        /* The I/O thread still runs it: it is discarded when it ends. */
        list_remove(&pAsync->running, job);
        job->cancelled = 1;
        engine_cancel(job);
    }
    pthread_mutex_unlock(&pAsync->lock);
    return job ? TRUE : FALSE;
}

DWORD MprmonAsyncPending(const MPRMON_ASYNC *pAsync)
{
    DWORD n;

    if (!pAsync)
        return 0;
    pthread_mutex_lock((pthread_mutex_t *)&pAsync->lock);
    n = pAsync->running.count + pAsync->done.count;
    pthread_mutex_unlock((pthread_mutex_t *)&pAsync->lock);
    return n;
}

void MprmonAsyncDestroy(MPRMON_ASYNC *pAsync)
{
    struct job *job;

    if (!pAsync)
        return;
    pthread_mutex_lock(&pAsync->lock);
    while ((job = pAsync->running.head)) {
        list_remove(&pAsync->running, job);
        job->cancelled = 1;
        engine_cancel(job);
    }
    pthread_mutex_unlock(&pAsync->lock);
    /* Cancelled jobs still point at the queue until the I/O thread has
     * seen the cancels: wait for it before freeing. */
    engine_flush();
    while ((job = pAsync->done.head)) {
        list_remove(&pAsync->done, job);
        job_discard(job);
    }
    close(pAsync->fd);
    pthread_mutex_destroy(&pAsync->lock);
    free(pAsync);
}
