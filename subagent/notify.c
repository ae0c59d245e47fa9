/* SPDX-License-Identifier: GPL-3.0-or-later */
/* notify.c - router events -> notifications through the AgentX master. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdlib.h>
#include <string.h>

#include "mib_agent.h"
#include "mib_ifaces.h"
#include "mib_ports.h"
#include "mib_table.h"
#include "notify.h"
#include "mprapi.h"

/* Events taken from the routers per batch. */
#define NOTIFY_BATCH 16

/* Counts since start. */
struct notify_stats {
    uint64_t sent;
    uint64_t suppressed;
};

struct notifier {
    struct notify_bucket bucket;
    struct notify_stats stats;
    uint64_t dropped_seen; /* routers_events_dropped already logged */
};

static const oid notify_trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
static const oid notify_base_oid[] = {MPRMON_MIB_OID, 0};
static const oid notify_entry_oid[] = {MPRMON_MIB_OID, 1, 2, 1};

void notify_bucket_init(struct notify_bucket *b, unsigned rate_per_min,
                        uint64_t now_ms)
{
    b->rate_per_min = rate_per_min;
    /* Start full: a burst at start-up (many routers down) is what the
     * operator most needs to see, up to one minute's worth. */
    b->credit = (uint64_t)rate_per_min * NOTIFY_TOKEN;
    b->last_ms = now_ms;
}

static void notify_bucket_refill(struct notify_bucket *b, uint64_t now_ms)
{
    uint64_t cap = (uint64_t)b->rate_per_min * NOTIFY_TOKEN;

    if (now_ms > b->last_ms) {
        /* Clamp the gap first so the product cannot overflow. */
        uint64_t dt = now_ms - b->last_ms;
        uint64_t add =
            (dt > NOTIFY_TOKEN ? NOTIFY_TOKEN : dt) * b->rate_per_min;
        b->credit = b->credit + add > cap ? cap : b->credit + add;
        b->last_ms = now_ms;
    }
}

void notify_bucket_set_rate(struct notify_bucket *b, unsigned rate_per_min,
                            uint64_t now_ms)
{
    uint64_t cap = (uint64_t)rate_per_min * NOTIFY_TOKEN;

    notify_bucket_refill(b, now_ms);
    b->rate_per_min = rate_per_min;
    if (b->credit > cap)
        b->credit = cap;
}

bool notify_bucket_take(struct notify_bucket *b, uint64_t now_ms)
{
    notify_bucket_refill(b, now_ms);
    if (b->credit < NOTIFY_TOKEN)
        return false;
    b->credit -= NOTIFY_TOKEN;
    return true;
}

struct notifier *notify_new(unsigned rate_per_min)
{
    struct notifier *n = calloc(1, sizeof(*n));

    if (n == NULL)
        return NULL;
    notify_bucket_init(&n->bucket, rate_per_min, mono_now_ms());
    return n;
}

void notify_free(struct notifier *n)
{
    free(n);
}

void notify_set_rate(struct notifier *n, unsigned rate_per_min)
{
    notify_bucket_set_rate(&n->bucket, rate_per_min, mono_now_ms());
}

static int notify_add_column(netsnmp_variable_list **list, unsigned column,
                             uint32_t id, const struct mib_value *v)
{
    oid name[OID_LENGTH(notify_entry_oid) + 2];
    const size_t base = OID_LENGTH(notify_entry_oid);

    memcpy(name, notify_entry_oid, sizeof(notify_entry_oid));
    name[base] = column;
    name[base + 1] = id;
    return mib_agent_add_varbind(list, name, base + 2, v);
}

static const oid notify_iface_entry_oid[] = {MPRMON_MIB_OID, 1, 3, 1};

/* mprInterfaceDown / Up: mprRouterName.router, then the interface's
 * columns .router.index. */
