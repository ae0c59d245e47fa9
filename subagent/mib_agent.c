/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_agent.c - varbind values and request suffixes (mib_agent.h). */
#include "mib_agent.h"

void mib_agent_set_value(netsnmp_variable_list *vb, const struct mib_value *v)
{
    if (v->type == ASN_OCTET_STR) {
        snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->str, v->str_len);
    } else if (v->type == ASN_INTEGER) {
        long l = (long)(int32_t)v->num;
        snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
    } else {
        /* Net-SNMP takes unsigned types as u_long. */
        u_long ul = v->num;
        snmp_set_var_typed_value(vb, v->type, &ul, sizeof(ul));
    }
}

int mib_agent_add_varbind(netsnmp_variable_list **list, const oid *name,
                          size_t name_len, const struct mib_value *v)
{
    netsnmp_variable_list *vb =
        snmp_varlist_add_variable(list, name, name_len, ASN_NULL, NULL, 0);

    if (vb == NULL)
        return -1;
    mib_agent_set_value(vb, v);
    return 0;
}

/*
 * Net-SNMP 5.9.3 on LP64 hands a GET for index 4000000000 to the subagent
 * as 18446744073414584320: the sub-id sign-extended from 32 bits (seen with
 * snmpget through snmpd's AgentX master; GETNEXT is not affected).  SNMP
 * sub-ids are 32-bit, so undo exactly that pattern.
 */
size_t mib_agent_suffix(const oid *name, size_t len, oid *out, size_t max)
{
    size_t n = len < max ? len : max;

    for (size_t i = 0; i < n; i++) {
        oid v = name[i];
        if (v > UINT32_MAX && (v >> 31) == (~(oid)0 >> 31))
            v &= UINT32_MAX;
        out[i] = v;
    }
    return n;
}

int mib_agent_below(const netsnmp_variable_list *vb, const oid *entry,
                    size_t entry_len, oid *suffix, size_t max,
                    size_t *suffix_len)
{
    int cmp = snmp_oid_ncompare(vb->name, vb->name_length, entry, entry_len,
                                entry_len);

    *suffix_len =
        cmp == 0 ? mib_agent_suffix(vb->name + entry_len,
                                    vb->name_length - entry_len, suffix, max)
                 : 0;
    return cmp;
}

netsnmp_handler_registration *mib_agent_register(const char *name,
                                                 Netsnmp_Node_Handler *handler,
                                                 const oid *table,
                                                 size_t table_len)
{
    netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
        name, handler, table, table_len, HANDLER_CAN_RONLY);

    /* On failure Net-SNMP frees the registration itself. */
    if (reg == NULL || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
        snmp_log(LOG_ERR, "mprmon: cannot register %s\n", name);
        return NULL;
    }
    return reg;
}

void mib_agent_unregister(netsnmp_handler_registration **reg)
{
    if (*reg != NULL)
        netsnmp_unregister_handler(*reg);
    *reg = NULL;
}
