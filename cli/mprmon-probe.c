/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mprmon-probe - connect to RRAS servers and say what happened, one line
 * each: the diagnostics an operator runs before (or instead of) SNMP. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "mprapi.h"
#include "probe_lists.h"
#include "target.h"

#define EXIT_ALL_CONNECTED 0
#define EXIT_SOME_FAILED 1
#define EXIT_USAGE 2

struct probe_settings {
    MPRMON_CONNECT_OPTIONS options;
    int query_service;
    int query_info;
    int json; /* JSON Lines instead of the aligned text */
    int interfaces, connections, ports; /* the lists to read */
};

static const char probe_usage_text[] =
    "Usage: mprmon-probe [OPTIONS] SERVER [[OPTIONS] SERVER]...\n"
    "Connect to each Windows RRAS server with MprAdminServerConnect and\n"
    "print one line per server: server, numeric code, symbolic name,\n"
    "time taken, Windows' text for the code; then the RemoteAccess\n"
    "service state and the router's level-0 information.\n"
    "\n"
    "SERVER is NAME, NAME:PORT, an IPv4 or IPv6 address, [IPv6]:PORT.\n"
    "Options apply to the servers that follow them on the command line.\n"
    "\n"
    "  -A, --authentication-file FILE  credentials in smbclient's format\n"
    "                                  (username =, password =, domain =);\n"
    "                                  must not be readable by others\n"
    "  -p, --port PORT                 SMB port (default 445)\n"
    "  -t, --timeout MS                per-operation timeout (default 10000)\n"
    "  -e, --encryption MODE           off, if-available (default), required\n"
    "  -r, --rpc-auth LEVEL            DCE/RPC authentication (SPNEGO/NTLM):\n"
    "                                  none (default), integrity,\n"
    "                                  privacy\n"
    "  -c, --connect-only              only MprAdminServerConnect\n"
    "  -I, --interfaces                also list the router's interfaces\n"
    "                                  (MprAdminInterfaceEnum): name, type,\n"
    "                                  state, unreachability, last error\n"
    "  -C, --connections               also list the remote access and\n"
    "                                  demand-dial connections: user,\n"
    "                                  interface, duration, address, bytes\n"
    "                                  (personal data: mind who reads it)\n"
    "  -P, --ports                     also list the ports: name, device\n"
    "                                  type, condition, calls\n"
    "  -j, --json                      before any server: one JSON object\n"
    "                                  per server and line (JSON Lines):\n"
    "                                  server, code, name, text, detail,\n"
    "                                  time_ms, service {state, code, name,\n"
    "                                  current_state}, info {code, name,\n"
    "                                  uptime, total_ports, ports_in_use,\n"
    "                                  lan_only}, interfaces, connections,\n"
    "                                  ports {code, name, entries [...]};\n"
    "                                  null when not asked\n"
    "  -h, --help                      this text\n"
    "  -V, --version                   the version\n"
    "\n"
    "Exit status: 0 if every server connected, 1 if any did not\n"
    "(the service state and information do not change it), 2 for a\n"
    "usage error or an unusable credentials file (nothing is probed).\n";

