/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - mprmon-subagent: options, daemon life cycle, signals.
 *
 * One thread: Net-SNMP's agent loop also waits on the routers' completion
 * descriptor and their next due time, and on a pipe that the signal
 * handlers write a byte to.  Handlers only set flags; stopping and
 * reloading happen in the loop, between SNMP requests.  A reload parses
 * the file on this thread too: the largest file allowed takes well under
 * a second, and nothing in it waits on the network. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "agentx.h"
#include "conf.h"
#include "mib_table.h"
#include "notify.h"
#include "privdrop.h"
#include "routers.h"

#ifndef MPRMON_VERSION
#define MPRMON_VERSION "unknown"
#endif
#ifndef MPRMON_SYSCONFDIR
#define MPRMON_SYSCONFDIR "/etc"
#endif
#define MAIN_DEFAULT_CONFIG MPRMON_SYSCONFDIR "/mprmon/mprmon.conf"

/* Longest select() wait: a safety net only, signals and completions wake
 * the loop. */
#define MAIN_MAX_WAIT_MS 1000

struct main_options {
    bool check_only; /* -n: check the configuration and exit */
    bool foreground;
    bool log_set;
    const char *agentx_socket;
    const char *config_path;
    const char *user_spec; /* -u USER[:GROUP], NULL = stay who we are */
    struct privdrop_target user;
};

static volatile sig_atomic_t main_stop_flag;
static volatile sig_atomic_t main_reload_flag;
static int main_signal_pipe[2] = {-1, -1};

static void main_on_signal(int sig)
{
    int saved = errno;
    char c = 0;

    if (sig == SIGHUP)
        main_reload_flag = 1;
    else
        main_stop_flag = 1;
    /* Non-blocking: a full pipe already means "wake up". */
    if (write(main_signal_pipe[1], &c, 1) < 0) {
    }
    errno = saved;
}

static int main_setup_signals(void)
{
    struct sigaction sa;

    if (pipe(main_signal_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(main_signal_pipe[i], F_GETFL);
        if (fl < 0 ||
            fcntl(main_signal_pipe[i], F_SETFL, fl | O_NONBLOCK) != 0 ||
            fcntl(main_signal_pipe[i], F_SETFD, FD_CLOEXEC) != 0)
            return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = main_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGHUP, &sa, NULL) != 0 ||
        sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    /* A closed AgentX socket must be an error, not death. */
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &sa, NULL);
}

static void main_close_signals(void)
{
    for (int i = 0; i < 2; i++) {
        if (main_signal_pipe[i] >= 0)
            close(main_signal_pipe[i]);
        main_signal_pipe[i] = -1;
    }
}

static void main_drain_signal_pipe(void)
{
    char buf[64];

    while (read(main_signal_pipe[0], buf, sizeof(buf)) > 0) {
    }
}

static void main_usage(FILE *out)
{
    fprintf(out,
            "Usage: mprmon-subagent [OPTIONS]\n"
            "Publish the state of Windows RRAS servers as MPRMON-MIB through "
            "an\nAgentX master agent (snmpd).\n\n"
            "  -f              stay in the foreground (log to stderr by "
            "default)\n"
            "  -x SOCKET       the master's AgentX socket (default: "
            "Net-SNMP's,\n"
            "                  e.g. /var/agentx/master or "
            "tcp:127.0.0.1:705)\n"
            "  -c FILE         configuration file (default %s)\n"
            "  -n              check the configuration and every auth file\n"
            "                  (as USER with -u), print FILE:LINE errors,\n"
            "                  exit 0 if it is good, 1 if not\n"
            "  -L SPEC         logging as snmpd's -L: -Le stderr, -Lo "
            "stdout,\n"
            "                  -Lf FILE, -Ls FACILITY (syslog), -Ln none\n"
            "  -D TOKENS       Net-SNMP debug output for these tokens "
            "(comma-separated)\n"
            "  -u, --user USER[:GROUP]\n"
            "                  run as USER (and GROUP, else USER's group) "
            "once\n"
            "                  connected to the master; needs root\n"
            "  -h, --help      show this help and exit\n"
            "  -V, --version   show the version and exit\n\n"
            "Net-SNMP settings such as agentxPingInterval are read from\n"
            "mprmon-subagent.conf on Net-SNMP's config path (SNMPCONFPATH).\n"
            "SIGHUP reloads the configuration; SIGTERM or SIGINT stops.\n",
            MAIN_DEFAULT_CONFIG);
}

