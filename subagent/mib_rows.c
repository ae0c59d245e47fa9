/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_rows.c - mprRouterTable registered row by row.
 *
 * Under one snmpd the master gives each registered subtree to one session:
 * two subagents that both register the whole table collide.  Registered
 * cell by cell (mprRouterEntry.C.ID for each readable column C), each
 * subagent owns exactly its router ids, and the master's walk merges them
 * in OID order.  Not as one AgentX range registration per row: on a
 * reconnect Net-SNMP registers again every subtree a range was split
 * into, each with the whole range, and the master refuses all but the
 * first.  The registrations follow the configured rows: a reload adds
 * and removes them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mib_rows.h"
#include "mib_table.h"

#define MIB_ROWS_CELLS (MIB_COL_LAST - MIB_COL_FIRST + 1)

struct mib_row_reg {
    uint32_t id;
    netsnmp_handler_registration *cells[MIB_ROWS_CELLS];
};

struct mib_rows {
    Netsnmp_Node_Handler *handler;
    struct mib_row_reg *regs; /* sorted by id */
    size_t n;
};

static const oid mib_rows_entry_oid[] = {MPRMON_MIB_OID, 1, 2, 1};
#define MIB_ROWS_ENTRY_LEN OID_LENGTH(mib_rows_entry_oid)

struct mib_rows *mib_rows_new(Netsnmp_Node_Handler *handler)
{
    struct mib_rows *rows = calloc(1, sizeof(*rows));

    if (rows != NULL)
        rows->handler = handler;
    return rows;
}

static void mib_rows_unregister(struct mib_row_reg *row)
{
    for (size_t c = 0; c < MIB_ROWS_CELLS; c++)
        if (row->cells[c] != NULL)
            netsnmp_unregister_handler(row->cells[c]);
    memset(row->cells, 0, sizeof(row->cells));
}

/* mprRouterEntry.C.id for every readable column C; 0, or -1 with none
 * left registered. */
static int mib_rows_register(struct mib_rows *rows, struct mib_row_reg *row)
{
    oid cell[MIB_ROWS_ENTRY_LEN + 2];

    memcpy(cell, mib_rows_entry_oid, sizeof(mib_rows_entry_oid));
    cell[MIB_ROWS_ENTRY_LEN + 1] = row->id;
    for (size_t c = 0; c < MIB_ROWS_CELLS; c++) {
        cell[MIB_ROWS_ENTRY_LEN] = MIB_COL_FIRST + c;
        row->cells[c] = netsnmp_create_handler_registration(
            "mprRouterEntry", rows->handler, cell, OID_LENGTH(cell),
            HANDLER_CAN_RONLY);
        /* On failure Net-SNMP frees the registration itself. */
        if (row->cells[c] == NULL ||
            netsnmp_register_handler(row->cells[c]) != MIB_REGISTERED_OK) {
            row->cells[c] = NULL;
            snmp_log(LOG_ERR, "mprmon: cannot register the row of router %u\n",
                     (unsigned)row->id);
            mib_rows_unregister(row);
            return -1;
        }
    }
    return 0;
}

/* The new list: the ids of s, each with its old registration if it had
 * one, else a new one; old ones s lacks are unregistered. */
int mib_rows_sync(struct mib_rows *rows, const struct snapshot *s)
{
    size_t n = snapshot_size(s), old = 0, kept = 0;
    struct mib_row_reg *next = calloc(n ? n : 1, sizeof(*next));
    int rc = 0;

    if (next == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = snapshot_row(s, i)->id;

        for (; old < rows->n && rows->regs[old].id < id; old++)
            mib_rows_unregister(&rows->regs[old]);
        if (old < rows->n && rows->regs[old].id == id) {
            next[kept++] = rows->regs[old++];
            continue;
        }
        next[kept].id = id;
        if (mib_rows_register(rows, &next[kept]) != 0) {
            rc = -1;
            continue;
        }
        kept++;
    }
    for (; old < rows->n; old++)
        mib_rows_unregister(&rows->regs[old]);
    free(rows->regs);
    rows->regs = next;
    rows->n = kept;
    return rc;
}

void mib_rows_forget(struct mib_rows *rows)
{
    if (rows == NULL)
        return;
    free(rows->regs);
    free(rows);
}

void mib_rows_free(struct mib_rows *rows)
{
    if (rows == NULL)
        return;
    for (size_t i = 0; i < rows->n; i++)
        mib_rows_unregister(&rows->regs[i]);
    free(rows->regs);
    free(rows);
}
