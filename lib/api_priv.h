/* api_priv.h - steps shared by the entry points in api.c and service.c. */
#ifndef MPRMON_API_PRIV_H
#define MPRMON_API_PRIV_H

#include "dcerpc_priv.h"
#include "mprapi.h"
#include "rpc_priv.h"
#include "settings_priv.h"

/* Name -> host for the transport, and the settings to use (opts, or the
 * store when opts is NULL).  ERROR_INVALID_PARAMETER for a bad name. */
DWORD api_resolve_server(LPCWSTR name, const MPRMON_CONNECT_OPTIONS *opts,
                         char *host, size_t hostlen,
                         struct mpr_settings *settings);

/* Open \PIPE\<pipe_name> on host and bind iface: a ready association.
 * Sets the thread's error detail on failure. */
DWORD api_open_association(const char *host,
                           const struct mpr_settings *settings,
                           const char *pipe_name,
                           const struct dcerpc_syntax_id *iface,
                           struct rpc_conn **out);

#endif
