/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports.h - a router's ports by type (MprAdminPortEnum), and when one
 * type's ports are exhausted.
 *
 * Pure functions, no I/O, so unit tests drive them directly. */
#ifndef MPRMON_PORTS_H
#define MPRMON_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "mprapi.h"

/* Values as in MPRMON-MIB mprPortType: the tunnel protocol or device a
 * port belongs to. */
enum port_type {
    PORT_TYPE_PPTP = 1,
    PORT_TYPE_L2TP = 2,
    PORT_TYPE_SSTP = 3,
    PORT_TYPE_IKEV2 = 4,
    PORT_TYPE_PPPOE = 5,
    PORT_TYPE_OTHER = 6 /* modems, ISDN, serial and anything new */
};
#define PORT_TYPES 6

/* One type's ports; counts[type - 1] in struct port_counts. */
struct port_type_count {
    uint32_t ports;     /* every port of the type */
    uint32_t in_use;    /* a call on it: calling back, initializing,
                           authenticating or authenticated */
    uint32_t connected; /* authenticated: a user or router connected */
};

struct port_counts {
    struct port_type_count of[PORT_TYPES];
};

/* The type of a port, from its device name ("WAN Miniport (SSTP)") and
 * device type ("vpn", "PPPoE"). */
enum port_type port_type_of(const RAS_PORT_0 *port);

/* "PPTP", "L2TP", "SSTP", "IKEv2", "PPPoE", "other"; NULL for no type. */
const char *port_type_name(unsigned type);

/* The counts of n ports. */
void port_counts_of(const RAS_PORT_0 *ports, uint32_t n,
                    struct port_counts *out);

/* Are a type's ports exhausted: any at all, and at least pct percent of
 * them in use?  pct 0 never is. */
bool port_type_exhausted(const struct port_type_count *c, unsigned pct);

/* Hysteresis for exhaustion, per type: a type is confirmed exhausted (or
 * no longer) after `hysteresis` consecutive readings agree. */
struct ports_watch {
    bool exhausted[PORT_TYPES];
    uint8_t streak[PORT_TYPES];
};

/* Take one reading.  Returns a bit (1 << (type - 1)) for each type that
 * has just been confirmed exhausted: each deserves a notification.  A
 * type that is exhausted when first seen counts too (bad news at start is
 * news).  Without a reading (valid false) nothing changes. */
unsigned ports_watch_update(struct ports_watch *w, const struct port_counts *c,
                            bool valid, unsigned pct, unsigned hysteresis);

#endif