/* Returns 0 to run, 1 to exit successfully (help/version), -1 on error. */
static int main_parse_options(int argc, char **argv, struct main_options *o)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"user", required_argument, NULL, 'u'},
        {NULL, 0, NULL, 0}};
    int c;

    memset(o, 0, sizeof(*o));
    o->config_path = MAIN_DEFAULT_CONFIG;
    while ((c = getopt_long(argc, argv, "fnx:c:L:D:u:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            o->check_only = true;
            break;
        case 'f':
            o->foreground = true;
            break;
        case 'x':
            o->agentx_socket = optarg;
            break;
        case 'c':
            o->config_path = optarg;
            break;
        case 'L':
            /* snmp_log_options takes "-Lf FILE"'s FILE from argv[optind]. */
            if (snmp_log_options(optarg, argc, argv) < 0) {
                fprintf(stderr, "mprmon-subagent: bad -L%s\n", optarg);
                return -1;
            }
            o->log_set = true;
            break;
        case 'D':
            debug_register_tokens(optarg);
            snmp_set_do_debugging(1);
            break;
        case 'u':
            o->user_spec = optarg;
            break;
        case 'h':
            main_usage(stdout);
            return 1;
        case 'V':
            printf("mprmon-subagent %s\n", MPRMON_VERSION);
            return 1;
        default:
            main_usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mprmon-subagent: unexpected argument '%s'\n",
                argv[optind]);
        main_usage(stderr);
        return -1;
    }
    return 0;
}

struct main_daemon {
    struct daemon_config cfg; /* settings; the routers own the router list */
    struct routers *routers;
    struct notifier *notifier;
    /* What the "mprmon/schedule" debug line last said (main_log_schedule);
     * in_flight SIZE_MAX: nothing said yet, or a reload made it stale. */
    size_t logged_in_flight;
    uint64_t logged_due_ms; /* UINT64_MAX: no probe queued */
};

/* SIGHUP: load the file again; a bad one changes nothing. */
static void main_reload(struct main_daemon *d, const char *config_path)
{
    struct daemon_config next;
    char err[512];
    size_t n;

    memset(&next, 0, sizeof(next));
    if (config_load(config_path, &next, err, sizeof(err)) != 0) {
        snmp_log(LOG_ERR,
                 "mprmon: reload failed, keeping the old configuration: %s\n",
                 err);
        return;
    }
    /* What is registered with snmpd follows from it: a restart changes it. */
    if (next.shared_snmpd != d->cfg.shared_snmpd) {
        snmp_log(LOG_ERR, "mprmon: reload failed, keeping the old "
                          "configuration: shared-snmpd changes need a "
                          "restart\n");
        config_free(&next);
        return;
    }
    n = next.n_routers;
    if (routers_apply_config(d->routers, &next, mono_now_ms()) != 0) {
        snmp_log(LOG_ERR, "mprmon: reload failed (no memory), keeping the "
                          "old configuration\n");
        config_free(&next);
        return;
    }
    if (mib_table_sync_rows() != 0)
        snmp_log(LOG_ERR, "mprmon: some rows are not registered with snmpd; "
                          "the next reload tries again\n");
    notify_set_rate(d->notifier, next.trap_rate_per_min);
    config_free(&d->cfg);
    d->cfg = next;
    snmp_log(LOG_INFO, "mprmon: configuration reloaded: %zu routers\n", n);
    /* The schedule is said again after every reload, changed or not: a
     * reader of the log waits for the first line after this one. */
    d->logged_in_flight = SIZE_MAX;
}

/*
 * Debug token "mprmon/schedule": a line whenever the probes in flight or
 * the next probe's due time change.  "idle, next probe in N ms" is a
 * promise that no probe runs, and so no request of ours holds a password,
 * for N ms from the time of the line.  Nothing else tells it from outside:
 * an interval lengthened by a reload applies only after each router's
 * probe already queued, which for a router backing off may be many
 * seconds away (tests/integration/test_secrets.sh waits for the line
 * before it takes a core).
 */
