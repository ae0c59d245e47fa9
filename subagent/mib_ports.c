/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_ports.c - mprPortTypeTable: lookups, cell values and one handler
 * for the whole table.  The rows are the router snapshot's rows times the
 * port types each has, so the table needs no snapshot of its own: GET is
 * a binary search for the router, GETNEXT one for the first router at or
 * after the requested one, then a step through its types. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <string.h>

#include "mib_agent.h"
#include "mib_ports.h"

static const oid mib_ports_table_oid[] = {MPRMON_MIB_OID, 1, 4};
static const oid mib_ports_entry_oid[] = {MPRMON_MIB_OID, 1, 4, 1};

static struct {
    struct routers *routers;
    netsnmp_handler_registration *reg;
} mib_ports;

bool mib_ports_row_present(const struct router_row *row, unsigned type)
{
    return row->ports_valid && type >= 1 && type <= PORT_TYPES &&
           row->ports.of[type - 1].ports > 0;
}

enum mib_lookup mib_ports_lookup_exact(const struct snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len,
                                       struct mib_port_cell *cell)
{
    if (suffix_len < 1 || suffix[0] < MIB_PTCOL_FIRST ||
        suffix[0] > MIB_PTCOL_LAST)
        return MIB_NO_SUCH_OBJECT;
    if (suffix_len != 3 || suffix[1] == 0 || suffix[1] > UINT32_MAX ||
        mib_table_find_row(s, (uint32_t)suffix[1], &cell->row) != 0 ||
        !mib_ports_row_present(snapshot_row(s, cell->row),
                               suffix[2] <= PORT_TYPES ? (unsigned)suffix[2]
                                                       : 0))
        return MIB_NO_SUCH_INSTANCE;
    cell->column = (unsigned)suffix[0];
    cell->type = (unsigned)suffix[2];
    return MIB_FOUND;
}

/* Where a walk of one column goes on after column.router.type...: the
 * router row to look at first and the first type to look at in it. */
static void mib_ports_resume(const struct snapshot *s,
                             const unsigned long *suffix, size_t suffix_len,
                             size_t *row, unsigned *type)
{
    *row = 0;
    *type = 1;
    if (suffix_len < 2)
        return;
    if (suffix[1] > UINT32_MAX) {
        *row = snapshot_size(s);
        return;
    }
    *row =
        suffix[1] == 0 ? 0 : mib_table_upper_bound(s, (uint32_t)suffix[1] - 1);
    if (suffix_len >= 3 && *row < snapshot_size(s) &&
        snapshot_row(s, *row)->id == suffix[1])
        /* column.router.type and anything below it precede type + 1. */
        *type =
            suffix[2] >= PORT_TYPES ? PORT_TYPES + 1 : (unsigned)suffix[2] + 1;
}

enum mib_lookup mib_ports_lookup_next(const struct snapshot *s,
                                      const unsigned long *suffix,
                                      size_t suffix_len,
                                      struct mib_port_cell *cell)
{
    unsigned long column = MIB_PTCOL_FIRST;
    size_t row = 0;
    unsigned type = 1;

    if (suffix_len > 0 && suffix[0] > MIB_PTCOL_LAST)
        return MIB_END;
    if (suffix_len > 0 && suffix[0] >= MIB_PTCOL_FIRST) {
        column = suffix[0];
        mib_ports_resume(s, suffix, suffix_len, &row, &type);
    }
    for (; column <= MIB_PTCOL_LAST; column++, row = 0, type = 1) {
        for (; row < snapshot_size(s); row++, type = 1) {
            for (; type <= PORT_TYPES; type++) {
                if (mib_ports_row_present(snapshot_row(s, row), type)) {
                    cell->column = (unsigned)column;
                    cell->row = row;
                    cell->type = type;
                    return MIB_FOUND;
                }
            }
        }
    }
    return MIB_END;
}

