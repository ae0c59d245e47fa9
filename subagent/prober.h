/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prober.h - probes routers off the SNMP path, with bounded workers. */
#ifndef MPRMON_PROBER_H
#define MPRMON_PROBER_H

#include "registry.h"

struct prober;

/* Start `workers` threads that keep each configured router's handle and
 * probe it every interval (with exponential backoff and jitter while it
 * fails).  Results go to registry_record_probe. */
struct prober *prober_start(struct registry *reg,
                            const struct daemon_config *cfg, unsigned workers);

/* Hand a reloaded config to the prober (after registry_apply_config):
 * unchanged routers keep their handle; changed ones reconnect. */
int prober_apply_config(struct prober *p, const struct daemon_config *cfg);

/* Stop the workers (waits for in-flight probes up to their timeout),
 * disconnect every handle, free. */
void prober_stop(struct prober *p);

#endif
