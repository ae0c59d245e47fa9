/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routers.h - the configured routers: the one owner of each router's
 * configuration, connection, verdict, backoff and counters.
 *
 * Everything runs on the caller's thread, from its event loop: poll
 * routers_fd() for POLLIN along with everything else, wait at most
 * routers_next_wakeup_ms(), then call routers_process().  Probes run in the
 * library's I/O thread through its asynchronous calls, at most
 * `concurrency` routers at a time; nothing here waits on the network.
 * Finished steps are taken in batches: once some were taken, the
 * descriptor is left alone for ROUTERS_COMPLETION_BATCH_MS, so that a
 * fleet of routers failing fast wakes the loop a few hundred times a
 * second, not once per step, and SNMP requests keep the thread meanwhile.
 *
 * One probe: connect when no handle is held (a handle is kept across
 * probes, so a healthy router costs one SMB session, not one per probe);
 * ask the SCM about RemoteAccess, unless the connect found nothing
 * answering; with a handle, and the service not stopped, read the level-0
 * server information.  A transport failure drops the handle and the next
 * probe reconnects.
 *
 * Start-up: the first probes are spread over the first interval (the k-th
 * of n routers is due after interval * k / n), so a large fleet does not
 * fire at once and its probes stay spread afterwards; with the
 * configuration's first_probes_at_once every new router is due at once.  After that each router is due every interval, with
 * backoff while it is unreachable (schedule_priv.h). */
#ifndef MPRMON_ROUTERS_H
#define MPRMON_ROUTERS_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "row.h"
#include "snapshot.h"

/* Events kept for routers_take_events; when full the oldest is dropped. */
#define ROUTERS_EVENT_QUEUE_MAX 1024

/* How long finished steps wait to be taken after a batch was taken: short
 * against any probe's timeout, long against a step failing at once. */
#define ROUTERS_COMPLETION_BATCH_MS 5

struct routers;

/* An empty set of routers with its own completion queue.  NULL when out of
 * memory or descriptors. */
struct routers *routers_new(void);

/* Cancel every probe, let go of every connection (without waiting for the
 * routers to answer), free.  Every snapshot must have been released. */
void routers_free(struct routers *r);

/*
 * Take cfg (a freshly loaded configuration) as the new set of routers,
 * keeping the state and counters of every router whose target did not
 * change (router_config_same_target); a retargeted or removed router's
 * probe is cancelled and its connection dropped.  New and retargeted
 * routers are probed over the next interval (see above); a shorter
 * interval takes effect now.  concurrency and the routers are taken from
 * cfg (cfg->routers becomes NULL: the caller frees the rest with
 * config_free as usual).  Returns 0, or -1 when out of memory (nothing
 * changed).
 */
int routers_apply_config(struct routers *r, struct daemon_config *cfg,
                         uint64_t now_ms);

/* The descriptor to poll now, readable when probe steps have finished;
 * -1 while a batch is being held back (routers_next_wakeup_ms ends it). */
int routers_fd(const struct routers *r, uint64_t now_ms);

/* Take finished probe steps, start the next steps and the probes now due.
 * Call it when routers_fd() is readable or the wakeup time has come (extra
 * calls are harmless). */
void routers_process(struct routers *r, uint64_t now_ms);

/* Milliseconds until a probe is due or the held-back batch is to be
 * taken (0: now), or -1 when neither. */
long routers_next_wakeup_ms(const struct routers *r, uint64_t now_ms);

/* The current table, with a reference: snapshot_release it. */
const struct snapshot *routers_snapshot(struct routers *r);

/* The current interfaces of every router collecting them (mprInterface-
 * Table), with a reference: iface_snapshot_release it.  Rebuilt, from
 * every router's set, on the first call after one changed.  NULL only
 * when out of memory before any was built. */
const struct iface_snapshot *routers_iface_snapshot(struct routers *r);

/* Take up to max queued events, oldest first; returns how many. */
size_t routers_take_events(struct routers *r, struct router_event *out,
                           size_t max);

/* Events dropped because the queue was full, since start. */
uint64_t routers_events_dropped(const struct routers *r);

/* Probes in flight now (at most the configured concurrency). */
size_t routers_in_flight(const struct routers *r);

#endif
