/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_lists.h - the lists mprmon-probe reads from a connected router. */
#ifndef MPRMON_CLI_PROBE_LISTS_H
#define MPRMON_CLI_PROBE_LISTS_H

#include "mprapi.h"

#define PROBE_DETAIL_MAX 256

/* What to read (want_*), then what was read: each list's code, its
 * failure's detail, its entries (NULL when none or failed). */
struct probe_lists {
    int want_interfaces, want_connections, want_ports;
    DWORD interfaces_code, connections_code, ports_code;
    char interfaces_detail[PROBE_DETAIL_MAX];
    char connections_detail[PROBE_DETAIL_MAX];
    char ports_detail[PROBE_DETAIL_MAX];
    MPR_INTERFACE_0 *interfaces;
    DWORD n_interfaces;
    RAS_CONNECTION_0 *connections; /* level 0: who and where */
    DWORD n_connections;
    RAS_CONNECTION_1 *statistics;  /* level 1: addresses and counters */
    DWORD n_statistics;
    RAS_PORT_0 *ports;
    DWORD n_ports;
};

/* Read every wanted list, all pages. */
void probe_lists_fetch(MPR_SERVER_HANDLE h, struct probe_lists *pl);
/* Indented lines after the server's line. */
void probe_lists_print_text(const struct probe_lists *pl);
/* The members ,"interfaces":..,"connections":..,"ports":.. of the
 * server's JSON object (null when not wanted). */
void probe_lists_print_json(const struct probe_lists *pl);
/* Free the entries; the struct is zeroed. */
void probe_lists_free(struct probe_lists *pl);

#endif
