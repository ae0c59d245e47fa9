/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agentx.c - Net-SNMP AgentX subagent set-up and the daemon's event loop.
 *
 * The loop is Net-SNMP's agent_check_and_process() with the daemon's own
 * descriptors added to the same select(), so one thread serves SNMP,
 * notifications and signals without ever waiting on a probe. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>

#include "agentx.h"

int agentx_init(const struct agentx_options *opts)
{
    unsigned ping =
        opts->ping_interval_s ? opts->ping_interval_s : AGENTX_DEFAULT_PING_S;

    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
    if (opts->socket != NULL)
        netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
                              NETSNMP_DS_AGENT_X_SOCKET, opts->socket);
    /* Pings notice a vanished master; the same alarm then reopens the
     * session, so rows come back after snmpd restarts. */
    netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
                       NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, (int)ping);
    /* Alarms run from our loop (run_alarms), not from SIGALRM, which
     * would interrupt the prober's threads and run handlers in signal
     * context. */
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
    /* A subagent has no state worth persisting, and a non-root daemon
     * could not write /var/lib/snmp anyway. */
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);

    if (init_agent(AGENTX_APP_NAME) != 0) {
        snmp_log(LOG_ERR, "mprmon: cannot initialise the Net-SNMP agent\n");
        return -1;
    }
    return 0;
}

void agentx_start(void)
{
    /* A subagent needs no MIB modules; loading the defaults only fills the
     * log with warnings where the IETF modules are not installed.  An
     * operator's own MIBS setting still wins. */
    setenv("MIBS", "", 0);
    /* Reads mprmon-subagent.conf and, through the subagent's post-config
     * callback, connects to the master. */
    init_snmp(AGENTX_APP_NAME);
}

static void agentx_timeval_from_ms(struct timeval *tv, unsigned ms)
{
    tv->tv_sec = ms / 1000;
    tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

int agentx_poll(const int *fds, bool *ready, size_t nfds, unsigned max_wait_ms)
{
    netsnmp_large_fd_set readfds, writefds, exceptfds;
    struct timeval limit, timeout;
    int numfds = 0, block = 0, count, rc = 0;

    netsnmp_large_fd_set_init(&readfds, FD_SETSIZE);
    netsnmp_large_fd_set_init(&writefds, FD_SETSIZE);
    netsnmp_large_fd_set_init(&exceptfds, FD_SETSIZE);

    agentx_timeval_from_ms(&limit, max_wait_ms);
    timeout = limit;
    snmp_select_info2(&numfds, &readfds, &timeout, &block);
    /* block set: Net-SNMP has no timer due, so only our limit counts;
     * otherwise wait for whichever comes first. */
    if (block || timercmp(&limit, &timeout, <))
        timeout = limit;
    netsnmp_external_event_info2(&numfds, &readfds, &writefds, &exceptfds);

    for (size_t i = 0; i < nfds; i++) {
        ready[i] = false;
        if (fds[i] < 0)
            continue;
        /* Large fd sets grow past FD_SETSIZE: the prober's sockets may
         * push descriptor numbers above 1024 with many routers. */
        NETSNMP_LARGE_FD_SET(fds[i], &readfds);
        if (fds[i] >= numfds)
            numfds = fds[i] + 1;
    }

    count = netsnmp_large_fd_set_select(numfds, &readfds, &writefds, &exceptfds,
                                        &timeout);
    if (count > 0) {
        for (size_t i = 0; i < nfds; i++) {
            if (fds[i] >= 0 && NETSNMP_LARGE_FD_ISSET(fds[i], &readfds)) {
                ready[i] = true;
                /* Keep Net-SNMP from seeing descriptors it does not own. */
                NETSNMP_LARGE_FD_CLR(fds[i], &readfds);
                count--;
            }
        }
        if (count > 0)
            netsnmp_dispatch_external_events2(&count, &readfds, &writefds,
                                              &exceptfds);
        if (count > 0)
            snmp_read2(&readfds);
    } else if (count == 0) {
        snmp_timeout();
    } else if (errno != EINTR) {
        snmp_log_perror("mprmon: select");
        rc = -1;
    }

    run_alarms();
    netsnmp_check_outstanding_agent_requests();

    netsnmp_large_fd_set_cleanup(&readfds);
    netsnmp_large_fd_set_cleanup(&writefds);
    netsnmp_large_fd_set_cleanup(&exceptfds);
    return rc;
}

void agentx_shutdown(void)
{
    snmp_shutdown(AGENTX_APP_NAME);
    shutdown_agent();
}
