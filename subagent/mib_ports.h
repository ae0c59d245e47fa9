/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_ports.h - mprPortTypeTable over the routers' snapshot: a router's
 * ports per type, one row for each type the router has ports of, when it
 * collects ports.  Pure lookups and cell values (for tests and
 * notifications), and the handler's registration. */
#ifndef MPRMON_MIB_PORTS_H
#define MPRMON_MIB_PORTS_H

#include <stddef.h>

#include "mib_table.h"

/* mprPortTypeEntry columns. */
enum mib_port_column {
    MIB_PTCOL_TYPE = 1, /* not-accessible */
    MIB_PTCOL_NAME = 2,
    MIB_PTCOL_PORTS = 3,
    MIB_PTCOL_IN_USE = 4,
    MIB_PTCOL_CONNECTED = 5
};
#define MIB_PTCOL_FIRST MIB_PTCOL_NAME
#define MIB_PTCOL_LAST MIB_PTCOL_CONNECTED

/* A cell: column, the router's row position, the port type. */
struct mib_port_cell {
    unsigned column;
    size_t row;
    unsigned type;
};

/* Does the router's row have a row of this port type in the table? */
bool mib_ports_row_present(const struct router_row *row, unsigned type);

/* GET: suffix below mprPortTypeEntry (column.router.type). */
enum mib_lookup mib_ports_lookup_exact(const struct snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len,
                                       struct mib_port_cell *cell);

/* GETNEXT: the first cell after suffix (any length). */
enum mib_lookup mib_ports_lookup_next(const struct snapshot *s,
                                      const unsigned long *suffix,
                                      size_t suffix_len,
                                      struct mib_port_cell *cell);

/* A cell's value: 0, or -1 for no such column or row. */
int mib_ports_cell_value(const struct router_row *row, unsigned type,
                         unsigned column, struct mib_value *out);

/* Register mprPortTypeTable; its handler reads routers_snapshot.  0 or
 * -1 (logged). */
int mib_ports_register(struct routers *routers);
void mib_ports_unregister(void);

#endif
