/* SPDX-License-Identifier: GPL-3.0-or-later */
/* floor_ifaces.c - the floor of bench_ifwalk: a minimal AgentX subagent
 * that serves a static table shaped like mprInterfaceTable from memory.
 *
 *   floor_ifaces -x AGENTX_SOCKET -n INTERFACES
 *
 * The interfaces the RRAS test peer makes up ("generate"), of router 1,
 * with the cells the real table shows for them (columns 2..10: no change
 * was seen, so no last change), the same values and the same indexes
 * (FNV-1a of the folded name, as MPRMON-MIB defines them), under
 * netSnmpExperimental.4174 instead of .4173: the same PDU sizes.
 *
 * What any subagent must pay: one handler, a binary search on the index,
 * values from static rows. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor_agent.h"
#include "mprapi.h"

#define FLOOR_COL_FIRST 2
#define FLOOR_COL_LAST 10
#define FLOOR_ROUTER 1

static const oid floor_table_oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 4174, 1, 3};
static const oid floor_entry_oid[] = {1,    3,    6,    1, 4, 1,
                                      8072, 9999, 4174, 1, 3, 1};

struct floor_iface {
    uint32_t index;
    char name[32];
    bool down; /* every tenth: unreachable, connection failure */
    char reasons[32];
};

static struct floor_iface *floor_ifaces;
static size_t floor_n;

static uint32_t floor_index_of(const char *name)
{
    uint32_t h = 2166136261u;

    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned c = *p >= 'A' && *p <= 'Z' ? *p + 32u : *p;
        h = (h ^ c) * 16777619u;
    }
    return h != 0 ? h : 1;
}

static int floor_cmp(const void *a, const void *b)
{
    const struct floor_iface *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

/* The first interface whose index is at least index. */
static size_t floor_lower_bound(unsigned long index)
{
    size_t lo = 0, hi = floor_n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (floor_ifaces[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void floor_cell(netsnmp_variable_list *vb, unsigned long col,
                       const struct floor_iface *f)
{
    DWORD err = f->down ? 678 : 0;

    switch (col) {
    case 2:
        floor_set_str(vb, f->name, strlen(f->name));
        break;
    case 3: /* fullRouter */
        floor_set_num(vb, ASN_INTEGER, 3);
        break;
    case 4: /* true */
        floor_set_num(vb, ASN_INTEGER, 1);
        break;
    case 5: /* unreachable, connected */
        floor_set_num(vb, ASN_INTEGER, f->down ? 4 : 1);
        break;
    case 6:
        floor_set_num(vb, ASN_UNSIGNED, f->down ? 4 : 0);
        break;
    case 7:
        floor_set_str(vb, f->reasons, strlen(f->reasons));
        break;
    case 8:
        floor_set_num(vb, ASN_UNSIGNED, err);
        break;
    case 9:
        floor_set_str(vb, MprmonErrorName(err), strlen(MprmonErrorName(err)));
        break;
    default:
        floor_set_str(vb, MprmonErrorText(err), strlen(MprmonErrorText(err)));
        break;
    }
}

/* GETNEXT after column.router.index...: fills the cell, or 0 at the end. */
static int floor_next(const oid *sfx, size_t slen, unsigned long *col,
                      size_t *pos)
{
    *col = FLOOR_COL_FIRST;
    *pos = 0;
    if (slen > 0 && sfx[0] >= FLOOR_COL_FIRST) {
        *col = sfx[0];
        if (slen >= 2 && sfx[1] > FLOOR_ROUTER)
            *pos = floor_n;
        else if (slen >= 3 && sfx[1] == FLOOR_ROUTER)
            *pos = floor_lower_bound(sfx[2] + 1);
    }
    if (*pos >= floor_n) {
        (*col)++;
        *pos = 0;
    }
    return *col <= FLOOR_COL_LAST && floor_n > 0;
}

/* The request's sub-ids below the entry, at most 3; Net-SNMP's AgentX
 * decoding sign-extends those of 2^31 and more, as the indexes here are. */
static size_t floor_suffix(const netsnmp_variable_list *vb, size_t elen,
                           oid *out)
{
    size_t n = vb->name_length - elen < 3 ? vb->name_length - elen : 3;

    for (size_t i = 0; i < n; i++)
        out[i] = vb->name[elen + i] & UINT32_MAX;
    return n;
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
        oid sfx[3];
        size_t slen = cmp == 0 ? floor_suffix(vb, elen, sfx) : 0, pos;
        unsigned long col;

        if (req->processed)
            continue;
        if (reqinfo->mode == MODE_GET) {
            pos = slen == 3 && vb->name_length == elen + 3
                      ? floor_lower_bound(sfx[2])
                      : floor_n;
            if (cmp == 0 && sfx[0] >= FLOOR_COL_FIRST &&
                sfx[0] <= FLOOR_COL_LAST && sfx[1] == FLOOR_ROUTER &&
                pos < floor_n && floor_ifaces[pos].index == sfx[2])
                floor_cell(vb, sfx[0], &floor_ifaces[pos]);
            else
                netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
            continue;
        }
        if (reqinfo->mode != MODE_GETNEXT || cmp > 0 ||
            !floor_next(sfx, slen, &col, &pos))
            continue;
        {
            oid next[OID_LENGTH(floor_entry_oid) + 3];
            memcpy(next, floor_entry_oid, sizeof floor_entry_oid);
            next[elen] = col;
            next[elen + 1] = FLOOR_ROUTER;
            next[elen + 2] = floor_ifaces[pos].index;
            snmp_set_var_objid(vb, next, elen + 3);
            floor_cell(vb, col, &floor_ifaces[pos]);
        }
    }
    return SNMP_ERR_NOERROR;
}

int main(int argc, char **argv)
{
    const char *sock = NULL;
    int c, rc;

    while ((c = getopt(argc, argv, "x:n:")) != -1) {
        if (c == 'x') {
            sock = optarg;
        } else if (c == 'n') {
            floor_n = strtoul(optarg, NULL, 10);
        } else {
            fprintf(stderr, "usage: floor_ifaces -x SOCKET -n INTERFACES\n");
            return 2;
        }
    }
    if (sock == NULL || floor_n == 0 || floor_n > 99999) {
        fprintf(stderr, "floor_ifaces: need -x SOCKET and -n 1..99999\n");
        return 2;
    }
    floor_ifaces = calloc(floor_n, sizeof *floor_ifaces);
    if (floor_ifaces == NULL)
        return 1;
    /* As the peer makes them up: Site-00001..., every tenth unreachable. */
    for (size_t i = 0; i < floor_n; i++) {
        struct floor_iface *f = &floor_ifaces[i];

        snprintf(f->name, sizeof f->name, "Site-%05zu", i + 1);
        f->index = floor_index_of(f->name);
        f->down = (i + 1) % 10 == 0;
        MprmonUnreachabilityText(f->down ? 4 : 0, f->reasons,
                                 sizeof f->reasons);
    }
    qsort(floor_ifaces, floor_n, sizeof *floor_ifaces, floor_cmp);
    for (size_t i = 1; i < floor_n; i++)
        if (floor_ifaces[i].index == floor_ifaces[i - 1].index) {
            fprintf(stderr, "floor_ifaces: two names share index %u\n",
                    (unsigned)floor_ifaces[i].index);
            return 1;
        }
    rc = floor_agent_run(sock, "floor-ifaces", floor_table_oid,
                         OID_LENGTH(floor_table_oid), floor_handler);
    free(floor_ifaces);
    return rc;
}