static void main_log_schedule(struct main_daemon *d)
{
    uint64_t now, due;
    size_t in_flight;
    long next;

    /* Every turn of the loop comes here: nothing to do unless debugging. */
    if (!snmp_get_do_debugging())
        return;
    now = mono_now_ms();
    in_flight = routers_in_flight(d->routers);
    /* With nothing in flight the wakeup is the next probe's due time. */
    next = in_flight == 0 ? routers_next_wakeup_ms(d->routers, now) : -1;
    due = next < 0 ? UINT64_MAX : now + (uint64_t)next;

    if (in_flight == d->logged_in_flight && due == d->logged_due_ms)
        return;
    d->logged_in_flight = in_flight;
    d->logged_due_ms = due;
    if (in_flight > 0)
        DEBUGMSGTL(("mprmon/schedule", "%zu probes in flight\n", in_flight));
    else if (next < 0)
        DEBUGMSGTL(("mprmon/schedule", "idle, no probe queued\n"));
    else
        DEBUGMSGTL(("mprmon/schedule", "idle, next probe in %ld ms\n", next));
}

/* How long the loop may sleep: until the next probe is due, at most
 * MAIN_MAX_WAIT_MS. */
static unsigned main_wait_ms(const struct main_daemon *d)
{
    long due = routers_next_wakeup_ms(d->routers, mono_now_ms());

    return due < 0 || due > MAIN_MAX_WAIT_MS ? MAIN_MAX_WAIT_MS
                                             : (unsigned)due;
}

static int main_loop(struct main_daemon *d, const char *config_path)
{
    int fds[2];
    bool ready[2];

    fds[1] = main_signal_pipe[0];
    while (!main_stop_flag) {
        fds[0] = routers_fd(d->routers, mono_now_ms());
        if (agentx_poll(fds, ready, 2, main_wait_ms(d)) != 0)
            return -1;
        if (ready[1])
            main_drain_signal_pipe();
        if (main_stop_flag)
            break;
        if (main_reload_flag) {
            main_reload_flag = 0;
            main_reload(d, config_path);
        }
        routers_process(d->routers, mono_now_ms());
        main_log_schedule(d);
        notify_process(d->notifier, d->routers);
    }
    return 0;
}

/*
 * -u: become the user once the AgentX session is open (snmpd's socket is
 * usually root's), before the first probe.  The configuration is
 * then loaded once more as that user, so that an auth file or config the
 * user cannot read is an error now, not at the first probe or reload:
 * from here on, reloads (SIGHUP) and every probe read the files as the
 * user.
 */
static int main_drop_root(const struct main_options *o)
{
    struct daemon_config again;
    char err[512];

    if (privdrop_apply(&o->user, err, sizeof(err)) != 0) {
        snmp_log(LOG_ERR, "mprmon: cannot run as %s: %s\n", o->user_spec,
                 err);
        return -1;
    }
    memset(&again, 0, sizeof(again));
    if (config_load(o->config_path, &again, err, sizeof(err)) != 0) {
        snmp_log(LOG_ERR, "mprmon: as %s: %s\n", o->user_spec, err);
        return -1;
    }
    config_free(&again);
    snmp_log(LOG_INFO, "mprmon: running as uid %u gid %u\n",
             (unsigned)o->user.uid, (unsigned)o->user.gid);
    return 0;
}

/* Every connected router holds a socket, so thousands of routers need more
 * descriptors than the usual soft limit of 1024.  The hard limit is what the
 * administrator allows: take all of it, and say so, or say what is short. */
static void main_raise_nofile(size_t n_routers)
{
    struct rlimit rl;
    unsigned long long before;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    before = (unsigned long long)rl.rlim_cur;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
            snmp_log(LOG_INFO,
                     "mprmon: open-file limit raised from %llu to %llu\n",
                     before, (unsigned long long)rl.rlim_cur);
        else if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return;
    }
    /* One socket per held connection and per probe in flight, plus the
     * daemon's own few. */
    if ((unsigned long long)rl.rlim_cur < (unsigned long long)n_routers + 64)
        snmp_log(LOG_WARNING,
                 "mprmon: the open-file limit (%llu) is below the %zu "
                 "routers configured plus 64: routers beyond it cannot "
                 "stay connected (raise LimitNOFILE / ulimit -n)\n",
                 (unsigned long long)rl.rlim_cur, n_routers);
}

