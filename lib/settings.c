/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings.c - per-server connection settings and their store. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "detail_priv.h"
#include "names_priv.h"
#include "settings_priv.h"

/* The store is small (one entry per server a caller configured), so a list
 * with linear lookup is enough.  key "" stands for the local machine; the
 * default entry is kept apart. */
struct store_entry {
    struct store_entry *next;
    char *key;
    struct mpr_settings settings;
};

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_entry *store_entries;
static struct mpr_settings *store_default;

void settings_clear(struct mpr_settings *s)
{
    if (!s)
        return;
    creds_clear(&s->creds);
    memset(s, 0, sizeof(*s));
}

/* RPC-level authentication (NTLMSSP) needs a user to authenticate as:
 * refuse the combination when the options are set, not at each connect. */
static DWORD settings_check_rpc_auth(struct mpr_settings *s)
{
    if (s->rpc_auth_level != MPRMON_RPC_AUTHN_LEVEL_NONE && !s->creds.ccache &&
        (!s->creds.user || !s->creds.user[0])) {
        detail_set("RPC authentication level %u needs credentials with a "
                   "user name",
                   (unsigned)s->rpc_auth_level);
        settings_clear(s);
        return ERROR_INVALID_PARAMETER;
    }
    return NO_ERROR;
}

static DWORD settings_check_ccache(struct mpr_settings *s)
{
    char err[256];
    DWORD rc = creds_check_ccache(&s->creds, err, sizeof(err));

    if (rc != NO_ERROR) {
        detail_set("%s", err);
        settings_clear(s);
    }
    return rc;
}

DWORD settings_from_options(const MPRMON_CONNECT_OPTIONS *opts,
                            struct mpr_settings *out)
{
    char err[256];
    DWORD rc;

    memset(out, 0, sizeof(*out));
    out->port = opts->dwPort ? opts->dwPort : SETTINGS_DEFAULT_PORT;
    out->timeout_ms =
        opts->dwTimeoutMs ? opts->dwTimeoutMs : SETTINGS_DEFAULT_TIMEOUT_MS;
    if (opts->dwPort > 65535) {
        detail_set("port %u is out of range (1-65535)", (unsigned)opts->dwPort);
        return ERROR_INVALID_PARAMETER;
    }
    switch (opts->encryption) {
    case MPRMON_ENCRYPTION_DEFAULT:
        out->encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
        break;
    case MPRMON_ENCRYPTION_OFF:
    case MPRMON_ENCRYPTION_IF_AVAILABLE:
    case MPRMON_ENCRYPTION_REQUIRED:
        out->encryption = opts->encryption;
        break;
    default:
        detail_set("unknown encryption setting %d", (int)opts->encryption);
        return ERROR_INVALID_PARAMETER;
    }
    switch (opts->dwRpcAuthLevel) {
    case MPRMON_RPC_AUTHN_LEVEL_CONNECT:
        detail_set("RPC authentication level 2 (connect) is not offered on "
                   "named pipes: use 5 (integrity) or 6 (privacy)");
        return ERROR_NOT_SUPPORTED;
    case MPRMON_RPC_AUTHN_LEVEL_NONE:
    case MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY:
    case MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY:
        out->rpc_auth_level = opts->dwRpcAuthLevel;
        break;
    default:
        detail_set("RPC authentication level %u is not 0, 5 or 6",
                   (unsigned)opts->dwRpcAuthLevel);
        return ERROR_INVALID_PARAMETER;
    }
    if (opts->pszCredentialsFile) {
        err[0] = '\0';
        rc = creds_load_file(opts->pszCredentialsFile, &out->creds, err,
                             sizeof(err));
        if (rc != NO_ERROR) {
            detail_set("%s", err[0] ? err : "cannot read credentials file");
            settings_clear(out);
            return rc;
        }
        rc = settings_check_ccache(out);
        return rc != NO_ERROR ? rc : settings_check_rpc_auth(out);
    }
    if (opts->pszUser || opts->pszPassword || opts->pszDomain) {
        rc = creds_from_strings(opts->pszUser, opts->pszPassword,
                                opts->pszDomain, &out->creds);
        if (rc != NO_ERROR) {
            settings_clear(out);
            return rc;
        }
    }
    return settings_check_rpc_auth(out);
}

