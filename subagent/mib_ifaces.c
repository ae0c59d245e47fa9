/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_ifaces.c - mprInterfaceTable: lookups, cell values, and one custom
 * handler for the whole table, as for mprRouterTable (mib_table.c): GET
 * and GETNEXT are binary searches on the snapshot's rows, sorted by
 * (router id, interface index). */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <string.h>

#include "mib_agent.h"
#include "mib_ifaces.h"
#include "mprapi.h"

static const oid mib_ifaces_table_oid[] = {MPRMON_MIB_OID, 1, 3};
static const oid mib_ifaces_entry_oid[] = {MPRMON_MIB_OID, 1, 3, 1};

/* TruthValue (SNMPv2-TC). */
#define MIB_TRUE 1
#define MIB_FALSE 2

static struct {
    struct routers *routers;
    netsnmp_handler_registration *reg;
} mib_ifaces;

/* ---- lookups ---- */

enum mib_lookup mib_ifaces_lookup_exact(const struct iface_snapshot *s,
                                        const unsigned long *suffix,
                                        size_t suffix_len,
                                        struct mib_iface_cell *cell)
{
    size_t pos;
    const struct iface_row *row;

    if (suffix_len < 1 || suffix[0] < MIB_IFCOL_FIRST ||
        suffix[0] > MIB_IFCOL_LAST)
        return MIB_NO_SUCH_OBJECT;
    if (suffix_len != 3 || suffix[1] == 0 || suffix[1] > UINT32_MAX ||
        suffix[2] == 0 || suffix[2] > UINT32_MAX)
        return MIB_NO_SUCH_INSTANCE;
    pos =
        iface_snapshot_lower_bound(s, (uint32_t)suffix[1], (uint32_t)suffix[2]);
    if (pos >= iface_snapshot_size(s))
        return MIB_NO_SUCH_INSTANCE;
    row = iface_snapshot_row(s, pos);
    if (row->router_id != suffix[1] || row->index != suffix[2] ||
        mib_ifaces_cell_absent(row, (unsigned)suffix[0]))
        return MIB_NO_SUCH_INSTANCE;
    cell->column = (unsigned)suffix[0];
    cell->row = pos;
    return MIB_FOUND;
}

/* The row after (router, index, "anything more"): the first row above
 * (router, index) when more sub-ids follow or when exact, else at. */
static size_t mib_ifaces_row_after(const struct iface_snapshot *s,
                                   const unsigned long *suffix,
                                   size_t suffix_len)
{
    uint64_t router, index;

    if (suffix_len < 2)
        return 0;
    router = suffix[1];
    if (router > UINT32_MAX)
        return iface_snapshot_size(s);
    if (suffix_len < 3) /* column.router: every index of it comes after */
        return iface_snapshot_lower_bound(s, (uint32_t)router, 0);
    index = suffix[2];
    /* column.router.index and anything below it precede index + 1. */
    if (index >= UINT32_MAX)
        return router == UINT32_MAX
                   ? iface_snapshot_size(s)
                   : iface_snapshot_lower_bound(s, (uint32_t)router + 1, 0);
    return iface_snapshot_lower_bound(s, (uint32_t)router, (uint32_t)index + 1);
}

enum mib_lookup mib_ifaces_lookup_next(const struct iface_snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len,
                                       struct mib_iface_cell *cell)
{
    unsigned long column;
    size_t row = 0;

    if (suffix_len == 0 || suffix[0] < MIB_IFCOL_FIRST) {
        column = MIB_IFCOL_FIRST;
    } else if (suffix[0] > MIB_IFCOL_LAST) {
        return MIB_END;
    } else {
        column = suffix[0];
        row = mib_ifaces_row_after(s, suffix, suffix_len);
    }
    for (; column <= MIB_IFCOL_LAST; column++, row = 0) {
        for (; row < iface_snapshot_size(s); row++) {
            if (!mib_ifaces_cell_absent(iface_snapshot_row(s, row),
                                        (unsigned)column)) {
                cell->column = (unsigned)column;
                cell->row = row;
                return MIB_FOUND;
            }
        }
    }
    return MIB_END;
}

/* ---- values ---- */

bool mib_ifaces_cell_absent(const struct iface_row *row, unsigned column)
{
    return column == MIB_IFCOL_LAST_CHANGE && row->last_change_ms == 0;
}

static void mib_ifaces_text(struct mib_value *out, const char *s)
{
    out->type = ASN_OCTET_STR;
    out->str = s;
    out->str_len = strlen(s);
}

static uint32_t mib_ifaces_state(const struct iface_row *row)
{
    switch (row->state_known ? row->state : UINT32_MAX) {
    case ROUTER_IF_STATE_CONNECTED:
        return 1;
    case ROUTER_IF_STATE_CONNECTING:
        return 2;
    case ROUTER_IF_STATE_DISCONNECTED:
        return 3;
    case ROUTER_IF_STATE_UNREACHABLE:
        return 4;
    default:
        return MIB_IF_STATE_UNKNOWN;
    }
}

