/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reload.h - a configuration reload, run off the thread that serves SNMP.
 *
 * Loading the file and applying it can take long: the prober disconnects
 * the handle of every router removed or retargeted, and a disconnect talks
 * to the router, waiting up to its timeout when the peer hangs.  On the
 * AgentX thread that froze SNMP for the whole time, and snmpd, after its
 * agentxTimeout, dropped the session and with it the table.  So the work
 * runs on a thread of its own, and the main loop collects the outcome (and
 * does the logging: snmp_log is not for other threads) when it is done.
 *
 * One reload at a time; all functions are for the main thread. */
#ifndef MPRMON_RELOAD_H
#define MPRMON_RELOAD_H

#include <pthread.h>
#include <stdbool.h>

#include "conf.h"
#include "prober.h"
#include "registry.h"

enum reload_status {
    RELOAD_APPLIED = 0,    /* cfg is in force */
    RELOAD_BAD_CONFIG = 1, /* err says why (FILE:LINE: ...); nothing changed */
    RELOAD_NO_MEMORY = 2   /* the registry could not take it; nothing changed */
};

struct reload {
    /* Set by reload_start; the outcome is valid after reload_collect. */
    const char *path;
    struct registry *reg;
    struct prober *prober;
    int wake_fd;
    enum reload_status status;
    bool prober_partial; /* applied, but the prober could not take it all */
    struct daemon_config cfg; /* RELOAD_APPLIED: the new config, now the
                                 caller's to keep and free */
    char err[512];
    /* Internal. */
    pthread_t thread;
    bool running;  /* started, not yet collected */
    bool threaded; /* a thread to join (not run inline) */
    pthread_mutex_t lock;
    bool finished;
};

/* Prepare r (once). */
void reload_init(struct reload *r);
void reload_destroy(struct reload *r);

/* Start reloading path into reg and prober.  When the work is done one
 * byte is written to wake_fd (non-blocking), so the caller's select()
 * wakes up.  If no thread can be made the work runs here, at once.
 * Returns false if a reload is still running (start it again later). */
bool reload_start(struct reload *r, const char *path, struct registry *reg,
                  struct prober *prober, int wake_fd);

/* Is a reload running, not yet collected? */
bool reload_running(const struct reload *r);

/* If the running reload has finished (or, with wait, once it has), collect
 * its outcome into r's fields and return true; else return false. */
bool reload_collect(struct reload *r, bool wait);

#endif
