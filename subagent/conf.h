/* SPDX-License-Identifier: GPL-3.0-or-later */
/* conf.h - mprmon.conf: file -> validated router list. */
#ifndef MPRMON_CONF_H
#define MPRMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

#define ROUTER_NAME_MAX 64
#define ROUTER_ADDRESS_MAX 256
#define ROUTER_PATH_MAX 1024

/* One router stanza.  id is the row index: stable across reloads/restarts.
 * auth_file points to an immutable string of the process-lifetime pool
 * (strpool.h): routers sharing one file share the string, and it stays
 * valid after the config it came from is freed; NULL is taken as "" (what
 * a zeroed stanza in a test has). */
/* What a probe reads beyond the level-0 information (the `collect` key). */
#define COLLECT_INTERFACES 0x1u  /* mprInterfaceTable */
#define COLLECT_CONNECTIONS 0x2u /* connection counts per router */
#define COLLECT_PORTS 0x4u       /* port counts per type (mprPortTypeTable) */

struct router_config {
    uint32_t id;                        /* 1..4294967295, unique */
    char name[ROUTER_NAME_MAX];         /* operator's label */
    char address[ROUTER_ADDRESS_MAX];   /* server name as MprAdminServerConnect takes it */
    unsigned port;                      /* SMB port, 0 = 445 */
    const char *auth_file;              /* smbclient auth file, "" = anonymous;
                                           shorter than ROUTER_PATH_MAX */
    unsigned interval_s;                /* probe interval */
    unsigned timeout_ms;                /* per-probe timeout */
    unsigned hysteresis;                /* consecutive probes before a trap */
    MPRMON_ENCRYPTION encryption;
    DWORD rpc_auth_level;               /* MPRMON_RPC_AUTHN_LEVEL_* */
    unsigned collect;                   /* COLLECT_* bits */
    unsigned ports_exhausted_pct;       /* mprRouterPortsExhausted at this
                                           share of a type's ports in use,
                                           1..100; 0 = never */
};

struct daemon_config {
    unsigned max_concurrency;   /* probes in flight */
    unsigned trap_rate_per_min; /* notifications per minute, whole daemon */
    bool first_probes_at_once;  /* new routers all due now, not spread */
    bool shared_snmpd;          /* register own rows only, no scalars */
    struct router_config *routers; /* sorted by id */
    size_t n_routers;
};

/*
 * Parse and validate a config file.  On error returns -1 and writes
 * "PATH:LINE: message" into err (never a password).  Unknown keys, bad
 * values, duplicate ids are errors.
 */
int config_load(const char *path, struct daemon_config *out, char *err,
                size_t errlen);

/* config_load without looking at the auth files, for a process that will
 * read them as another user (-u): it loads the file again, with the checks,
 * once it is that user.  Auth files may then belong to that user. */
int config_load_files_later(const char *path, struct daemon_config *out,
                            char *err, size_t errlen);

/* The same from text (for tests and fuzzers); name is used in messages. */
int config_parse(const char *name, const char *text, size_t len,
                 struct daemon_config *out, char *err, size_t errlen);

void config_free(struct daemon_config *cfg);

/* Are cfg's routers present and sorted by strictly increasing id, as
 * config_load leaves them?  The routers rely on it. */
bool config_routers_sorted(const struct daemon_config *cfg);

/* Do two router stanzas describe the same probe target and settings?
 * Everything but the name is compared (a rename keeps a router's state). */
int router_config_equal(const struct router_config *a,
                        const struct router_config *b);

/* Do two stanzas probe the same server the same way (id, address, port,
 * auth file, encryption)?  A reload that changes only interval, timeout,
 * hysteresis or name keeps the router's handle, state and counters; any
 * other change starts it afresh. */
int router_config_same_target(const struct router_config *a,
                              const struct router_config *b);

#endif
