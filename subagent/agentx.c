/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agentx.c - Net-SNMP AgentX subagent set-up and the daemon's event loop.
 *
 * The loop is Net-SNMP's agent_check_and_process() with the daemon's own
 * descriptors added to the same select(), so one thread serves SNMP,
 * notifications and signals without ever waiting on a probe. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/large_fd_set.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "agentx.h"

/* AgentX's error codes for a refused Register. */
enum {
    AGENTX_NOT_OPEN = 257,
    AGENTX_UNSUPPORTED_CONTEXT = 262,
    AGENTX_DUPLICATE_REGISTRATION = 263,
    AGENTX_REQUEST_DENIED = 267,
};

/* Net-SNMP sends each AgentX Register from a registry callback whose
 * result it drops: a refusal reaches nothing but its own log line
 * ("registering pdu failed: N!").  So our callbacks run just before and
 * just after Net-SNMP's, and listen to the log in between: a refusal
 * logged there is that OID's.  Thread-local: another thread's log line
 * is never taken for it. */
static _Thread_local const struct register_parameters *agentx_registering;
static netsnmp_log_handler *agentx_log_listener;
static struct {
    long error; /* 0: nothing refused */
    char oid[256];
} agentx_refusal;
/* The open master session, as Net-SNMP announces it. */
static netsnmp_session *agentx_master;

static void agentx_format_oid(char *buf, size_t size, const oid *name,
                              size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < len && used < size; i++) {
        int n =
            snprintf(buf + used, size - used, ".%lu", (unsigned long)name[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int agentx_register_begin(int major, int minor, void *serverarg,
                                 void *clientarg)
{
    (void)major;
    (void)minor;
    (void)clientarg;
    agentx_registering = serverarg;
    netsnmp_enable_this_loghandler(agentx_log_listener);
    return 0;
}

static int agentx_register_end(int major, int minor, void *serverarg,
                               void *clientarg)
{
    (void)major;
    (void)minor;
    (void)serverarg;
    (void)clientarg;
    netsnmp_disable_this_loghandler(agentx_log_listener);
    agentx_registering = NULL;
    return 0;
}

static int agentx_log_seen(int major, int minor, void *serverarg,
                           void *clientarg)
{
    const struct snmp_log_message *m = serverarg;
    const struct register_parameters *r = agentx_registering;
    long error;

    (void)major;
    (void)minor;
    (void)clientarg;
    /* The first refusal is the one reported. */
    if (r == NULL || agentx_refusal.error != 0)
        return 0;
    if (sscanf(m->msg, "registering pdu failed: %ld!", &error) != 1)
        return 0;
    agentx_refusal.error = error;
    agentx_format_oid(agentx_refusal.oid, sizeof(agentx_refusal.oid), r->name,
                      r->namelen);
    return 0;
}

static int agentx_master_seen(int major, int minor, void *serverarg,
                              void *clientarg)
{
    (void)major;
    (void)clientarg;
    if (minor == SNMPD_CALLBACK_INDEX_START)
        agentx_master = serverarg;
    else if (serverarg == agentx_master)
        agentx_master = NULL;
    return 0;
}

static int agentx_watch_registrations(void)
{
    /* Only between our two registration callbacks does it listen: no other
     * log line pays for it. */
    agentx_log_listener =
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_ERR);
    if (agentx_log_listener == NULL)
        return -1;
    netsnmp_disable_this_loghandler(agentx_log_listener);
    if (snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
                               agentx_log_seen, NULL) != SNMPERR_SUCCESS ||
        netsnmp_register_callback(
            SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_REGISTER_OID,
            agentx_register_begin, NULL,
            NETSNMP_CALLBACK_HIGHEST_PRIORITY) != SNMPERR_SUCCESS ||
        netsnmp_register_callback(
            SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_REGISTER_OID,
            agentx_register_end, NULL,
            NETSNMP_CALLBACK_LOWEST_PRIORITY) != SNMPERR_SUCCESS ||
        snmp_register_callback(SNMP_CALLBACK_APPLICATION,
                               SNMPD_CALLBACK_INDEX_START, agentx_master_seen,
                               NULL) != SNMPERR_SUCCESS ||
        snmp_register_callback(SNMP_CALLBACK_APPLICATION,
                               SNMPD_CALLBACK_INDEX_STOP, agentx_master_seen,
                               NULL) != SNMPERR_SUCCESS)
        return -1;
    return 0;
}

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
     * would interrupt the library's I/O thread and run handlers in signal
     * context. */
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
    /* A subagent has no state worth persisting, and a non-root daemon
     * could not write /var/lib/snmp anyway. */
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);

    if (agentx_watch_registrations() != 0 || init_agent(AGENTX_APP_NAME) != 0) {
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

static void agentx_log_refusal(void)
{
    const char *reason;
    char other[32];

    switch (agentx_refusal.error) {
    case AGENTX_DUPLICATE_REGISTRATION:
        reason = "duplicate registration";
        break;
    case AGENTX_UNSUPPORTED_CONTEXT:
        reason = "unsupported context";
        break;
    case AGENTX_REQUEST_DENIED:
        reason = "request denied";
        break;
    case AGENTX_NOT_OPEN:
        reason = "session not open";
        break;
    default:
        snprintf(other, sizeof(other), "AgentX error %ld",
                 agentx_refusal.error);
        reason = other;
    }
    snmp_log(LOG_ERR, "mprmon: snmpd refused the registration of %s (%s)%s\n",
             agentx_refusal.oid, reason,
             agentx_refusal.error == AGENTX_DUPLICATE_REGISTRATION
                 ? ": is another mprmon-subagent running?"
                 : "");
}

/* The master would answer our exit's Unregister of a refused OID by
 * removing the registration of whoever holds it (it does not check the
 * session): the subagent that owns the table would lose it.  So we leave
 * the master first.  The end of the connection makes the master drop only
 * what is ours, and Net-SNMP, reading it, detaches its registry from the
 * session as when the master goes away: nothing more is sent. */
static void agentx_leave_master(void)
{
    netsnmp_transport *t;
    netsnmp_large_fd_set fds;

    if (agentx_master == NULL)
        return;
    t = snmp_sess_transport(snmp_sess_pointer(agentx_master));
    if (t == NULL || t->sock < 0)
        return;
    /* We are on our way out: no reconnect. */
    netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
                       NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 0);
    shutdown(t->sock, SHUT_RDWR);
    netsnmp_large_fd_set_init(&fds, t->sock + 1);
    NETSNMP_LARGE_FD_SET(t->sock, &fds);
    /* Anything the master had sent still comes before the end; Net-SNMP
     * forgets the session (agentx_master_seen) when it reads the end. */
    for (int i = 0; i < 16 && agentx_master != NULL; i++)
        snmp_read2(&fds);
    netsnmp_large_fd_set_cleanup(&fds);
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

    /* A refusal comes while agentx_start connects or while the previous
     * call's run_alarms reconnects.  Running on without the table would
     * hide it; exiting has the service manager restart us and show why. */
    if (agentx_refusal.error != 0) {
        agentx_log_refusal();
        agentx_leave_master();
        memset(ready, 0, nfds * sizeof(*ready));
        return -1;
    }

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
        /* Large fd sets grow past FD_SETSIZE: the probes' sockets may
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

void agentx_leave(void)
{
    agentx_leave_master();
}

void agentx_shutdown(void)
{
    snmp_shutdown(AGENTX_APP_NAME);
    shutdown_agent();
    /* snmp_shutdown closed the session and freed every log handler. */
    agentx_log_listener = NULL;
    agentx_master = NULL;
}
