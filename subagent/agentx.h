/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agentx.h - Net-SNMP AgentX subagent set-up and the daemon's event loop.
 *
 * The subagent is single-threaded on the SNMP side: one loop waits on
 * Net-SNMP's sockets and timers plus the daemon's own descriptors (the
 * routers' completion fd, the signal pipe), so SNMP requests are never
 * blocked by probes. */
#ifndef MPRMON_AGENTX_H
#define MPRMON_AGENTX_H

#include <stdbool.h>
#include <stddef.h>

#define AGENTX_APP_NAME "mprmon-subagent"
#define AGENTX_DEFAULT_PING_S 15

struct agentx_options {
    const char *socket;       /* master's AgentX socket, NULL = default */
    unsigned ping_interval_s; /* ping (and reconnect) interval, 0 = default */
};

/* Make this process an AgentX subagent (Net-SNMP's agent library set up,
 * no session yet).  Logging must be set up before.  Register the MIB
 * handlers after this and before agentx_start.  Returns 0 or -1 (logged). */
int agentx_init(const struct agentx_options *opts);

/* Read Net-SNMP's config (mprmon-subagent.conf on its usual path, e.g.
 * agentxPingInterval) and open the master session.  If the master is not
 * there yet, Net-SNMP retries every ping interval; so it does after the
 * master restarts. */
void agentx_start(void);

/* Wait up to max_wait_ms for SNMP traffic, Net-SNMP timers or one of fds
 * to become readable; serve SNMP; set ready[i] for each readable fds[i].
 * Returns 0, or -1 (logged) on a select() failure other than EINTR or
 * once the master has refused one of our registrations (e.g. another
 * subagent holds MPRMON-MIB): the master session is closed by then, so
 * that unregistering the MIB on the way out touches nothing at the
 * master. */
int agentx_poll(const int *fds, bool *ready, size_t nfds, unsigned max_wait_ms);

/* Close the session with the master before unregistering anything: the
 * master then drops all of this subagent's registrations at once, where
 * one Unregister each would cost a round trip (thousands with
 * shared-snmpd).  Net-SNMP sends nothing more afterwards. */
void agentx_leave(void);

/* Close the master session and free Net-SNMP's state. */
void agentx_shutdown(void);

#endif
