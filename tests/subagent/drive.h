/* SPDX-License-Identifier: GPL-3.0-or-later */
/* drive.h - the daemon's loop, for tests of the routers: poll the
 * completion descriptor up to the next due time, then routers_process. */
#ifndef MPRMON_TEST_DRIVE_H
#define MPRMON_TEST_DRIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "subagent/routers.h"

/* Run the loop for ms milliseconds. */
void drive_for(struct routers *r, unsigned ms);

/* Run the loop until router id's row has at least `probes` probes (its row
 * is then copied to *out) or limit_ms pass (false). */
bool drive_until_probes(struct routers *r, uint32_t id, uint32_t probes,
                        unsigned limit_ms, struct router_row *out);

/* The row of router id in the current snapshot (fails the test if absent). */
struct router_row drive_row(struct routers *r, uint32_t id);

#endif
