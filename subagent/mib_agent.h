/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_agent.h - what the MPRMON-MIB handlers share on the Net-SNMP side:
 * a cell's value into a varbind, and the request OID's suffix. */
#ifndef MPRMON_MIB_AGENT_H
#define MPRMON_MIB_AGENT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "mib_table.h"

/* Set vb's type and value from v. */
void mib_agent_set_value(netsnmp_variable_list *vb, const struct mib_value *v);

/* Also for notifications: append name with value v to *list; 0 or -1. */
int mib_agent_add_varbind(netsnmp_variable_list **list, const oid *name,
                          size_t name_len, const struct mib_value *v);

/* The first max sub-ids of a request's OID below an entry, as 32-bit
 * values; returns how many (at most max). */
size_t mib_agent_suffix(const oid *name, size_t len, oid *out, size_t max);

/* Where a request's name stands against an entry OID: <0 before it, 0
 * below it (then *suffix_len sub-ids of the rest, at most max, are in
 * suffix, as mib_agent_suffix gives them; else *suffix_len is 0), >0
 * after it. */
int mib_agent_below(const netsnmp_variable_list *vb, const oid *entry,
                    size_t entry_len, oid *suffix, size_t max,
                    size_t *suffix_len);

/* Register handler for the whole subtree at table (read-only), named
 * name; the registration, or NULL (logged). */
netsnmp_handler_registration *mib_agent_register(const char *name,
                                                 Netsnmp_Node_Handler *handler,
                                                 const oid *table,
                                                 size_t table_len);

/* Unregister *reg, if any, and forget it. */
void mib_agent_unregister(netsnmp_handler_registration **reg);

#endif
