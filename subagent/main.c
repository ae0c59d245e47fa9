/* main.c - mprmon-subagent: options, daemon life cycle, signals.
 *
 * Signal handlers only set flags and write a byte to a pipe that the event
 * loop watches; reloading and stopping happen in the loop, between SNMP
 * requests. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agentx.h"
#include "config.h"
#include "mib_table.h"
#include "notify.h"
#include "prober.h"
#include "registry.h"

#ifndef MPRMON_VERSION
#define MPRMON_VERSION "unknown"
#endif
#ifndef MPRMON_SYSCONFDIR
#define MPRMON_SYSCONFDIR "/etc"
#endif
#define MAIN_DEFAULT_CONFIG MPRMON_SYSCONFDIR "/mprmon/mprmon.conf"

/* Longest select() wait: a safety net only, signals wake the loop. */
#define MAIN_MAX_WAIT_MS 1000

struct main_options {
    bool foreground;
    bool log_set;
    const char *agentx_socket;
    const char *config_path;
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
            "  -L SPEC         logging as snmpd's -L: -Le stderr, -Lo "
            "stdout,\n"
            "                  -Lf FILE, -Ls FACILITY (syslog), -Ln none\n"
            "  -D TOKENS       Net-SNMP debug output for these tokens "
            "(comma-separated)\n"
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
        {NULL, 0, NULL, 0}};
    int c;

    memset(o, 0, sizeof(*o));
    o->config_path = MAIN_DEFAULT_CONFIG;
    while ((c = getopt_long(argc, argv, "fx:c:L:D:hV", longopts, NULL)) != -1) {
        switch (c) {
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
    struct daemon_config cfg;
    struct registry *reg;
    struct prober *prober;
    struct notifier *notifier;
};

static void main_reload(struct main_daemon *d, const char *path)
{
    struct daemon_config fresh;
    char err[512];

    memset(&fresh, 0, sizeof(fresh));
    if (config_load(path, &fresh, err, sizeof(err)) != 0) {
        snmp_log(LOG_ERR,
                 "mprmon: reload failed, keeping the old "
                 "configuration: %s\n",
                 err);
        return;
    }
    if (registry_apply_config(d->reg, &fresh) != 0) {
        snmp_log(LOG_ERR, "mprmon: reload failed (no memory), keeping the "
                          "old configuration\n");
        config_free(&fresh);
        return;
    }
    if (prober_apply_config(d->prober, &fresh) != 0)
        snmp_log(LOG_ERR, "mprmon: the prober could not apply the new "
                          "configuration fully\n");
    if (fresh.max_concurrency != d->cfg.max_concurrency)
        snmp_log(LOG_WARNING, "mprmon: a new concurrency takes effect at "
                              "the next restart\n");
    notify_set_rate(d->notifier, fresh.trap_rate_per_min);
    config_free(&d->cfg);
    d->cfg = fresh;
    snmp_log(LOG_INFO, "mprmon: configuration reloaded: %zu routers\n",
             d->cfg.n_routers);
}

static int main_loop(struct main_daemon *d, const char *config_path)
{
    int fds[2];
    bool ready[2];

    fds[0] = registry_event_fd(d->reg);
    fds[1] = main_signal_pipe[0];
    while (!main_stop_flag) {
        if (agentx_poll(fds, ready, 2, MAIN_MAX_WAIT_MS) != 0)
            return -1;
        if (ready[1])
            main_drain_signal_pipe();
        if (main_stop_flag)
            break;
        if (main_reload_flag) {
            main_reload_flag = 0;
            main_reload(d, config_path);
        }
        if (ready[0])
            notify_process(d->notifier, d->reg);
    }
    return 0;
}

/* Workers inherit the signal mask: keep SIGHUP/SIGTERM/SIGINT for the main
 * thread, so they never interrupt a probe's I/O and the loop sees them. */
static struct prober *main_start_prober(struct main_daemon *d)
{
    sigset_t set, old;
    struct prober *p;

    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    p = prober_start(d->reg, &d->cfg, d->cfg.max_concurrency);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return p;
}

static int main_run(const struct main_options *o, struct main_daemon *d)
{
    struct agentx_options ax = {o->agentx_socket, 0};
    int rc = -1;

    if (agentx_init(&ax) != 0)
        return -1;
    d->reg = registry_new(&d->cfg);
    d->notifier = notify_new(d->cfg.trap_rate_per_min);
    if (d->reg == NULL || d->notifier == NULL) {
        snmp_log(LOG_ERR, "mprmon: no memory\n");
        goto out;
    }
    if (mib_table_register(d->reg, time(NULL)) != 0)
        goto out;
    agentx_start();
    d->prober = main_start_prober(d);
    if (d->prober == NULL) {
        snmp_log(LOG_ERR, "mprmon: cannot start the prober\n");
        goto out_unregister;
    }
    snmp_log(LOG_INFO, "mprmon-subagent %s started: %zu routers\n",
             MPRMON_VERSION, d->cfg.n_routers);
    rc = main_loop(d, o->config_path);
    snmp_log(LOG_INFO, "mprmon-subagent stopping\n");
    prober_stop(d->prober);
    d->prober = NULL;
out_unregister:
    mib_table_unregister();
out:
    agentx_shutdown();
    notify_free(d->notifier);
    if (d->reg != NULL)
        registry_free(d->reg);
    return rc;
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

    memset(&d, 0, sizeof(d));
    if (config_load(opts.config_path, &d.cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "mprmon-subagent: %s\n", err);
        return 1;
    }
    if (!opts.log_set) {
        if (opts.foreground)
            snmp_enable_stderrlog();
        else
            snmp_enable_syslog_ident(AGENTX_APP_NAME, LOG_DAEMON);
    }
    /* Fork before any thread exists: the prober's workers would not
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