static int notify_iface_varbinds(const struct router_event *ev,
                                 netsnmp_variable_list **list)
{
    static const unsigned columns[] = {
        MIB_IFCOL_NAME, MIB_IFCOL_TYPE, MIB_IFCOL_CONN_STATE,
        MIB_IFCOL_UNREACHABILITY, MIB_IFCOL_LAST_ERROR,
        MIB_IFCOL_LAST_ERROR_TEXT};
    const size_t base = OID_LENGTH(notify_iface_entry_oid);
    struct iface_row row;
    struct mib_value v;
    oid name[OID_LENGTH(notify_iface_entry_oid) + 3];
    char scratch[256];

    memset(&row, 0, sizeof(row));
    row.router_id = ev->row.id;
    row.index = ev->iface.index;
    row.name = (char *)ev->iface.name;
    row.type = ev->iface.type;
    row.state_known = true;
    row.state = ev->iface.state;
    row.reasons = ev->iface.reasons;
    row.last_error = ev->iface.last_error;
    if (mib_table_cell_value(&ev->row, MIB_COL_NAME, 0, 0, &v) != 0 ||
        notify_add_column(list, MIB_COL_NAME, ev->row.id, &v) != 0)
        return -1;
    memcpy(name, notify_iface_entry_oid, sizeof(notify_iface_entry_oid));
    name[base + 1] = ev->row.id;
    name[base + 2] = ev->iface.index;
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        name[base] = columns[i];
        if (mib_ifaces_cell_value(&row, columns[i], 0, 0, scratch,
                                  sizeof(scratch), &v) != 0 ||
            mib_agent_add_varbind(list, name, base + 3, &v) != 0)
            return -1;
    }
    return 0;
}

static const oid notify_ports_entry_oid[] = {MPRMON_MIB_OID, 1, 4, 1};

/* mprRouterPortsExhausted: mprRouterName.router, then the port type's
 * columns .router.type. */
static int notify_ports_varbinds(const struct router_event *ev,
                                 netsnmp_variable_list **list)
{
    static const unsigned columns[] = {MIB_PTCOL_NAME, MIB_PTCOL_PORTS,
                                       MIB_PTCOL_IN_USE};
    const size_t base = OID_LENGTH(notify_ports_entry_oid);
    oid name[OID_LENGTH(notify_ports_entry_oid) + 3];
    struct mib_value v;

    if (mib_table_cell_value(&ev->row, MIB_COL_NAME, 0, 0, &v) != 0 ||
        notify_add_column(list, MIB_COL_NAME, ev->row.id, &v) != 0)
        return -1;
    memcpy(name, notify_ports_entry_oid, sizeof(notify_ports_entry_oid));
    name[base + 1] = ev->row.id;
    name[base + 2] = ev->port_type;
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        name[base] = columns[i];
        if (mib_ports_cell_value(&ev->row, ev->port_type, columns[i], &v) !=
                0 ||
            mib_agent_add_varbind(list, name, base + 3, &v) != 0)
            return -1;
    }
    return 0;
}

int notify_build_varbinds(const struct router_event *ev, void **out)
{
    static const unsigned columns[] = {
        MIB_COL_NAME, MIB_COL_CONN_STATE, MIB_COL_SERVICE_STATE,
        MIB_COL_LAST_ERROR, MIB_COL_LAST_ERROR_TEXT,
        MIB_COL_SERVICE_STATE_TEXT};
    netsnmp_variable_list *list = NULL;
    oid trap[OID_LENGTH(notify_base_oid) + 1];

    if (ev->kind < ROUTER_EVENT_SERVICE_DOWN ||
        ev->kind > ROUTER_EVENT_PORTS_EXHAUSTED)
        return -1;
    memcpy(trap, notify_base_oid, sizeof(notify_base_oid));
    trap[OID_LENGTH(notify_base_oid)] = (oid)ev->kind;
    if (snmp_varlist_add_variable(&list, notify_trap_oid,
                                  OID_LENGTH(notify_trap_oid), ASN_OBJECT_ID,
                                  trap, sizeof(trap)) == NULL)
        goto fail;
    if (ev->kind == ROUTER_EVENT_INTERFACE_DOWN ||
        ev->kind == ROUTER_EVENT_INTERFACE_UP) {
        if (notify_iface_varbinds(ev, &list) != 0)
            goto fail;
        *out = list;
        return 0;
    }
    if (ev->kind == ROUTER_EVENT_PORTS_EXHAUSTED) {
        if (notify_ports_varbinds(ev, &list) != 0)
            goto fail;
        *out = list;
        return 0;
    }
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        struct mib_value v;
        /* No TimeStamp columns here, so the clocks do not matter. */
        if (mib_table_cell_value(&ev->row, columns[i], 0, 0, &v) != 0 ||
            notify_add_column(&list, columns[i], ev->row.id, &v) != 0)
            goto fail;
    }
    *out = list;
    return 0;

