/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_rows.h - mprRouterTable registered row by row, for subagents that
 * share one snmpd (shared-snmpd yes). */
#ifndef MPRMON_MIB_ROWS_H
#define MPRMON_MIB_ROWS_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "snapshot.h"

/* The registrations of one subagent's rows, one per cell (mprRouterEntry.
 * C.ID for every readable column C), so that the master merges the rows of
 * several subagents into one table. */
struct mib_rows;

/* Rows served by handler (reginfo->my_reg_void is not set).  NULL: no
 * memory. */
struct mib_rows *mib_rows_new(Netsnmp_Node_Handler *handler);

/* Register the ids of s not yet registered and unregister those s no
 * longer has.  -1 if a registration failed (Net-SNMP logged which); the
 * others stay as they are and the next call tries again. */
int mib_rows_sync(struct mib_rows *rows, const struct snapshot *s);

/* Unregister every row and free. */
void mib_rows_free(struct mib_rows *rows);

/* Free without unregistering: the registrations stay in Net-SNMP's
 * registry, for shutdown_agent to free. */
void mib_rows_forget(struct mib_rows *rows);

#endif
