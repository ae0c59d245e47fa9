/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict.h - a probe result into a router's row, and the hysteresis that
 * turns verdicts into notifications.
 *
 * When events fire: on a change of a router's verdict (up / service down /
 * unreachable) that `hysteresis` consecutive probes agree on.  The first
 * verdict after start, or after a reload changed the router's target, fires
 * only when it is bad (SERVICE_DOWN, CONNECT_FAILED), never SERVICE_UP, so
 * a restart does not flood the manager.  Rows show every probe at once.
 * Pure: no I/O, no clock. */
#ifndef MPRMON_VERDICT_H
#define MPRMON_VERDICT_H

#include "probe_priv.h"
#include "row.h"

/* What hysteresis remembers of one router. */
struct router_health {
    enum mpr_conn_state settled_conn; /* conn_state without CONNECTING */
    enum probe_health confirmed;
    enum probe_health candidate;
    unsigned streak; /* consecutive probes with verdict == candidate */
};

/* A router not probed yet (and one whose target a reload changed). */
void verdict_init(struct router_health *h);

/* Apply res to row (state, error, counters, level-0 values) and to h.
 * Returns the event kind that res confirms, or 0 for none. */
int verdict_record(struct router_health *h, struct router_row *row,
                   const struct probe_result *res, unsigned hysteresis);

#endif