static void usage(FILE *out)
{
    fputs(probe_usage_text, out);
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static const char *service_state_name(MPRMON_SERVICE_STATE s)
{
    switch (s) {
    case MPRMON_SERVICE_RUNNING:
        return "running";
    case MPRMON_SERVICE_STOPPED:
        return "stopped";
    case MPRMON_SERVICE_NOT_INSTALLED:
        return "not-installed";
    case MPRMON_SERVICE_ACCESS_DENIED:
        return "access-denied";
    case MPRMON_SERVICE_UNREACHABLE:
        return "unreachable";
    default:
        return "unknown";
    }
}

/* What one server said: filled first, then written as text or JSON. */
struct probe_result {
    const char *server; /* the argument as given */
    DWORD code;         /* the connect code */
    int timed;          /* connect attempted: ms is meaningful */
    double ms;
    char detail[512]; /* MprmonGetLastErrorDetail of a failed connect */
    int service_asked;
    DWORD service_code;
    MPRMON_SERVICE_STATE service_state;
    DWORD service_raw; /* SERVICE_* value from the SCM, 0 if none */
    int info_asked;
    DWORD info_code;
    MPR_SERVER_0 info;
    struct probe_lists lists;
};

/* Service state and level-0 information.  Asked even after a failed
 * connect for the service (the SCM is a different pipe), not for the
 * information, which needs the handle. */
static void probe_details(LPWSTR wide, MPR_SERVER_HANDLE h,
                          const struct probe_settings *ps,
                          struct probe_result *r)
{
    if (ps->query_service) {
        r->service_asked = 1;
        r->service_code = MprmonQueryServiceState(
            wide, &ps->options, &r->service_state, &r->service_raw);
    }
    if (ps->query_info && h) {
        LPBYTE buf = NULL;
        r->info_asked = 1;
        r->info_code = MprAdminServerGetInfo(h, 0, &buf);
        if (r->info_code == NO_ERROR)
            memcpy(&r->info, buf, sizeof(r->info));
        MprAdminBufferFree(buf);
    }
    if (h) {
        r->lists.want_interfaces = ps->interfaces;
        r->lists.want_connections = ps->connections;
        r->lists.want_ports = ps->ports;
        probe_lists_fetch(h, &r->lists);
    }
}

static void print_text(const struct probe_result *r)
{
    if (!r->timed) {
        printf("%-22s %5u %-26s %9s  %s\n", r->server, (unsigned)r->code,
               MprmonErrorName(r->code), "-", r->detail);
        return;
    }
    printf("%-22s %5u %-26s %7.1fms  %s", r->server, (unsigned)r->code,
           MprmonErrorName(r->code), r->ms, MprmonErrorText(r->code));
    if (r->code != NO_ERROR && r->detail[0])
        printf(" (%s)", r->detail);
    if (r->service_asked) {
        if (r->service_code == NO_ERROR)
            printf("  service=%s", service_state_name(r->service_state));
        else
            printf("  service=%s(%u %s)", service_state_name(r->service_state),
                   (unsigned)r->service_code, MprmonErrorName(r->service_code));
    }
    if (r->info_asked) {
        if (r->info_code == NO_ERROR)
            printf("  uptime=%us ports=%u/%u lan-only=%s",
                   (unsigned)r->info.dwUpTime, (unsigned)r->info.dwPortsInUse,
                   (unsigned)r->info.dwTotalPorts,
                   r->info.fLanOnlyMode ? "yes" : "no");
        else
            printf("  info=(%u %s)", (unsigned)r->info_code,
                   MprmonErrorName(r->info_code));
    }
    putchar('\n');
    probe_lists_print_text(&r->lists);
}

/* One JSON object on one line (JSON Lines): a script can read each server's
 * result as soon as it is printed, whatever the number of servers. */
static void print_json(const struct probe_result *r)
{
    fputs("{\"server\":", stdout);
    json_print_string(r->server);
    putchar(',');
    json_print_code(r->code);
    fputs(",\"text\":", stdout);
    json_print_string(MprmonErrorText(r->code));
    fputs(",\"detail\":", stdout);
    json_print_string(r->detail);
    if (r->timed)
        printf(",\"time_ms\":%.1f", r->ms);
    else
        fputs(",\"time_ms\":null", stdout);
    fputs(",\"service\":", stdout);
    if (r->service_asked) {
        fputs("{\"state\":", stdout);
        json_print_string(service_state_name(r->service_state));
        putchar(',');
        json_print_code(r->service_code);
        printf(",\"current_state\":%u}", (unsigned)r->service_raw);
    } else {
        fputs("null", stdout);
    }
    fputs(",\"info\":", stdout);
    if (r->info_asked) {
        putchar('{');
        json_print_code(r->info_code);
        if (r->info_code == NO_ERROR)
            printf(",\"uptime\":%u,\"total_ports\":%u,\"ports_in_use\":%u,"
                   "\"lan_only\":%s",
                   (unsigned)r->info.dwUpTime, (unsigned)r->info.dwTotalPorts,
                   (unsigned)r->info.dwPortsInUse,
                   r->info.fLanOnlyMode ? "true" : "false");
        putchar('}');
    } else {
        fputs("null", stdout);
    }
    probe_lists_print_json(&r->lists);
    fputs("}\n", stdout);
}

/* Probe one server, print its result; returns its connect code. */
static DWORD probe_one(const char *arg, struct probe_settings *ps)
{
    char host[300];
    unsigned port;
    MPR_SERVER_HANDLE h = NULL;
    struct timespec start;
    struct probe_result r;
    LPWSTR wide = NULL;

    memset(&r, 0, sizeof(r));
    r.server = arg;
    if (target_parse(arg, host, sizeof(host), &port, r.detail,
                     sizeof(r.detail)) != 0) {
        r.code = ERROR_INVALID_PARAMETER;
    } else if (!(wide = MprmonUtf8ToWide(host))) {
        r.code = ERROR_INVALID_PARAMETER;
        snprintf(r.detail, sizeof(r.detail), "server name is not valid UTF-8");
    } else {
        struct probe_settings effective = *ps;
        if (port)
            effective.options.dwPort = port;
        clock_gettime(CLOCK_MONOTONIC, &start);
        r.code = MprmonServerConnectEx(wide, &effective.options, &h);
        r.ms = elapsed_ms(&start);
        r.timed = 1;
        /* Copied now: the next library call replaces it. */
        if (r.code != NO_ERROR)
            snprintf(r.detail, sizeof(r.detail), "%s",
                     MprmonGetLastErrorDetail());
        probe_details(wide, h, &effective, &r);
    }
    if (ps->json)
        print_json(&r);
    else
        print_text(&r);
    fflush(stdout);
    probe_lists_free(&r.lists);
    MprAdminServerDisconnect(h);
    MprAdminBufferFree(wide);
    return r.code;
}

static int parse_uint(const char *text, unsigned long max, DWORD *out)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);

    if (*text == '\0' || *end != '\0' || v == 0 || v > max)
        return -1;
    *out = (DWORD)v;
    return 0;
}

