/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.c - the caller's log hook.  A library must not write to its
 * caller's stdout or stderr, so without a hook lines are dropped. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log_priv.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static MPRMON_LOG_FUNCTION log_fn;
static void *log_context;

void MprmonSetLogFunction(MPRMON_LOG_FUNCTION pfnLog, void *pContext)
{
    pthread_mutex_lock(&log_lock);
    log_fn = pfnLog;
    log_context = pContext;
    pthread_mutex_unlock(&log_lock);
}

void log_emit(DWORD level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    size_t n;

    pthread_mutex_lock(&log_lock);
    if (log_fn) {
        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        log_fn(level, line, log_context);
    }
    pthread_mutex_unlock(&log_lock);
}
