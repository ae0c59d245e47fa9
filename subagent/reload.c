/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reload.c - a configuration reload, run off the SNMP thread (reload.h). */
#include "reload.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

void reload_init(struct reload *r)
{
    memset(r, 0, sizeof(*r));
    r->wake_fd = -1;
    pthread_mutex_init(&r->lock, NULL);
}

void reload_destroy(struct reload *r)
{
    pthread_mutex_destroy(&r->lock);
}

/* The work itself: everything that may block.  No logging here. */
static void reload_work(struct reload *r)
{
    memset(&r->cfg, 0, sizeof(r->cfg));
    r->err[0] = '\0';
    r->prober_partial = false;
    if (config_load(r->path, &r->cfg, r->err, sizeof(r->err)) != 0) {
        r->status = RELOAD_BAD_CONFIG;
        return;
    }
    if (registry_apply_config(r->reg, &r->cfg) != 0) {
        config_free(&r->cfg);
        r->status = RELOAD_NO_MEMORY;
        return;
    }
    r->prober_partial = prober_apply_config(r->prober, &r->cfg) != 0;
    r->status = RELOAD_APPLIED;
}

static void reload_finish(struct reload *r)
{
    char c = 'r';

    pthread_mutex_lock(&r->lock);
    r->finished = true;
    pthread_mutex_unlock(&r->lock);
    /* A full pipe already means "wake up". */
    if (r->wake_fd >= 0 && write(r->wake_fd, &c, 1) < 0) {
    }
}

static void *reload_thread(void *arg)
{
    struct reload *r = arg;

    reload_work(r);
    reload_finish(r);
    return NULL;
}

bool reload_start(struct reload *r, const char *path, struct registry *reg,
                  struct prober *prober, int wake_fd)
{
    sigset_t set, old;
    int rc;

    if (r->running)
        return false;
    r->path = path;
    r->reg = reg;
    r->prober = prober;
    r->wake_fd = wake_fd;
    r->finished = false;
    r->running = true;
    /* The signals stay with the main thread, whose loop handles them. */
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    rc = pthread_create(&r->thread, NULL, reload_thread, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    r->threaded = rc == 0;
    if (!r->threaded) {
        /* No thread to be had: reload the way it used to be, blocking. */
        reload_work(r);
        reload_finish(r);
    }
    return true;
}

bool reload_running(const struct reload *r)
{
    return r->running;
}

bool reload_collect(struct reload *r, bool wait)
{
    bool finished;

    if (!r->running)
        return false;
    pthread_mutex_lock(&r->lock);
    finished = r->finished;
    pthread_mutex_unlock(&r->lock);
    if (!finished && !wait)
        return false;
    if (r->threaded)
        pthread_join(r->thread, NULL);
    r->running = false;
    r->threaded = false;
    return true;
}
