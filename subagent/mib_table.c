/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_table.c - MPRMON-MIB scalars and mprRouterTable handlers.
 *
 * One custom handler serves the whole table: GET is a binary search on the
 * snapshot's sorted ids, GETNEXT a binary search for the first id above the
 * requested one, so neither walks the rows.  Net-SNMP's table_data or
 * iterator helpers would copy or walk every row per request, which does not
 * stay fast at 10,000 rows and would need a second copy of the data that
 * the routers already publish as an immutable snapshot. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>

#include <stdbool.h>
#include <string.h>

#include "mib_agent.h"
#include "mib_ifaces.h"
#include "mib_ports.h"
#include "mib_rows.h"
#include "mib_table.h"
#include "mprapi.h"

static oid mib_module_oid[] = {MPRMON_MIB_OID};
static const oid mib_scalars_oid[] = {MPRMON_MIB_OID, 1, 1};
static const oid mib_table_oid[] = {MPRMON_MIB_OID, 1, 2};
static const oid mib_entry_oid[] = {MPRMON_MIB_OID, 1, 2, 1};

#define MIB_N_SCALARS 3

struct mib_state {
    struct routers *routers;
    u_char start_time[11]; /* DateAndTime */
    size_t start_time_len;
    netsnmp_handler_registration *scalar_regs[MIB_N_SCALARS];
    netsnmp_handler_registration *table_reg;
    struct mib_rows *rows; /* instead of table_reg with shared-snmpd */
    bool sysor_registered;
};

/* The scalar handler gets it through reginfo->my_reg_void, the table
 * handler (registered whole or row by row) directly; one agent per
 * process, so one state. */
static struct mib_state mib_state;

int mib_table_find_row(const struct snapshot *s, uint32_t id, size_t *pos)
{
    size_t lo = 0, hi = snapshot_size(s);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (snapshot_row(s, mid)->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < snapshot_size(s) && snapshot_row(s, lo)->id == id) {
        *pos = lo;
        return 0;
    }
    return -1;
}

