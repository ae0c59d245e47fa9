/* SPDX-License-Identifier: GPL-3.0-or-later */
/* registry.h - router entries, state machine, snapshot of published rows.
 *
 * The prober writes probe results in; the SNMP side reads immutable
 * snapshots and never touches the network.  Thread-safe. */
#ifndef MPRMON_REGISTRY_H
#define MPRMON_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "conf.h"

enum mpr_conn_state {
    MPR_CONN_CONNECTED = 1,
    MPR_CONN_CONNECTING = 2,
    MPR_CONN_DISCONNECTED = 3,
    MPR_CONN_FAILED = 4
};

/* Values as in MPRMON-MIB mprRouterServiceState. */
enum mpr_service_state {
    MPR_SVC_RUNNING = 1,
    MPR_SVC_STOPPED = 2,
    MPR_SVC_NOT_INSTALLED = 3,
    MPR_SVC_ACCESS_DENIED = 4,
    MPR_SVC_UNKNOWN = 5
};

/* One published row: a plain value, copied into snapshots. */
struct router_row {
    uint32_t id;
    char name[ROUTER_NAME_MAX];
    char address[ROUTER_ADDRESS_MAX];
    enum mpr_conn_state conn_state;
    enum mpr_service_state service_state;
    uint32_t last_error;       /* Windows code of the last probe, 0 = none */
    uint64_t last_change_ms;   /* monotonic ms of the last conn/service change, 0 = never */
    uint64_t last_probe_ms;    /* monotonic ms of the last finished probe, 0 = never */
    uint32_t probe_latency_ms; /* duration of the last probe */
    uint32_t connect_attempts; /* Counter32 */
    uint32_t connect_failures; /* Counter32 */
    uint32_t probes;           /* Counter32: probes finished */
    bool info_valid;           /* the three below are from a current level-0 answer */
    uint32_t uptime_s;
    uint32_t total_ports;
    uint32_t ports_in_use;
};

/* Rows are kept in chunks of SNAPSHOT_CHUNK_ROWS, shared between the
 * registry and every snapshot that saw them unchanged: publishing a
 * snapshot copies one pointer per chunk, and a writer copies a chunk only
 * when it changes a row of a chunk that a snapshot still holds (copy on
 * write).  So under a stream of probe results each SNMP request costs
 * n_rows / SNAPSHOT_CHUNK_ROWS pointer copies, not a copy of every row. */
#define SNAPSHOT_CHUNK_ROWS 32

struct row_chunk {
    /* The registry's bookkeeping (registry.c): the snapshots built after
     * `born` and up to `retired` show this chunk. */
    uint64_t born;
    uint64_t retired;
    struct row_chunk *next_retired;
    struct router_row rows[SNAPSHOT_CHUNK_ROWS];
};

/* Immutable, reference-counted; rows sorted by id ascending.  Row i is
 * snapshot_row(s, i). */
struct snapshot {
    uint64_t generation;
    size_t n_rows;
    struct row_chunk *chunks[]; /* SNAPSHOT_CHUNKS(n_rows) */
};

#define SNAPSHOT_CHUNKS(n_rows)                                                \
    (((n_rows) + SNAPSHOT_CHUNK_ROWS - 1) / SNAPSHOT_CHUNK_ROWS)

/* Row i (0 <= i < n_rows) of a snapshot. */
static inline const struct router_row *snapshot_row(const struct snapshot *s,
                                                    size_t i)
{
    return &s->chunks[i / SNAPSHOT_CHUNK_ROWS]->rows[i % SNAPSHOT_CHUNK_ROWS];
}

/* What one probe found (filled by the prober, or by tests). */
struct probe_result {
    DWORD connect_error;  /* MprmonServerConnectEx result, or NO_ERROR if the held handle was reused */
    bool connect_attempted;
    DWORD service_error;  /* MprmonQueryServiceState result */
    MPRMON_SERVICE_STATE service_state;
    DWORD info_error;     /* MprAdminServerGetInfo result; only if service running */
    bool info_valid;
    MPR_SERVER_0 info;
    uint32_t latency_ms;
    uint64_t finished_ms; /* monotonic ms */
};

enum router_event_kind {
    ROUTER_EVENT_SERVICE_DOWN = 1,
    ROUTER_EVENT_SERVICE_UP = 2,
    ROUTER_EVENT_CONNECT_FAILED = 3
};

/* A confirmed state change (after hysteresis), for notifications. */
struct router_event {
    enum router_event_kind kind;
    struct router_row row; /* the row as it was when the event fired */
};

struct registry;

struct registry *registry_new(const struct daemon_config *cfg);
void registry_free(struct registry *r);

/* Apply a (re)loaded config: rows of unchanged ids keep state and counters;
 * removed ids go; new ids start disconnected.  Returns 0 or -1 (no memory,
 * registry unchanged). */
int registry_apply_config(struct registry *r, const struct daemon_config *cfg);

/* Record a probe for router id; updates the state machine and counters,
 * queues events after `hysteresis` consecutive agreeing probes, publishes a
 * new snapshot.  Unknown id (removed by a reload meanwhile) is ignored. */
void registry_record_probe(struct registry *r, uint32_t id,
                           const struct probe_result *res);

/* Mark a router as being connected (conn_state CONNECTING) before a probe. */
void registry_mark_connecting(struct registry *r, uint32_t id);

/* Current snapshot with a reference; release when done.  Never NULL. */
const struct snapshot *registry_snapshot_acquire(struct registry *r);
void registry_snapshot_release(struct registry *r, const struct snapshot *s);

/* Take up to max queued events (oldest first); returns how many. */
size_t registry_take_events(struct registry *r, struct router_event *out,
                            size_t max);

/* A file descriptor that becomes readable when events are queued, for the
 * main loop's select(); registry_take_events drains it. */
int registry_event_fd(struct registry *r);

/* Monotonic clock in ms, the time base of every *_ms field. */
uint64_t registry_now_ms(void);

/* ---- Additions (subagent-core) ---- */

/* When events fire: on a change of a router's verdict (up / service down /
 * unreachable) that `hysteresis` consecutive probes agree on.  The first
 * verdict after start, or after a reload changed the router's target, fires
 * only when it is bad (SERVICE_DOWN, CONNECT_FAILED), never SERVICE_UP, so
 * a restart does not flood the manager.  Rows show every probe at once.
 * The full table is at the top of registry.c. */

/* Events kept for registry_take_events; when full the oldest is dropped. */
#define REGISTRY_EVENT_QUEUE_MAX 1024

/* How many events were dropped because the queue was full. */
uint64_t registry_events_dropped(struct registry *r);

/* registry_record_probe for a result obtained with config `probed`: the
 * result is ignored unless the router's current config has the same target
 * (router_config_same_target), so that a probe still in flight when a reload
 * changed the address cannot leak into the new router's state. */
void registry_record_probe_cfg(struct registry *r,
                               const struct router_config *probed,
                               const struct probe_result *res);

/* The row with this id, or NULL (binary search; rows are sorted). */
const struct router_row *snapshot_find(const struct snapshot *s, uint32_t id);

/* The first row whose id is greater than id, or NULL: GETNEXT order. */
const struct router_row *snapshot_next(const struct snapshot *s, uint32_t id);

#endif
