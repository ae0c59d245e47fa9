/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_lists.c - mprmon-probe's --interfaces, --connections and --ports:
 * every page of each enumeration, printed as indented lines or as JSON
 * arrays. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "probe_lists.h"

/* Page size asked of the server, and the most entries kept per list. */
#define PROBE_PAGE_BYTES (64u * 1024u)
#define PROBE_MAX_ENTRIES 100000u

static const char *const interface_types[] = {
    "client",   "home-router", "full-router", "dedicated",
    "internal", "loopback",    "tunnel",      "dial-out"};
static const char *const interface_states[] = {"unreachable", "disconnected",
                                               "connecting", "connected"};
static const char *const port_conditions[] = {
    "non-operational", "disconnected",  "calling-back", "listening",
    "authenticating",  "authenticated", "initializing"};

#define NAME_OF(table, v)                                                      \
    ((v) < sizeof(table) / sizeof((table)[0]) ? (table)[(v)] : "unknown")

/* A WCHAR array as UTF-8 in buf. */
static const char *utf8(const WCHAR *w, char *buf, size_t len)
{
    char *s = MprmonWideToUtf8(w);

    snprintf(buf, len, "%s", s ? s : "?");
    MprAdminBufferFree(s);
    return buf;
}

/* One whole list; a failure's detail is copied now, since the next
 * library call replaces it. */
static DWORD fetch(MPR_SERVER_HANDLE h, MPRMON_LIST list, DWORD level,
                   void **out, DWORD *n, char *detail)
{
    LPBYTE buf = NULL;
    DWORD rc = MprmonEnumAll(h, list, level, PROBE_PAGE_BYTES,
                             PROBE_MAX_ENTRIES, &buf, n);

    *out = buf;
    if (rc == ERROR_MORE_DATA)
        return NO_ERROR; /* PROBE_MAX_ENTRIES reached: print those */
    if (rc != NO_ERROR)
        snprintf(detail, PROBE_DETAIL_MAX, "%s",
                 MprmonGetLastErrorDetail()[0] ? MprmonGetLastErrorDetail()
                                               : MprmonErrorText(rc));
    return rc;
}

void probe_lists_fetch(MPR_SERVER_HANDLE h, struct probe_lists *pl)
{
    if (pl->want_interfaces)
        pl->interfaces_code = fetch(h, MPRMON_LIST_INTERFACES, 0,
                                    (void **)&pl->interfaces,
                                    &pl->n_interfaces, pl->interfaces_detail);
    if (pl->want_connections) {
        pl->connections_code = fetch(h, MPRMON_LIST_CONNECTIONS, 0,
                                     (void **)&pl->connections,
                                     &pl->n_connections,
                                     pl->connections_detail);
        if (pl->connections_code == NO_ERROR)
            pl->connections_code = fetch(h, MPRMON_LIST_CONNECTIONS, 1,
                                         (void **)&pl->statistics,
                                         &pl->n_statistics,
                                         pl->connections_detail);
    }
    if (pl->want_ports)
        pl->ports_code = fetch(h, MPRMON_LIST_PORTS, 0, (void **)&pl->ports,
                               &pl->n_ports, pl->ports_detail);
}

void probe_lists_free(struct probe_lists *pl)
{
    MprAdminBufferFree(pl->interfaces);
    MprAdminBufferFree(pl->connections);
    MprAdminBufferFree(pl->statistics);
    MprAdminBufferFree(pl->ports);
    memset(pl, 0, sizeof(*pl));
}

/* The level-1 statistics of a connection, matched by handle. */
static const RAS_CONNECTION_1 *statistics_of(const struct probe_lists *pl,
                                             HANDLE connection)
{
    for (DWORD i = 0; i < pl->n_statistics; i++)
        if (pl->statistics[i].hConnection == connection)
            return &pl->statistics[i];
    return NULL;
}

/* ---- text ---- */

static void text_failure(const char *what, DWORD code, const char *detail)
{
    printf("  %s: %u %s (%s)\n", what, (unsigned)code, MprmonErrorName(code),
           detail);
}