int mib_ports_cell_value(const struct router_row *row, unsigned type,
                         unsigned column, struct mib_value *out)
{
    const struct port_type_count *c;

    if (!mib_ports_row_present(row, type))
        return -1;
    c = &row->ports.of[type - 1];
    memset(out, 0, sizeof(*out));
    out->type = ASN_GAUGE;
    switch ((enum mib_port_column)column) {
    case MIB_PTCOL_NAME:
        out->type = ASN_OCTET_STR;
        out->str = port_type_name(type);
        out->str_len = strlen(out->str);
        return 0;
    case MIB_PTCOL_PORTS:
        out->num = c->ports;
        return 0;
    case MIB_PTCOL_IN_USE:
        out->num = c->in_use;
        return 0;
    case MIB_PTCOL_CONNECTED:
        out->num = c->connected;
        return 0;
    case MIB_PTCOL_TYPE:
        break;
    }
    return -1;
}

/* ---- the handler ---- */

static void mib_ports_answer(netsnmp_agent_request_info *reqinfo,
                             netsnmp_request_info *r, const struct snapshot *s,
                             const oid *suffix, size_t suffix_len, int cmp)
{
    const size_t entry_len = OID_LENGTH(mib_ports_entry_oid);
    enum mib_lookup res = MIB_NO_SUCH_OBJECT;
    struct mib_port_cell cell;
    struct mib_value v;

    if (reqinfo->mode == MODE_GET) {
        if (cmp == 0)
            res = mib_ports_lookup_exact(s, suffix, suffix_len, &cell);
        if (res == MIB_FOUND &&
            mib_ports_cell_value(snapshot_row(s, cell.row), cell.type,
                                 cell.column, &v) == 0) {
            mib_agent_set_value(r->requestvb, &v);
            return;
        }
        netsnmp_set_request_error(reqinfo, r,
                                  res == MIB_NO_SUCH_INSTANCE
                                      ? SNMP_NOSUCHINSTANCE
                                      : SNMP_NOSUCHOBJECT);
        return;
    }
    /* GETNEXT; nothing here: left unset, the agent moves on. */
    if (cmp <= 0 &&
        mib_ports_lookup_next(s, suffix, suffix_len, &cell) == MIB_FOUND &&
        mib_ports_cell_value(snapshot_row(s, cell.row), cell.type, cell.column,
                             &v) == 0) {
        oid next[OID_LENGTH(mib_ports_entry_oid) + 3];

        memcpy(next, mib_ports_entry_oid, sizeof(mib_ports_entry_oid));
        next[entry_len] = cell.column;
        next[entry_len + 1] = snapshot_row(s, cell.row)->id;
        next[entry_len + 2] = cell.type;
        snmp_set_var_objid(r->requestvb, next, entry_len + 3);
        mib_agent_set_value(r->requestvb, &v);
    }
}

static int mib_ports_handler(netsnmp_mib_handler *handler,
                             netsnmp_handler_registration *reginfo,
                             netsnmp_agent_request_info *reqinfo,
                             netsnmp_request_info *requests)
{
    const size_t entry_len = OID_LENGTH(mib_ports_entry_oid);
    const struct snapshot *s;

    (void)handler;
    (void)reginfo;
    if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
        return SNMP_ERR_NOERROR;
    s = routers_snapshot(mib_ports.routers);
    for (netsnmp_request_info *r = requests; r; r = r->next) {
        const netsnmp_variable_list *vb = r->requestvb;
        oid suffix[4];
        size_t suffix_len;
        int cmp;

        if (r->processed)
            continue;
        cmp = mib_agent_below(vb, mib_ports_entry_oid, entry_len, suffix, 4,
                              &suffix_len);
        mib_ports_answer(reqinfo, r, s, suffix, suffix_len, cmp);
    }
    snapshot_release(s);
    return SNMP_ERR_NOERROR;
}

int mib_ports_register(struct routers *routers)
{
    mib_ports.routers = routers;
    mib_ports.reg = mib_agent_register("mprPortTypeTable", mib_ports_handler,
                                       mib_ports_table_oid,
                                       OID_LENGTH(mib_ports_table_oid));
    return mib_ports.reg != NULL ? 0 : -1;
}

void mib_ports_unregister(void)
{
    mib_agent_unregister(&mib_ports.reg);
}