size_t mib_table_upper_bound(const struct snapshot *s, uint32_t id)
{
    size_t lo = 0, hi = snapshot_size(s);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (snapshot_row(s, mid)->id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

enum mib_lookup mib_table_lookup_exact(const struct snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len, struct mib_cell *cell)
{
    if (suffix_len < 1 || suffix[0] < MIB_COL_FIRST || suffix[0] > MIB_COL_LAST)
        return MIB_NO_SUCH_OBJECT;
    /* The index is one Unsigned32 (1..4294967295): anything else is not an
     * instance of this table. */
    if (suffix_len != 2 || suffix[1] == 0 || suffix[1] > UINT32_MAX)
        return MIB_NO_SUCH_INSTANCE;
    if (mib_table_find_row(s, (uint32_t)suffix[1], &cell->row) != 0 ||
        mib_table_cell_absent(snapshot_row(s, cell->row), (unsigned)suffix[0]))
        return MIB_NO_SUCH_INSTANCE;
    cell->column = (unsigned)suffix[0];
    return MIB_FOUND;
}

/* The first cell with a value at or after (column, row), in walk order:
 * down each column, then on to the next.  A column whose values are all
 * absent is crossed once per walk, not once per request. */
static enum mib_lookup mib_table_first_present(const struct snapshot *s,
                                               unsigned long column,
                                               size_t row,
                                               struct mib_cell *cell)
{
    for (; column <= MIB_COL_LAST; column++, row = 0) {
        for (; row < snapshot_size(s); row++) {
            if (!mib_table_cell_absent(snapshot_row(s, row),
                                       (unsigned)column)) {
                cell->column = (unsigned)column;
                cell->row = row;
                return MIB_FOUND;
            }
        }
    }
    return MIB_END;
}

enum mib_lookup mib_table_lookup_next(const struct snapshot *s,
                                      const unsigned long *suffix,
                                      size_t suffix_len, struct mib_cell *cell)
{
    unsigned long column;
    size_t row = 0;

    if (snapshot_size(s) == 0)
        return MIB_END;
    if (suffix_len == 0 || suffix[0] < MIB_COL_FIRST) {
        column = MIB_COL_FIRST;
    } else if (suffix[0] > MIB_COL_LAST) {
        return MIB_END;
    } else {
        column = suffix[0];
        /* column.id and column.id.anything both precede column.(id+1). */
        if (suffix_len >= 2) {
            if (suffix[1] > UINT32_MAX)
                row = snapshot_size(s);
            else
                row = mib_table_upper_bound(s, (uint32_t)suffix[1]);
        }
    }
    return mib_table_first_present(s, column, row, cell);
}

uint32_t mib_table_count_running(const struct snapshot *s)
{
    uint32_t n = 0;

    for (size_t i = 0; i < snapshot_size(s); i++)
        if (snapshot_row(s, i)->service_state == MPR_SVC_RUNNING)
            n++;
    return n;
}

static int mib_table_answer(netsnmp_variable_list *vb, const struct snapshot *s,
                            const struct mib_cell *cell, uint64_t now_ms,
                            uint32_t uptime)
{
    struct mib_value v;

    if (mib_table_cell_value(snapshot_row(s, cell->row), cell->column, now_ms,
                             uptime, &v) != 0)
        return -1;
    mib_agent_set_value(vb, &v);
    return 0;
}

static int mib_table_handler(netsnmp_mib_handler *handler,
                             netsnmp_handler_registration *reginfo,
                             netsnmp_agent_request_info *reqinfo,
                             netsnmp_request_info *requests)
{
    const size_t entry_len = OID_LENGTH(mib_entry_oid);
    struct mib_state *st = &mib_state;
    const struct snapshot *s;
    uint64_t now_ms;
    uint32_t uptime;

    (void)handler;
    (void)reginfo;
    if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
        return SNMP_ERR_NOERROR; /* SETs are refused by HANDLER_CAN_RONLY */

    s = routers_snapshot(st->routers);
    now_ms = mono_now_ms();
    uptime = (uint32_t)netsnmp_get_agent_uptime();

    for (netsnmp_request_info *r = requests; r; r = r->next) {
        netsnmp_variable_list *vb = r->requestvb;
        const oid *name = vb->name;
        size_t len = vb->name_length;
        oid suffix[3];
        size_t suffix_len = 0;
        int cmp;
        struct mib_cell cell;

        if (r->processed)
            continue;
        DEBUGMSGTL(("mprmon/table", "%s ",
                    reqinfo->mode == MODE_GET ? "get" : "getnext"));
        DEBUGMSGOID(("mprmon/table", name, len));
        DEBUGMSG(("mprmon/table", "\n"));
        cmp = mib_agent_below(vb, mib_entry_oid, entry_len, suffix, 3,
                              &suffix_len);

        if (reqinfo->mode == MODE_GET) {
            enum mib_lookup res = MIB_NO_SUCH_OBJECT;
            if (cmp == 0)
                res = mib_table_lookup_exact(s, suffix, suffix_len, &cell);
            if (res == MIB_FOUND &&
                mib_table_answer(vb, s, &cell, now_ms, uptime) == 0)
                continue;
            netsnmp_set_request_error(reqinfo, r,
                                      res == MIB_NO_SUCH_INSTANCE
                                          ? SNMP_NOSUCHINSTANCE
                                          : SNMP_NOSUCHOBJECT);
            continue;
        }

        /* GETNEXT: names before the entry start at the first cell; names
         * after it have nothing here (left unset, so the agent moves on to
         * the next subtree). */
        if (cmp > 0)
            continue;
        if (mib_table_lookup_next(s, suffix, suffix_len, &cell) != MIB_FOUND)
            continue;
        {
            oid next[OID_LENGTH(mib_entry_oid) + 2];
            memcpy(next, mib_entry_oid, sizeof(mib_entry_oid));
            next[entry_len] = cell.column;
            next[entry_len + 1] = snapshot_row(s, cell.row)->id;
            snmp_set_var_objid(vb, next, entry_len + 2);
            mib_table_answer(vb, s, &cell, now_ms, uptime);
        }
    }
    snapshot_release(s);
    return SNMP_ERR_NOERROR;
}

static int mib_scalar_handler(netsnmp_mib_handler *handler,
                              netsnmp_handler_registration *reginfo,
                              netsnmp_agent_request_info *reqinfo,
                              netsnmp_request_info *requests)
{
    const size_t base_len = OID_LENGTH(mib_scalars_oid);
    struct mib_state *st = reginfo->my_reg_void;
    unsigned which;

    (void)handler;
    if (reqinfo->mode != MODE_GET)
        return SNMP_ERR_NOERROR;
    /* The scalar helper passes only scalar.0 of our registration. */
    which = (unsigned)reginfo->rootoid[base_len];

    for (netsnmp_request_info *r = requests; r; r = r->next) {
        struct mib_value v;

        if (which == MIB_SCALAR_START_TIME) {
            snmp_set_var_typed_value(r->requestvb, ASN_OCTET_STR,
                                     st->start_time, st->start_time_len);
            continue;
        }
        {
            const struct snapshot *s = routers_snapshot(st->routers);
            uint32_t n = which == MIB_SCALAR_ROUTERS_CONFIGURED
                             ? (uint32_t)snapshot_size(s)
                             : mib_table_count_running(s);
            snapshot_release(s);
            v.type = ASN_GAUGE;
            v.num = n;
        }
        mib_agent_set_value(r->requestvb, &v);
    }
    return SNMP_ERR_NOERROR;
}

static const char *const mib_scalar_names[MIB_N_SCALARS] = {
    "mprRoutersConfigured", "mprRoutersServiceRunning", "mprSubagentStartTime"};

/* The three scalars and the whole table, as one subagent per snmpd has. */
static int mib_table_register_all(struct mib_state *st)
{
    for (unsigned i = 0; i < MIB_N_SCALARS; i++) {
        oid scalar[OID_LENGTH(mib_scalars_oid) + 1];
        netsnmp_handler_registration *ri;

        memcpy(scalar, mib_scalars_oid, sizeof(mib_scalars_oid));
        scalar[OID_LENGTH(mib_scalars_oid)] = i + 1;
        ri = netsnmp_create_handler_registration(
            mib_scalar_names[i], mib_scalar_handler, scalar, OID_LENGTH(scalar),
            HANDLER_CAN_RONLY);
        if (ri == NULL)
            return -1;
        ri->my_reg_void = st;
        /* On failure Net-SNMP frees the registration itself. */
        if (netsnmp_register_scalar(ri) != MIB_REGISTERED_OK) {
            snmp_log(LOG_ERR, "mprmon: cannot register %s\n",
                     mib_scalar_names[i]);
            return -1;
        }
        st->scalar_regs[i] = ri;
    }

    st->table_reg = mib_agent_register("mprRouterTable", mib_table_handler,
                                       mib_table_oid, OID_LENGTH(mib_table_oid));
    return st->table_reg != NULL ? 0 : -1;
}

int mib_table_register(struct routers *routers, time_t start, bool shared)
{
    struct mib_state *st = &mib_state;
    u_char *dt;

    memset(st, 0, sizeof(*st));
    st->routers = routers;
    dt = date_n_time(&start, &st->start_time_len);
    if (st->start_time_len > sizeof(st->start_time))
        st->start_time_len = sizeof(st->start_time);
    memcpy(st->start_time, dt, st->start_time_len);

    /* With shared-snmpd every subagent would claim the whole interface
     * and port tables: they are served by single subagents only. */
    if (!shared && (mib_table_register_all(st) != 0 ||
                    mib_ifaces_register(routers) != 0 ||
                    mib_ports_register(routers) != 0))
        goto fail;
    if (shared) {
        st->rows = mib_rows_new(mib_table_handler);
        if (st->rows == NULL || mib_table_sync_rows() != 0)
            goto fail;
    }
    /* Managers discover the module through the master's sysORTable; the
     * subagent re-sends it whenever it reconnects. */
    if (register_sysORTable(mib_module_oid, OID_LENGTH(mib_module_oid),
                            "MPRMON-MIB: Windows RRAS servers watched by "
                            "mprmon-subagent") == 0)
        st->sysor_registered = true;
    return 0;

fail:
    mib_table_unregister();
    return -1;
}

int mib_table_sync_rows(void)
{
    struct mib_state *st = &mib_state;
    const struct snapshot *s;
    int rc;

    if (st->rows == NULL)
        return 0;
    s = routers_snapshot(st->routers);
    rc = mib_rows_sync(st->rows, s);
    snapshot_release(s);
    return rc;
}

void mib_table_forget(void)
{
    struct mib_state *st = &mib_state;

    mib_rows_forget(st->rows);
    st->rows = NULL;
    mib_table_unregister();
}

void mib_table_unregister(void)
{
    struct mib_state *st = &mib_state;

    for (unsigned i = 0; i < MIB_N_SCALARS; i++) {
        if (st->scalar_regs[i] != NULL)
            netsnmp_unregister_handler(st->scalar_regs[i]);
        st->scalar_regs[i] = NULL;
    }
    mib_agent_unregister(&st->table_reg);
    mib_ifaces_unregister();
    mib_ports_unregister();
    mib_rows_free(st->rows);
    st->rows = NULL;
    if (st->sysor_registered)
        unregister_sysORTable(mib_module_oid, OID_LENGTH(mib_module_oid));
    st->sysor_registered = false;
}
