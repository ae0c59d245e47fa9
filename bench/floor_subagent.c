/* SPDX-License-Identifier: GPL-3.0-or-later */
/* floor_subagent.c - the floor of bench_walk: a minimal AgentX subagent that
 * serves a static table shaped like mprRouterTable from memory.
 *
 *   floor_subagent -x AGENTX_SOCKET -n ROWS [-p NAME_PREFIX]
 *
 * As many columns (17) as the real table shows for a router refused at a
 * closed port, with the same ASN.1 types and string lengths (the real
 * table has no level-0 figures and no time since an answer for such a
 * router, so they are left out here too), rows indexed 1..ROWS, under netSnmpExperimental.4174 instead of .4173: an OID of
 * the same length (so PDUs have the same size), registered next to the real
 * subagent on the same snmpd, so both tables can be walked alternately in
 * one run without restarting anything.
 *
 * It is what any subagent must pay (AgentX round trips, varbind encoding),
 * not a strawman: one handler for the whole table, the row found by
 * arithmetic on the index, values built straight from the static rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor_agent.h"

#define FLOOR_COL_FIRST 2
#define FLOOR_COL_LAST 18

static const oid floor_table_oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 4174, 1, 2};
static const oid floor_entry_oid[] = {1,    3,    6,    1, 4, 1,
                                      8072, 9999, 4174, 1, 2, 1};

/* The row of a router at a closed port, as the real table shows it. */
struct floor_row {
    char name[32];
    size_t name_len;
};

static struct floor_row *floor_rows;
static unsigned long floor_n;

static const char floor_address[] = "127.0.0.1";
static const char floor_err_name[] = "RPC_S_SERVER_UNAVAILABLE";
static const char floor_err_text[] = "The RPC server is unavailable.";
static const char floor_state_text[] =
    "RemoteAccess state unknown: the router could not be reached";

/* Columns 2..13 as in MPRMON-MIB's mprRouterEntry; then, packed, what a
 * refused router has of the rest: state text, two ages, probes, stale. */
static void floor_cell(netsnmp_variable_list *vb, unsigned long col,
                       unsigned long idx)
{
    const struct floor_row *r = &floor_rows[idx - 1];

    switch (col) {
    case 2:
        floor_set_str(vb, r->name, r->name_len);
        break;
    case 3:
        floor_set_str(vb, floor_address, sizeof floor_address - 1);
        break;
    case 4:
        floor_set_num(vb, ASN_INTEGER, 4);
        break;
    case 5:
        floor_set_num(vb, ASN_INTEGER, 5);
        break;
    case 6:
        floor_set_num(vb, ASN_UNSIGNED, 1722);
        break;
    case 7:
        floor_set_str(vb, floor_err_name, sizeof floor_err_name - 1);
        break;
    case 8:
        floor_set_str(vb, floor_err_text, sizeof floor_err_text - 1);
        break;
    case 9:
        floor_set_num(vb, ASN_TIMETICKS, 1234);
        break;
    case 10:
        floor_set_num(vb, ASN_TIMETICKS, 123456);
        break;
    case 11:
        floor_set_num(vb, ASN_GAUGE, 3);
        break;
    case 12:
        floor_set_num(vb, ASN_COUNTER, 42);
        break;
    case 13:
        floor_set_num(vb, ASN_COUNTER, 42);
        break;
    case 14:
        floor_set_str(vb, floor_state_text, sizeof floor_state_text - 1);
        break;
    case 15:
        floor_set_num(vb, ASN_GAUGE, 0);
        break;
    case 16:
        floor_set_num(vb, ASN_GAUGE, 0);
        break;
    case 17:
        floor_set_num(vb, ASN_COUNTER, 42);
        break;
    default:
        floor_set_num(vb, ASN_INTEGER, 2);
        break;
    }
}

static int floor_handler(netsnmp_mib_handler *handler,
                         netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo,
                         netsnmp_request_info *requests)
{
    const size_t elen = OID_LENGTH(floor_entry_oid);

    (void)handler;
    (void)reginfo;
    for (netsnmp_request_info *req = requests; req; req = req->next) {
        netsnmp_variable_list *vb = req->requestvb;
        int cmp = snmp_oid_ncompare(vb->name, vb->name_length, floor_entry_oid,
                                    elen, elen);
        const oid *sfx = vb->name + elen;
        size_t slen = cmp == 0 ? vb->name_length - elen : 0;
        unsigned long col, idx;

        if (req->processed)
            continue;
        if (reqinfo->mode == MODE_GET) {
            if (cmp == 0 && slen == 2 && sfx[0] >= FLOOR_COL_FIRST &&
                sfx[0] <= FLOOR_COL_LAST && sfx[1] >= 1 && sfx[1] <= floor_n)
                floor_cell(vb, sfx[0], sfx[1]);
            else
                netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
            continue;
        }
        if (reqinfo->mode != MODE_GETNEXT || cmp > 0 || floor_n == 0)
            continue;
        if (slen == 0 || sfx[0] < FLOOR_COL_FIRST) {
            col = FLOOR_COL_FIRST;
            idx = 1;
        } else {
            col = sfx[0];
            idx = slen >= 2 ? sfx[1] + 1 : 1;
            if (idx > floor_n) {
                col++;
                idx = 1;
            }
        }
        if (col > FLOOR_COL_LAST)
            continue;
        {
            oid next[OID_LENGTH(floor_entry_oid) + 2];
            memcpy(next, floor_entry_oid, sizeof floor_entry_oid);
            next[elen] = col;
            next[elen + 1] = idx;
            snmp_set_var_objid(vb, next, elen + 2);
            floor_cell(vb, col, idx);
        }
    }
    return SNMP_ERR_NOERROR;
}

int main(int argc, char **argv)
{
    const char *sock = NULL, *prefix = "router-";
    int c, rc;

    while ((c = getopt(argc, argv, "x:n:p:")) != -1) {
        switch (c) {
        case 'x':
            sock = optarg;
            break;
        case 'n':
            floor_n = strtoul(optarg, NULL, 10);
            break;
        case 'p':
            prefix = optarg;
            break;
        default:
            fprintf(stderr, "usage: floor_subagent -x SOCKET -n ROWS "
                            "[-p NAME_PREFIX]\n");
            return 2;
        }
    }
    if (sock == NULL || floor_n == 0 || floor_n > 10000000) {
        fprintf(stderr, "floor_subagent: need -x SOCKET and -n 1..10000000\n");
        return 2;
    }
    floor_rows = calloc(floor_n, sizeof *floor_rows);
    if (floor_rows == NULL)
        return 1;
    /* Names as bench_walk.sh gives the real routers (router-00001...). */
    for (unsigned long i = 0; i < floor_n; i++) {
        int n = snprintf(floor_rows[i].name, sizeof floor_rows[i].name,
                         "%s%05lu", prefix, i + 1);
        floor_rows[i].name_len = n < 0 ? 0
                                 : (size_t)n < sizeof floor_rows[i].name
                                     ? (size_t)n
                                     : sizeof floor_rows[i].name - 1;
    }

    rc = floor_agent_run(sock, "floor-subagent", floor_table_oid,
                         OID_LENGTH(floor_table_oid), floor_handler);
    free(floor_rows);
    return rc;
}
