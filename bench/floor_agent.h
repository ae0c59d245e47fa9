/* SPDX-License-Identifier: GPL-3.0-or-later */
/* floor_agent.h - what the floor subagents of the walk benchmarks share:
 * connect to the master, register one table handler, serve until
 * SIGTERM. */
#ifndef MPRMON_FLOOR_AGENT_H
#define MPRMON_FLOOR_AGENT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/* Serve the table at table_oid with handler through the AgentX socket
 * sock until SIGTERM or SIGINT.  0, or 1 (said on stderr). */
int floor_agent_run(const char *sock, const char *name, const oid *table_oid,
                    size_t table_len, Netsnmp_Node_Handler *handler);

void floor_set_str(netsnmp_variable_list *vb, const char *s, size_t n);
void floor_set_num(netsnmp_variable_list *vb, u_char type, u_long v);

#endif