static void text_interfaces(const struct probe_lists *pl)
{
    char name[800], reasons[200];

    if (pl->interfaces_code != NO_ERROR) {
        text_failure("interfaces", pl->interfaces_code, pl->interfaces_detail);
        return;
    }
    for (DWORD i = 0; i < pl->n_interfaces; i++) {
        const MPR_INTERFACE_0 *f = &pl->interfaces[i];
        MprmonUnreachabilityText(f->fUnReachabilityReasons, reasons,
                                 sizeof(reasons));
        printf("  interface %-24s %-11s %-12s %s unreachable=%s "
               "last-error=%u %s\n",
               utf8(f->wszInterfaceName, name, sizeof(name)),
               NAME_OF(interface_types, (unsigned)f->dwIfType),
               NAME_OF(interface_states, (unsigned)f->dwConnectionState),
               f->fEnabled ? "enabled" : "disabled", reasons,
               (unsigned)f->dwLastError, MprmonErrorName(f->dwLastError));
    }
}

static void text_connections(const struct probe_lists *pl)
{
    char user[800], domain[64], ifname[800];

    if (pl->connections_code != NO_ERROR) {
        text_failure("connections", pl->connections_code, pl->connections_detail);
        return;
    }
    for (DWORD i = 0; i < pl->n_connections; i++) {
        const RAS_CONNECTION_0 *c = &pl->connections[i];
        const RAS_CONNECTION_1 *s = statistics_of(pl, c->hConnection);
        char addr[64] = "-";
        if (s)
            utf8(s->PppInfo.ip.wszRemoteAddress, addr, sizeof(addr));
        printf("  connection %s\\%s interface=%s type=%s duration=%us "
               "address=%s",
               utf8(c->wszLogonDomain, domain, sizeof(domain)),
               utf8(c->wszUserName, user, sizeof(user)),
               utf8(c->wszInterfaceName, ifname, sizeof(ifname)),
               NAME_OF(interface_types, (unsigned)c->dwInterfaceType),
               (unsigned)c->dwConnectDuration, addr[0] ? addr : "-");
        if (s)
            printf(" bytes-in=%u bytes-out=%u", (unsigned)s->dwBytesRcved,
                   (unsigned)s->dwBytesXmited);
        putchar('\n');
    }
}

static void text_ports(const struct probe_lists *pl)
{
    char name[64], type[64], device[300];

    if (pl->ports_code != NO_ERROR) {
        text_failure("ports", pl->ports_code, pl->ports_detail);
        return;
    }
    for (DWORD i = 0; i < pl->n_ports; i++) {
        const RAS_PORT_0 *p = &pl->ports[i];
        printf("  port %-10s %-6s %-15s calls=%u device=%s\n",
               utf8(p->wszPortName, name, sizeof(name)),
               utf8(p->wszDeviceType, type, sizeof(type)),
               NAME_OF(port_conditions, (unsigned)p->dwPortCondition),
               (unsigned)p->dwTotalNumberOfCalls,
               utf8(p->wszDeviceName, device, sizeof(device)));
    }
}

void probe_lists_print_text(const struct probe_lists *pl)
{
    if (pl->want_interfaces)
        text_interfaces(pl);
    if (pl->want_connections)
        text_connections(pl);
    if (pl->want_ports)
        text_ports(pl);
}

/* ---- JSON ---- */

static void json_member_string(const char *key, const char *value)
{
    printf(",\"%s\":", key);
    json_print_string(value);
}

static void json_wide(const char *key, const WCHAR *w)
{
    char buf[800];

    json_member_string(key, utf8(w, buf, sizeof(buf)));
}

/* "key":{"code":..,"name":..,"entries":[ ... then the caller's entries. */
static int json_list_open(const char *key, DWORD code, const char *detail)
{
    printf(",\"%s\":{", key);
    json_print_code(code);
    if (code != NO_ERROR) {
        fputs(",\"detail\":", stdout);
        json_print_string(detail);
        fputs(",\"entries\":null}", stdout);
        return 0;
    }
    fputs(",\"entries\":[", stdout);
    return 1;
}