/* Check the credentials file once, before any server, so that a bad file is
 * a clear usage error rather than a row of access-denied lines. */
static int check_auth_file(const char *path)
{
    char why[512];

    if (MprmonCheckCredentialsFile(path, why, sizeof(why)) == NO_ERROR)
        return 0;
    fprintf(stderr, "mprmon-probe: credentials file %s\n", why);
    return -1;
}

/* --rpc-auth's names for the RPC_C_AUTHN_LEVEL_* values. */
static int parse_rpc_auth(const char *name, DWORD *level)
{
    static const struct {
        const char *name;
        DWORD level;
    } levels[] = {
        {"none", MPRMON_RPC_AUTHN_LEVEL_NONE},
        {"integrity", MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY},
        {"privacy", MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY},
    };

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (strcmp(name, levels[i].name) == 0) {
            *level = levels[i].level;
            return 0;
        }
    }
    return -1;
}

/* Parse the command line and, if probe is set, probe each server with the
 * options before it.  Returns the exit status, or -1 when there is nothing
 * to report yet (a dry pass that found no error). */
/* Sentinel of apply_option: the option was taken, go on parsing. */
#define OPTION_TAKEN (-1)

static int parse_encryption(const char *s, MPRMON_ENCRYPTION *out)
{
    if (strcmp(s, "off") == 0)
        *out = MPRMON_ENCRYPTION_OFF;
    else if (strcmp(s, "if-available") == 0)
        *out = MPRMON_ENCRYPTION_IF_AVAILABLE;
    else if (strcmp(s, "required") == 0)
        *out = MPRMON_ENCRYPTION_REQUIRED;
    else
        return -1;
    return 0;
}

/* Applies one option to PS: OPTION_TAKEN, or the exit status the run ends
 * with (usage errors, --help, --version).  SERVERS counts the servers
 * already given. */
