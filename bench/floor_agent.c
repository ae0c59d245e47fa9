/* SPDX-License-Identifier: GPL-3.0-or-later */
/* floor_agent.c - the AgentX side of the floor subagents. */
#include "floor_agent.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static volatile sig_atomic_t floor_stop;

static void floor_on_signal(int sig)
{
    (void)sig;
    floor_stop = 1;
}

void floor_set_str(netsnmp_variable_list *vb, const char *s, size_t n)
{
    snmp_set_var_typed_value(vb, ASN_OCTET_STR, s, n);
}

void floor_set_num(netsnmp_variable_list *vb, u_char type, u_long v)
{
    if (type == ASN_INTEGER) {
        long l = (long)v;
        snmp_set_var_typed_value(vb, type, &l, sizeof(l));
    } else {
        snmp_set_var_typed_value(vb, type, &v, sizeof(v));
    }
}

int floor_agent_run(const char *sock, const char *name, const oid *table_oid,
                    size_t table_len, Netsnmp_Node_Handler *handler)
{
    netsnmp_handler_registration *reg;

    snmp_enable_stderrlog();
    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
    netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
                          sock);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    setenv("MIBS", "", 0);
    if (init_agent(name) != 0)
        return 1;
    reg = netsnmp_create_handler_registration("floorTable", handler, table_oid,
                                              table_len, HANDLER_CAN_RONLY);
    if (reg == NULL || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
        fprintf(stderr, "%s: cannot register the table\n", name);
        return 1;
    }
    init_snmp(name);
    signal(SIGTERM, floor_on_signal);
    signal(SIGINT, floor_on_signal);
    while (!floor_stop)
        agent_check_and_process(1);
    snmp_shutdown(name);
    shutdown_agent();
    return 0;
}