static void json_interfaces(const struct probe_lists *pl)
{
    char reasons[200];

    if (!json_list_open("interfaces", pl->interfaces_code, pl->interfaces_detail))
        return;
    for (DWORD i = 0; i < pl->n_interfaces; i++) {
        const MPR_INTERFACE_0 *f = &pl->interfaces[i];
        MprmonUnreachabilityText(f->fUnReachabilityReasons, reasons,
                                 sizeof(reasons));
        printf("%s{\"handle\":%u", i ? "," : "",
               (unsigned)(uintptr_t)f->hInterface);
        json_wide("name", f->wszInterfaceName);
        printf(",\"enabled\":%s,\"type\":%u", f->fEnabled ? "true" : "false",
               (unsigned)f->dwIfType);
        json_member_string("type_name",
                           NAME_OF(interface_types, (unsigned)f->dwIfType));
        printf(",\"state\":%u", (unsigned)f->dwConnectionState);
        json_member_string("state_name", NAME_OF(interface_states,
                                                 (unsigned)f->dwConnectionState));
        printf(",\"unreachability\":%u", (unsigned)f->fUnReachabilityReasons);
        json_member_string("unreachability_names", reasons);
        printf(",\"last_error\":%u", (unsigned)f->dwLastError);
        json_member_string("last_error_name", MprmonErrorName(f->dwLastError));
        putchar('}');
    }
    fputs("]}", stdout);
}

static void json_statistics(const RAS_CONNECTION_1 *s)
{
    if (!s) {
        fputs(",\"statistics\":null", stdout);
        return;
    }
    fputs(",\"statistics\":{\"remote_address\":", stdout);
    {
        char addr[64];
        json_print_string(utf8(s->PppInfo.ip.wszRemoteAddress, addr,
                               sizeof(addr)));
    }
    printf(",\"bytes_in\":%u,\"bytes_out\":%u,\"frames_in\":%u,"
           "\"frames_out\":%u,\"crc_errors\":%u}",
           (unsigned)s->dwBytesRcved, (unsigned)s->dwBytesXmited,
           (unsigned)s->dwFramesRcved, (unsigned)s->dwFramesXmited,
           (unsigned)s->dwCrcErr);
}

static void json_connections(const struct probe_lists *pl)
{
    if (!json_list_open("connections", pl->connections_code, pl->connections_detail))
        return;
    for (DWORD i = 0; i < pl->n_connections; i++) {
        const RAS_CONNECTION_0 *c = &pl->connections[i];
        printf("%s{\"handle\":%u,\"interface\":%u", i ? "," : "",
               (unsigned)(uintptr_t)c->hConnection,
               (unsigned)(uintptr_t)c->hInterface);
        json_wide("interface_name", c->wszInterfaceName);
        printf(",\"type\":%u,\"duration\":%u,\"flags\":%u",
               (unsigned)c->dwInterfaceType, (unsigned)c->dwConnectDuration,
               (unsigned)c->dwConnectionFlags);
        json_wide("user", c->wszUserName);
        json_wide("domain", c->wszLogonDomain);
        json_wide("computer", c->wszRemoteComputer);
        json_statistics(statistics_of(pl, c->hConnection));
        putchar('}');
    }
    fputs("]}", stdout);
}

static void json_ports(const struct probe_lists *pl)
{
    if (!json_list_open("ports", pl->ports_code, pl->ports_detail))
        return;
    for (DWORD i = 0; i < pl->n_ports; i++) {
        const RAS_PORT_0 *p = &pl->ports[i];
        printf("%s{\"handle\":%u,\"connection\":%u,\"condition\":%u",
               i ? "," : "", (unsigned)(uintptr_t)p->hPort,
               (unsigned)(uintptr_t)p->hConnection,
               (unsigned)p->dwPortCondition);
        json_member_string("condition_name",
                           NAME_OF(port_conditions,
                                   (unsigned)p->dwPortCondition));
        printf(",\"calls\":%u,\"duration\":%u",
               (unsigned)p->dwTotalNumberOfCalls,
               (unsigned)p->dwConnectDuration);
        json_wide("name", p->wszPortName);
        json_wide("media", p->wszMediaName);
        json_wide("device", p->wszDeviceName);
        json_wide("device_type", p->wszDeviceType);
        putchar('}');
    }
    fputs("]}", stdout);
}

void probe_lists_print_json(const struct probe_lists *pl)
{
    if (pl->want_interfaces)
        json_interfaces(pl);
    else
        fputs(",\"interfaces\":null", stdout);
    if (pl->want_connections)
        json_connections(pl);
    else
        fputs(",\"connections\":null", stdout);
    if (pl->want_ports)
        json_ports(pl);
    else
        fputs(",\"ports\":null", stdout);
}