fail:
    snmp_free_varbind(list);
    return -1;
}

static const char *notify_kind_name(enum router_event_kind kind)
{
    switch (kind) {
    case ROUTER_EVENT_SERVICE_DOWN:
        return "mprRouterServiceDown";
    case ROUTER_EVENT_SERVICE_UP:
        return "mprRouterServiceUp";
    case ROUTER_EVENT_CONNECT_FAILED:
        return "mprRouterConnectFailed";
    case ROUTER_EVENT_INTERFACE_DOWN:
        return "mprInterfaceDown";
    case ROUTER_EVENT_INTERFACE_UP:
        return "mprInterfaceUp";
    case ROUTER_EVENT_PORTS_EXHAUSTED:
        return "mprRouterPortsExhausted";
    }
    return "unknown";
}

/* A name from the network for a log line: control characters become
 * '?', so that no router can write lines of its own into the log. */
static const char *notify_printable(const char *in, char *out, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len && in[i] != '\0'; i++)
        out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
    out[i] = '\0';
    return out;
}

static void notify_one(struct notifier *n, const struct router_event *ev)
{
    char ifname[IFACE_NAME_MAX];

    void *list = NULL;

    if (!notify_bucket_take(&n->bucket, mono_now_ms())) {
        n->stats.suppressed++;
        snmp_log(LOG_WARNING,
                 "mprmon: rate limit: suppressed %s for router %u (%.*s), "
                 "%llu suppressed so far\n",
                 notify_kind_name(ev->kind), (unsigned)ev->row.id,
                 (int)sizeof(ev->row.name), ev->row.name,
                 (unsigned long long)n->stats.suppressed);
        return;
    }
    if (notify_build_varbinds(ev, &list) != 0) {
        snmp_log(LOG_ERR, "mprmon: cannot build %s for router %u\n",
                 notify_kind_name(ev->kind), (unsigned)ev->row.id);
        return;
    }
    if (ev->kind == ROUTER_EVENT_INTERFACE_DOWN ||
        ev->kind == ROUTER_EVENT_INTERFACE_UP)
        snmp_log(LOG_INFO, "mprmon: %s router %u (%.*s) interface %s: %s\n",
                 notify_kind_name(ev->kind), (unsigned)ev->row.id,
                 (int)sizeof(ev->row.name), ev->row.name,
                 notify_printable(ev->iface.name, ifname, sizeof(ifname)),
                 MprmonErrorName(ev->iface.last_error));
    else if (ev->kind == ROUTER_EVENT_PORTS_EXHAUSTED)
        snmp_log(LOG_INFO,
                 "mprmon: %s router %u (%.*s): %s ports %u of %u in use\n",
                 notify_kind_name(ev->kind), (unsigned)ev->row.id,
                 (int)sizeof(ev->row.name), ev->row.name,
                 port_type_name(ev->port_type),
                 (unsigned)ev->row.ports.of[ev->port_type - 1].in_use,
                 (unsigned)ev->row.ports.of[ev->port_type - 1].ports);
    else
        snmp_log(LOG_INFO, "mprmon: %s router %u (%.*s): %s\n",
                 notify_kind_name(ev->kind), (unsigned)ev->row.id,
                 (int)sizeof(ev->row.name), ev->row.name,
                 MprmonErrorName(ev->row.last_error));
    /* send_v2trap copies what it needs; the list stays ours. */
    send_v2trap(list);
    snmp_free_varbind(list);
    n->stats.sent++;
}

size_t notify_process(struct notifier *n, struct routers *routers)
{
    /* On the stack: no allocation that could fail and leave events
     * queued. */
    struct router_event events[NOTIFY_BATCH];
    size_t sent_before = (size_t)n->stats.sent;
    uint64_t dropped;
    size_t got;

    do {
        got = routers_take_events(routers, events, NOTIFY_BATCH);
        for (size_t i = 0; i < got; i++)
            notify_one(n, &events[i]);
    } while (got == NOTIFY_BATCH);

    dropped = routers_events_dropped(routers);
    if (dropped != n->dropped_seen) {
        snmp_log(LOG_WARNING,
                 "mprmon: %llu state changes were lost before they could be "
                 "notified (event queue full)\n",
                 (unsigned long long)(dropped - n->dropped_seen));
        n->dropped_seen = dropped;
    }
    return (size_t)n->stats.sent - sent_before;
}