static int apply_option(int opt, struct probe_settings *ps, int servers)
{
    switch (opt) {
    case 'A':
        if (check_auth_file(optarg) != 0)
            return EXIT_USAGE;
        ps->options.pszCredentialsFile = optarg;
        return OPTION_TAKEN;
    case 'p':
        if (parse_uint(optarg, 65535, &ps->options.dwPort) == 0)
            return OPTION_TAKEN;
        fprintf(stderr, "mprmon-probe: bad port '%s'\n", optarg);
        return EXIT_USAGE;
    case 't':
        if (parse_uint(optarg, 3600000, &ps->options.dwTimeoutMs) == 0)
            return OPTION_TAKEN;
        fprintf(stderr, "mprmon-probe: bad timeout '%s'\n", optarg);
        return EXIT_USAGE;
    case 'e':
        if (parse_encryption(optarg, &ps->options.encryption) == 0)
            return OPTION_TAKEN;
        fprintf(stderr, "mprmon-probe: bad encryption '%s'\n", optarg);
        return EXIT_USAGE;
    case 'r':
        if (parse_rpc_auth(optarg, &ps->options.dwRpcAuthLevel) == 0)
            return OPTION_TAKEN;
        fprintf(stderr, "mprmon-probe: bad RPC authentication level '%s' "
                        "(none, integrity, privacy)\n", optarg);
        return EXIT_USAGE;
    case 'c':
        ps->query_service = 0;
        ps->query_info = 0;
        ps->interfaces = ps->connections = ps->ports = 0;
        return OPTION_TAKEN;
    case 'I':
        ps->interfaces = 1;
        return OPTION_TAKEN;
    case 'C':
        ps->connections = 1;
        return OPTION_TAKEN;
    case 'P':
        ps->ports = 1;
        return OPTION_TAKEN;
    case 'j':
        /* One format per run: a script must not get text first. */
        if (servers > 0) {
            fprintf(stderr, "mprmon-probe: --json must come before the "
                            "first server\n");
            return EXIT_USAGE;
        }
        ps->json = 1;
        return OPTION_TAKEN;
    case 'h':
        usage(stdout);
        return 0;
    case 'V':
        puts("mprmon-probe " PACKAGE_VERSION);
        return 0;
    default:
        usage(stderr);
        return EXIT_USAGE;
    }
}

static int run_command(int argc, char **argv, int probe)
{
    static const struct option longopts[] = {
        {"authentication-file", required_argument, NULL, 'A'},
        {"port", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 't'},
        {"encryption", required_argument, NULL, 'e'},
        {"rpc-auth", required_argument, NULL, 'r'},
        {"connect-only", no_argument, NULL, 'c'},
        {"interfaces", no_argument, NULL, 'I'},
        {"connections", no_argument, NULL, 'C'},
        {"ports", no_argument, NULL, 'P'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct probe_settings ps = {.query_service = 1, .query_info = 1};
    int servers = 0, failures = 0, opt, rc;

    optind = 0; /* glibc: 0 restarts getopt completely, for the 2nd pass */

    /* '+' stops at the first server, so that options apply to the servers
     * after them; the loop resumes option parsing after each server. */
    while (optind < argc) {
        while ((opt = getopt_long(argc, argv, "+A:p:t:e:r:cICPjhV", longopts,
                                  NULL)) != -1) {
            rc = apply_option(opt, &ps, servers);
            if (rc != OPTION_TAKEN)
                return rc;
        }
        if (optind < argc) {
            servers++;
            if (probe && probe_one(argv[optind], &ps) != NO_ERROR)
                failures++;
            optind++;
        }
    }
    if (servers == 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!probe)
        return -1;
    return failures ? EXIT_SOME_FAILED : EXIT_ALL_CONNECTED;
}

int main(int argc, char **argv)
{
    /* A dry pass first: any usage error or unusable credentials file ends
     * the run before a single server is probed, so status 2 never comes
     * with half the results printed. */
    int rc = run_command(argc, argv, 0);

    return rc >= 0 ? rc : run_command(argc, argv, 1);
}
