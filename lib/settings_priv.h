/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings_priv.h - how to reach a server: port, timeout, encryption,
 * credentials; and the process-wide store behind MprmonSetServerOptions. */
#ifndef MPRMON_SETTINGS_PRIV_H
#define MPRMON_SETTINGS_PRIV_H

#include "creds_priv.h"
#include "mprapi.h"

#define SETTINGS_DEFAULT_PORT 445u
#define SETTINGS_DEFAULT_TIMEOUT_MS 10000u

/* Resolved settings: defaults applied, credentials loaded. */
struct mpr_settings {
    unsigned port;
    unsigned timeout_ms;
    MPRMON_ENCRYPTION encryption;
    DWORD rpc_auth_level; /* MPRMON_RPC_AUTHN_LEVEL_*; 0 = none */
    struct mpr_creds creds;
};

/* Resolve caller options (loads and checks the credentials file).  Errors
 * come with a detail text (detail_set). */
DWORD settings_from_options(const MPRMON_CONNECT_OPTIONS *opts,
                            struct mpr_settings *out);

/* Settings for a server: its store entry, else the default entry, else
 * built-in defaults with anonymous credentials.  key from names_server_key. */
DWORD settings_lookup(const char *key, struct mpr_settings *out);

/* Wipe the password and free. */
void settings_clear(struct mpr_settings *s);

#endif