static int main_run(const struct main_options *o, struct main_daemon *d)
{
    struct agentx_options ax = {o->agentx_socket, 0};
    size_t n = d->cfg.n_routers;
    int rc = -1;

    main_raise_nofile(n);
    if (agentx_init(&ax) != 0)
        return -1;
    d->routers = routers_new();
    d->notifier = notify_new(d->cfg.trap_rate_per_min);
    if (d->routers == NULL || d->notifier == NULL ||
        routers_apply_config(d->routers, &d->cfg, mono_now_ms()) != 0) {
        snmp_log(LOG_ERR, "mprmon: no memory\n");
        goto out;
    }
    if (mib_table_register(d->routers, time(NULL), d->cfg.shared_snmpd) != 0)
        goto out;
    agentx_start();
    if (o->user_spec != NULL && main_drop_root(o) != 0)
        goto out_unregister;
    snmp_log(LOG_INFO, "mprmon-subagent %s started: %zu routers\n",
             MPRMON_VERSION, n);
    rc = main_loop(d, o->config_path);
    snmp_log(LOG_INFO, "mprmon-subagent stopping\n");
out_unregister:
    if (d->cfg.shared_snmpd) {
        agentx_leave();
        mib_table_forget();
    } else {
        mib_table_unregister();
    }
out:
    agentx_shutdown();
    notify_free(d->notifier);
    routers_free(d->routers);
    return rc;
}

/* -n: load the configuration as the daemon would (as -u's user when
 * given, since that is who reads the files from then on), say what is
 * wrong or that it is good, and exit. */
static int main_check(const struct main_options *o)
{
    struct daemon_config cfg;
    char err[512];

    if (o->user_spec != NULL &&
        privdrop_apply(&o->user, err, sizeof(err)) != 0) {
        fprintf(stderr, "mprmon-subagent: cannot run as %s: %s\n",
                o->user_spec, err);
        return 1;
    }
    memset(&cfg, 0, sizeof(cfg));
    if (config_load(o->config_path, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "mprmon-subagent: %s\n", err);
        return 1;
    }
    printf("%s: configuration OK, %zu routers\n", o->config_path,
           cfg.n_routers);
    config_free(&cfg);
    return 0;
}

int main(int argc, char **argv)
{
    struct main_options opts;
    struct main_daemon d;
    char err[512];
    int rc;

    rc = main_parse_options(argc, argv, &opts);
    if (rc != 0)
        return rc > 0 ? 0 : 1;
    /* Resolved now, while errors still reach the terminal. */
    if (opts.user_spec != NULL) {
        if (privdrop_resolve(opts.user_spec, &opts.user, err,
                             sizeof(err)) != 0) {
            fprintf(stderr, "mprmon-subagent: %s\n", err);
            return 1;
        }
        if (geteuid() != 0) {
            fprintf(stderr, "mprmon-subagent: -u needs to be started as "
                            "root\n");
            return 1;
        }
    }

    if (opts.check_only)
        return main_check(&opts);
    memset(&d, 0, sizeof(d));
    d.logged_in_flight = SIZE_MAX;
    /* With -u the auth files are the user's to read (and may be the
     * user's own): checked once we are that user (main_drop_root). */
    if ((opts.user_spec != NULL
             ? config_load_files_later(opts.config_path, &d.cfg, err,
                                       sizeof(err))
             : config_load(opts.config_path, &d.cfg, err, sizeof(err))) != 0) {
        fprintf(stderr, "mprmon-subagent: %s\n", err);
        return 1;
    }
    if (!opts.log_set) {
        if (opts.foreground)
            snmp_enable_stderrlog();
        else
            snmp_enable_syslog_ident(AGENTX_APP_NAME, LOG_DAEMON);
    }
    /* Fork before any thread exists: the library's I/O thread would not
     * survive it. */
    if (!opts.foreground &&
        netsnmp_daemonize(1, snmp_stderrlog_status()) != 0) {
        fprintf(stderr, "mprmon-subagent: cannot daemonize\n");
        config_free(&d.cfg);
        return 1;
    }
    if (main_setup_signals() != 0) {
        snmp_log_perror("mprmon: signals");
        main_close_signals();
        config_free(&d.cfg);
        return 1;
    }
    rc = main_run(&opts, &d);
    config_free(&d.cfg);
    main_close_signals();
    return rc == 0 ? 0 : 1;
}