static DWORD settings_copy(const struct mpr_settings *src,
                           struct mpr_settings *dst)
{
    *dst = *src;
    memset(&dst->creds, 0, sizeof(dst->creds));
    return creds_copy(&src->creds, &dst->creds);
}

DWORD settings_lookup(const char *key, struct mpr_settings *out)
{
    const struct mpr_settings *found = NULL;
    DWORD rc = NO_ERROR;

    pthread_mutex_lock(&store_lock);
    for (struct store_entry *e = store_entries; e; e = e->next) {
        if (strcmp(e->key, key) == 0) {
            found = &e->settings;
            break;
        }
    }
    if (!found)
        found = store_default;
    if (found) {
        rc = settings_copy(found, out);
    } else {
        memset(out, 0, sizeof(*out));
        out->port = SETTINGS_DEFAULT_PORT;
        out->timeout_ms = SETTINGS_DEFAULT_TIMEOUT_MS;
        out->encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    }
    pthread_mutex_unlock(&store_lock);
    return rc;
}

static void entry_free(struct store_entry *e)
{
    settings_clear(&e->settings);
    free(e->key);
    free(e);
}

/* Unlink and free the entry for key (caller holds the lock). */
static void store_remove_locked(const char *key)
{
    for (struct store_entry **pp = &store_entries; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct store_entry *gone = *pp;
            *pp = gone->next;
            entry_free(gone);
            return;
        }
    }
}

static DWORD server_key_from_utf8(const char *server, char *key, size_t keylen)
{
    LPWSTR wide = utf8_to_utf16(server);
    if (!wide) {
        detail_set("server name is not valid UTF-8");
        return ERROR_INVALID_PARAMETER;
    }
    DWORD rc = names_server_key(wide, key, keylen);
    free(wide);
    if (rc != NO_ERROR)
        detail_set("server name \"%s\" is not a valid host name", server);
    return rc;
}

DWORD MprmonSetServerOptions(const char *pszServer,
                             const MPRMON_CONNECT_OPTIONS *pOptions)
{
    char key[MPR_HOST_MAX + 3];
    struct mpr_settings fresh;
    DWORD rc;

    detail_clear();
    if (pszServer) {
        rc = server_key_from_utf8(pszServer, key, sizeof(key));
        if (rc != NO_ERROR)
            return rc;
    }
    if (pOptions) {
        /* Resolve outside the lock: it reads a file. */
        rc = settings_from_options(pOptions, &fresh);
        if (rc != NO_ERROR)
            return rc;
    }

    struct store_entry *entry = NULL;
    struct mpr_settings *def = NULL;
    if (pOptions && pszServer) {
        entry = calloc(1, sizeof(*entry));
        if (entry)
            entry->key = strdup(key);
        if (!entry || !entry->key) {
            free(entry);
            settings_clear(&fresh);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        entry->settings = fresh;
    } else if (pOptions) {
        def = malloc(sizeof(*def));
        if (!def) {
            settings_clear(&fresh);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        *def = fresh;
    }

    struct mpr_settings *old_default = NULL;
    pthread_mutex_lock(&store_lock);
    if (pszServer) {
        store_remove_locked(key);
        if (entry) {
            entry->next = store_entries;
            store_entries = entry;
        }
    } else {
        old_default = store_default;
        store_default = def;
    }
    pthread_mutex_unlock(&store_lock);
    if (old_default) {
        settings_clear(old_default);
        free(old_default);
    }
    return NO_ERROR;
}

void MprmonResetServerOptions(void)
{
    pthread_mutex_lock(&store_lock);
    struct store_entry *list = store_entries;
    struct mpr_settings *def = store_default;
    store_entries = NULL;
    store_default = NULL;
    pthread_mutex_unlock(&store_lock);

    while (list) {
        struct store_entry *next = list->next;
        entry_free(list);
        list = next;
    }
    if (def) {
        settings_clear(def);
        free(def);
    }
}
