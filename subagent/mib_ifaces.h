/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_ifaces.h - mprInterfaceTable over the routers' interface snapshot:
 * pure lookups and cell values (for tests and notifications), and the
 * handler's registration. */
#ifndef MPRMON_MIB_IFACES_H
#define MPRMON_MIB_IFACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ifaces.h"
#include "mib_table.h"

/* mprInterfaceEntry columns. */
enum mib_iface_column {
    MIB_IFCOL_INDEX = 1, /* not-accessible */
    MIB_IFCOL_NAME = 2,
    MIB_IFCOL_TYPE = 3,
    MIB_IFCOL_ENABLED = 4,
    MIB_IFCOL_CONN_STATE = 5,
    MIB_IFCOL_UNREACHABILITY = 6,
    MIB_IFCOL_UNREACHABILITY_TEXT = 7,
    MIB_IFCOL_LAST_ERROR = 8,
    MIB_IFCOL_LAST_ERROR_NAME = 9,
    MIB_IFCOL_LAST_ERROR_TEXT = 10,
    MIB_IFCOL_LAST_CHANGE = 11
};
#define MIB_IFCOL_FIRST MIB_IFCOL_NAME
#define MIB_IFCOL_LAST MIB_IFCOL_LAST_CHANGE

/* mprInterfaceConnState unknown(5), and mprInterfaceType other(9). */
#define MIB_IF_STATE_UNKNOWN 5
#define MIB_IF_TYPE_OTHER 9

/* A cell: column and row position in the snapshot. */
struct mib_iface_cell {
    unsigned column;
    size_t row;
};

/* GET: suffix below mprInterfaceEntry (column.router.index). */
enum mib_lookup mib_ifaces_lookup_exact(const struct iface_snapshot *s,
                                        const unsigned long *suffix,
                                        size_t suffix_len,
                                        struct mib_iface_cell *cell);

/* GETNEXT: the first cell with a value after suffix (any length). */
enum mib_lookup mib_ifaces_lookup_next(const struct iface_snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len,
                                       struct mib_iface_cell *cell);

/* Does the cell lack a value?  Only the last change, before one was
 * seen. */
bool mib_ifaces_cell_absent(const struct iface_row *row, unsigned column);

/* A cell's value; text columns may be written into scratch (at least 128
 * bytes), which must live until the value is used.  0, MIB_CELL_ABSENT,
 * or -1 for no such column.  Clocks as in mib_table_cell_value. */
int mib_ifaces_cell_value(const struct iface_row *row, unsigned column,
                          uint64_t now_ms, uint32_t uptime_ticks_now,
                          char *scratch, size_t scratch_len,
                          struct mib_value *out);

/* Register mprInterfaceTable; its handler reads routers_iface_snapshot.
 * 0 or -1 (logged). */
int mib_ifaces_register(struct routers *routers);
void mib_ifaces_unregister(void);

#endif
