/* SPDX-License-Identifier: GPL-3.0-or-later */
/* notify.h - router events -> MPRMON-MIB notifications, rate-limited.
 *
 * Each event from routers_take_events becomes one notification
 * (mprRouterServiceDown / ServiceUp / ConnectFailed) sent through the
 * AgentX master.  A token bucket (trap_rate_per_min, whole daemon) limits
 * them; the ones it drops are counted and logged. */
#ifndef MPRMON_NOTIFY_H
#define MPRMON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "routers.h"

/* Token bucket: holds up to rate_per_min tokens, refilled continuously at
 * rate_per_min per minute.  rate_per_min 0 sends none (config's
 * trap-rate 0). */
/* Units per token: ms per minute, so rate * elapsed ms adds exactly. */
#define NOTIFY_TOKEN 60000u

struct notify_bucket {
    unsigned rate_per_min;
    uint64_t credit; /* one token = NOTIFY_TOKEN units: refill is exact */
    uint64_t last_ms;
};

void notify_bucket_init(struct notify_bucket *b, unsigned rate_per_min,
                        uint64_t now_ms);

/* Change the rate (on reload) keeping the tokens already earned, capped at
 * the new size. */
void notify_bucket_set_rate(struct notify_bucket *b, unsigned rate_per_min,
                            uint64_t now_ms);

/* Take one token if there is one. */
bool notify_bucket_take(struct notify_bucket *b, uint64_t now_ms);

struct notifier;

struct notifier *notify_new(unsigned rate_per_min);
void notify_free(struct notifier *n);
void notify_set_rate(struct notifier *n, unsigned rate_per_min);

/* Drain the routers' queued events and send them.  Returns how many were
 * sent. */
size_t notify_process(struct notifier *n, struct routers *routers);

/* The varbind list of one event's notification: snmpTrapOID.0, then
 * mprRouterName, ConnState, ServiceState, LastError, LastErrorText with the
 * row's index.  (send_v2trap adds sysUpTime.0 in front.)  Returns 0 and
 * fills *out (free with snmp_free_varbind), or -1.  The type is
 * netsnmp_variable_list; void here keeps Net-SNMP out of this header. */
int notify_build_varbinds(const struct router_event *ev, void **out);

#endif