int mib_ifaces_cell_value(const struct iface_row *row, unsigned column,
                          uint64_t now_ms, uint32_t uptime_ticks_now,
                          char *scratch, size_t scratch_len,
                          struct mib_value *out)
{
    if (mib_ifaces_cell_absent(row, column))
        return MIB_CELL_ABSENT;
    memset(out, 0, sizeof(*out));
    out->type = ASN_INTEGER;
    switch ((enum mib_iface_column)column) {
    case MIB_IFCOL_NAME:
        mib_ifaces_text(out, row->name);
        return 0;
    case MIB_IFCOL_TYPE:
        out->num =
            row->type < ROUTER_IF_TYPE_MAX ? row->type + 1 : MIB_IF_TYPE_OTHER;
        return 0;
    case MIB_IFCOL_ENABLED:
        out->num = row->enabled ? MIB_TRUE : MIB_FALSE;
        return 0;
    case MIB_IFCOL_CONN_STATE:
        out->num = mib_ifaces_state(row);
        return 0;
    case MIB_IFCOL_UNREACHABILITY:
        out->type = ASN_UNSIGNED;
        out->num = row->reasons;
        return 0;
    case MIB_IFCOL_UNREACHABILITY_TEXT:
        MprmonUnreachabilityText(row->reasons, scratch, scratch_len);
        mib_ifaces_text(out, scratch);
        return 0;
    case MIB_IFCOL_LAST_ERROR:
        out->type = ASN_UNSIGNED;
        out->num = row->last_error;
        return 0;
    case MIB_IFCOL_LAST_ERROR_NAME:
        mib_ifaces_text(out, MprmonErrorName(row->last_error));
        return 0;
    case MIB_IFCOL_LAST_ERROR_TEXT:
        mib_ifaces_text(out, MprmonErrorText(row->last_error));
        return 0;
    case MIB_IFCOL_LAST_CHANGE:
        out->type = ASN_TIMETICKS;
        out->num =
            mib_table_timestamp(row->last_change_ms, now_ms, uptime_ticks_now);
        return 0;
    case MIB_IFCOL_INDEX:
        break;
    }
    return -1;
}

/* ---- the handler ---- */

static void mib_ifaces_get(netsnmp_agent_request_info *reqinfo,
                           netsnmp_request_info *r,
                           const struct iface_snapshot *s, const oid *suffix,
                           size_t suffix_len, int cmp, uint64_t now_ms,
                           uint32_t uptime)
{
    struct mib_iface_cell cell;
    struct mib_value v;
    char scratch[256];
    enum mib_lookup res = MIB_NO_SUCH_OBJECT;

    if (cmp == 0 && s != NULL)
        res = mib_ifaces_lookup_exact(s, suffix, suffix_len, &cell);
    if (res == MIB_FOUND &&
        mib_ifaces_cell_value(iface_snapshot_row(s, cell.row), cell.column,
                              now_ms, uptime, scratch, sizeof(scratch),
                              &v) == 0) {
        mib_agent_set_value(r->requestvb, &v);
        return;
    }
    netsnmp_set_request_error(reqinfo, r,
                              res == MIB_NO_SUCH_INSTANCE ? SNMP_NOSUCHINSTANCE
                                                          : SNMP_NOSUCHOBJECT);
}

static void mib_ifaces_getnext(netsnmp_request_info *r,
                               const struct iface_snapshot *s,
                               const oid *suffix, size_t suffix_len,
                               uint64_t now_ms, uint32_t uptime)
{
    const size_t entry_len = OID_LENGTH(mib_ifaces_entry_oid);
    oid next[OID_LENGTH(mib_ifaces_entry_oid) + 3];
    struct mib_iface_cell cell;
    const struct iface_row *row;
    struct mib_value v;
    char scratch[256];

    /* Nothing here: left unset, the agent moves on to the next subtree. */
    if (s == NULL ||
        mib_ifaces_lookup_next(s, suffix, suffix_len, &cell) != MIB_FOUND)
        return;
    row = iface_snapshot_row(s, cell.row);
    if (mib_ifaces_cell_value(row, cell.column, now_ms, uptime, scratch,
                              sizeof(scratch), &v) != 0)
        return;
    memcpy(next, mib_ifaces_entry_oid, sizeof(mib_ifaces_entry_oid));
    next[entry_len] = cell.column;
    next[entry_len + 1] = row->router_id;
    next[entry_len + 2] = row->index;
    snmp_set_var_objid(r->requestvb, next, entry_len + 3);
    mib_agent_set_value(r->requestvb, &v);
}

static int mib_ifaces_handler(netsnmp_mib_handler *handler,
                              netsnmp_handler_registration *reginfo,
                              netsnmp_agent_request_info *reqinfo,
                              netsnmp_request_info *requests)
{
    const size_t entry_len = OID_LENGTH(mib_ifaces_entry_oid);
    const struct iface_snapshot *s;
    uint64_t now_ms;
    uint32_t uptime;

    (void)handler;
    (void)reginfo;
    if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
        return SNMP_ERR_NOERROR;
    s = routers_iface_snapshot(mib_ifaces.routers);
    now_ms = mono_now_ms();
    uptime = (uint32_t)netsnmp_get_agent_uptime();
    for (netsnmp_request_info *r = requests; r; r = r->next) {
        const netsnmp_variable_list *vb = r->requestvb;
        oid suffix[4];
        size_t suffix_len;
        int cmp;

        if (r->processed)
            continue;
        cmp = mib_agent_below(vb, mib_ifaces_entry_oid, entry_len, suffix, 4,
                              &suffix_len);
        if (reqinfo->mode == MODE_GET)
            mib_ifaces_get(reqinfo, r, s, suffix, suffix_len, cmp, now_ms,
                           uptime);
        else if (cmp <= 0)
            mib_ifaces_getnext(r, s, suffix, suffix_len, now_ms, uptime);
    }
    iface_snapshot_release(s);
    return SNMP_ERR_NOERROR;
}

int mib_ifaces_register(struct routers *routers)
{
    mib_ifaces.routers = routers;
    mib_ifaces.reg = mib_agent_register("mprInterfaceTable", mib_ifaces_handler,
                                        mib_ifaces_table_oid,
                                        OID_LENGTH(mib_ifaces_table_oid));
    return mib_ifaces.reg != NULL ? 0 : -1;
}

void mib_ifaces_unregister(void)
{
    mib_agent_unregister(&mib_ifaces.reg);
}
