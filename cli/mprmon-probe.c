/* mprmon-probe - connect to RRAS servers and say what happened, one line
 * each: the diagnostics an operator runs before (or instead of) SNMP. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mprapi.h"
#include "target.h"

#define EXIT_ALL_CONNECTED 0
#define EXIT_SOME_FAILED 1
#define EXIT_USAGE 2

struct probe_settings {
    MPRMON_CONNECT_OPTIONS options;
    int query_service;
    int query_info;
};

static void usage(FILE *out)
{
    fputs(
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
        "  -c, --connect-only              only MprAdminServerConnect\n"
        "  -h, --help                      this text\n"
        "  -V, --version                   the version\n"
        "\n"
        "Exit status: 0 if every server connected, 1 if any did not,\n"
        "2 for a usage error or an unusable credentials file.\n",
        out);
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

/* Service state and level-0 information, appended to the server's line. */
static void print_details(LPWSTR wide, MPR_SERVER_HANDLE h,
                          const struct probe_settings *ps)
{
    if (ps->query_service) {
        MPRMON_SERVICE_STATE state;
        DWORD raw = 0;
        DWORD rc = MprmonQueryServiceState(wide, &ps->options, &state, &raw);
        if (rc == NO_ERROR)
            printf("  service=%s", service_state_name(state));
        else
            printf("  service=%s(%u %s)", service_state_name(state),
                   (unsigned)rc, MprmonErrorName(rc));
    }
    if (ps->query_info && h) {
        LPBYTE buf = NULL;
        DWORD rc = MprAdminServerGetInfo(h, 0, &buf);
        if (rc == NO_ERROR) {
            const MPR_SERVER_0 *info = (const MPR_SERVER_0 *)buf;
            printf("  uptime=%us ports=%u/%u lan-only=%s",
                   (unsigned)info->dwUpTime, (unsigned)info->dwPortsInUse,
                   (unsigned)info->dwTotalPorts,
                   info->fLanOnlyMode ? "yes" : "no");
            MprAdminBufferFree(buf);
        } else {
            printf("  info=(%u %s)", (unsigned)rc, MprmonErrorName(rc));
        }
    }
}

/* Probe one server; returns its connect code. */
static DWORD probe_one(const char *arg, struct probe_settings *ps)
{
    char host[300], err[200];
    unsigned port;
    MPR_SERVER_HANDLE h = NULL;
    struct timespec start;

    if (target_parse(arg, host, sizeof(host), &port, err, sizeof(err)) != 0) {
        printf("%-22s %5u %-26s %9s  %s\n", arg, ERROR_INVALID_PARAMETER,
               MprmonErrorName(ERROR_INVALID_PARAMETER), "-", err);
        return ERROR_INVALID_PARAMETER;
    }
    MPRMON_CONNECT_OPTIONS options = ps->options;
    if (port)
        options.dwPort = port;
    struct probe_settings effective = *ps;
    effective.options = options;

    LPWSTR wide = MprmonUtf8ToWide(host);
    if (!wide) {
        printf("%-22s %5u %-26s %9s  server name is not valid UTF-8\n", arg,
               ERROR_INVALID_PARAMETER,
               MprmonErrorName(ERROR_INVALID_PARAMETER), "-");
        return ERROR_INVALID_PARAMETER;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    DWORD rc = MprmonServerConnectEx(wide, &options, &h);
    double ms = elapsed_ms(&start);
    const char *detail = MprmonGetLastErrorDetail();
    printf("%-22s %5u %-26s %7.1fms  %s", arg, (unsigned)rc,
           MprmonErrorName(rc), ms, MprmonErrorText(rc));
    if (rc != NO_ERROR && detail[0])
        printf(" (%s)", detail);
    print_details(wide, h, &effective);
    putchar('\n');
    fflush(stdout);
    MprAdminServerDisconnect(h);
    MprAdminBufferFree(wide);
    return rc;
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
    MPRMON_CONNECT_OPTIONS probe_only = {.pszCredentialsFile = path};
    DWORD rc = MprmonSetServerOptions("mprmon-probe.invalid", &probe_only);

    MprmonSetServerOptions("mprmon-probe.invalid", NULL);
    if (rc == NO_ERROR)
        return 0;
    fprintf(stderr, "mprmon-probe: credentials file %s: %s\n", path,
            MprmonGetLastErrorDetail()[0] ? MprmonGetLastErrorDetail()
                                          : MprmonErrorText(rc));
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"authentication-file", required_argument, NULL, 'A'},
        {"port", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 't'},
        {"encryption", required_argument, NULL, 'e'},
        {"connect-only", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct probe_settings ps = {.query_service = 1, .query_info = 1};
    int servers = 0, failures = 0, opt;

    /* '+' stops at the first server, so that options apply to the servers
     * after them; the loop resumes option parsing after each server. */
    while (optind < argc) {
        while ((opt = getopt_long(argc, argv, "+A:p:t:e:chV", longopts,
                                  NULL)) != -1) {
            switch (opt) {
            case 'A':
                if (check_auth_file(optarg) != 0)
                    return EXIT_USAGE;
                ps.options.pszCredentialsFile = optarg;
                break;
            case 'p':
                if (parse_uint(optarg, 65535, &ps.options.dwPort) != 0) {
                    fprintf(stderr, "mprmon-probe: bad port '%s'\n", optarg);
                    return EXIT_USAGE;
                }
                break;
            case 't':
                if (parse_uint(optarg, 3600000, &ps.options.dwTimeoutMs) !=
                    0) {
                    fprintf(stderr, "mprmon-probe: bad timeout '%s'\n",
                            optarg);
                    return EXIT_USAGE;
                }
                break;
            case 'e':
                if (strcmp(optarg, "off") == 0)
                    ps.options.encryption = MPRMON_ENCRYPTION_OFF;
                else if (strcmp(optarg, "if-available") == 0)
                    ps.options.encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
                else if (strcmp(optarg, "required") == 0)
                    ps.options.encryption = MPRMON_ENCRYPTION_REQUIRED;
                else {
                    fprintf(stderr, "mprmon-probe: bad encryption '%s'\n",
                            optarg);
                    return EXIT_USAGE;
                }
                break;
            case 'c':
                ps.query_service = 0;
                ps.query_info = 0;
                break;
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
        if (optind < argc) {
            servers++;
            if (probe_one(argv[optind], &ps) != NO_ERROR)
                failures++;
            optind++;
        }
    }
    if (servers == 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return failures ? EXIT_SOME_FAILED : EXIT_ALL_CONNECTED;
}
