/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces.h - the interfaces of the routers (mprInterfaceTable): each
 * router's set as its probes read it, with indexes that survive restarts
 * and hysteresis for the interface notifications, and the immutable
 * snapshot across all routers that the SNMP handlers read.
 *
 * Single-threaded, no I/O, no clock of its own: the owner (routers.c)
 * passes the probe's time. */
#ifndef MPRMON_IFACES_H
#define MPRMON_IFACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mprapi.h"

/* UTF-8 of the longest name Windows allows (256 WCHARs), with its NUL. */
#define IFACE_NAME_MAX (3 * MAX_INTERFACE_NAME_LEN + 1)

/* What hysteresis confirmed about an interface being unreachable. */
enum iface_health { IFACE_HEALTH_NONE = 0, IFACE_HEALTH_UP, IFACE_HEALTH_DOWN };

/* One interface as the table shows it. */
struct iface_row {
    uint32_t router_id;
    uint32_t index;   /* iface_index_of the name, unique in its router */
    char *name;       /* UTF-8; owned by the set or the snapshot */
    uint32_t type;    /* ROUTER_INTERFACE_TYPE */
    bool enabled;
    bool state_known; /* false: the last probe could not read the list */
    uint32_t state;   /* ROUTER_CONNECTION_STATE */
    uint32_t reasons; /* MPR_INTERFACE_* unreachability bits */
    uint32_t last_error;
    uint64_t last_change_ms; /* monotonic ms the state last changed; 0 never */
};

/* A router's interfaces, sorted by index, with their hysteresis. */
struct iface_entry {
    struct iface_row row;
    enum iface_health confirmed, candidate;
    unsigned streak;
};

struct iface_set {
    struct iface_entry *entries;
    size_t n;
    bool read; /* a probe has read the list once */
};

/* An interface event hysteresis confirmed. */
struct iface_change {
    bool down; /* true: became unreachable; false: reachable again */
    struct iface_row row;
};

/*
 * The index of an interface in mprInterfaceTable: FNV-1a (32 bits) of its
 * name with ASCII letters folded to lower case (Windows compares interface
 * names without case), 0 taken as 1.  The same name gives the same index
 * whatever the router's handles, so an NMS keeps its history across router
 * restarts and across subagent restarts.  Two names of one router that
 * collide take the next free values, in name order.
 */
uint32_t iface_index_of(const char *name);

/*
 * Take a probe's list (entries[0..n) as MprAdminInterfaceEnum gave it) as
 * set's new content at now_ms: kept interfaces keep their index, their
 * last change and their hysteresis; an interface whose state differs gets
 * last_change now.  Changes confirmed by `hysteresis` consecutive probes
 * are written to changes[0..max) (*n_changes; those beyond max are
 * dropped; their rows' names belong to the set).  Returns 1 when the
 * table's rows changed, 0 when they did not, -1 when out of memory (set
 * unchanged).
 */
int iface_set_update(struct iface_set *set, uint32_t router_id,
                     const MPR_INTERFACE_0 *entries, size_t n,
                     uint64_t now_ms, unsigned hysteresis,
                     struct iface_change *changes, size_t max,
                     size_t *n_changes);

/* The last probe could not read the list: keep the rows, their state
 * unknown.  Returns true when that changed anything. */
bool iface_set_mark_unknown(struct iface_set *set);

void iface_set_clear(struct iface_set *set);

/* ---- the snapshot the handlers read ---- */

struct iface_snapshot;

/* Copies of the rows of sets[0..n) (whose router ids ascend), sorted by
 * (router id, index).  NULL when out of memory. */
struct iface_snapshot *iface_snapshot_build(const struct iface_set *const *sets,
                                            size_t n);
size_t iface_snapshot_size(const struct iface_snapshot *s);
const struct iface_row *iface_snapshot_row(const struct iface_snapshot *s,
                                           size_t i);
void iface_snapshot_ref(const struct iface_snapshot *s);
/* NULL is safe. */
void iface_snapshot_release(const struct iface_snapshot *s);

/* Position of the first row at or after (router_id, index). */
size_t iface_snapshot_lower_bound(const struct iface_snapshot *s,
                                  uint32_t router_id, uint32_t index);

#endif
