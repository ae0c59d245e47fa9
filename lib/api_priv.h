/* SPDX-License-Identifier: GPL-3.0-or-later */
/* api_priv.h - what the blocking entry points (api.c, service.c) and the
 * asynchronous ones (async.c) share: building jobs from the caller's
 * arguments, and turning finished jobs into handles and results. */
#ifndef MPRMON_API_PRIV_H
#define MPRMON_API_PRIV_H

#include "engine_priv.h"
#include "mprapi.h"

/* A connect or service-state job for a server name: the name checked and
 * turned into a host, the settings resolved (opts, or the store when opts
 * is NULL), the deadline dwDeadlineMs or else the settings' timeout.
 * Errors (ERROR_INVALID_PARAMETER, a credentials file's code, no memory)
 * come with the thread's error detail set. */
DWORD api_server_job(enum job_kind kind, LPCWSTR name,
                     const MPRMON_CONNECT_OPTIONS *opts, DWORD dwDeadlineMs,
                     struct job **out);

/* A job on a handle's connection (get-info, dim-call), with the
 * handle's timeout unless dwDeadlineMs: ERROR_INVALID_HANDLE,
 * ERROR_NOT_ENOUGH_MEMORY. */
DWORD api_handle_job(enum job_kind kind, MPR_SERVER_HANDLE h,
                     DWORD dwDeadlineMs, struct job **out);

/* A get-info job on a handle: ERROR_INVALID_PARAMETER, ERROR_INVALID_LEVEL,
 * ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY. */
DWORD api_get_info_job(MPR_SERVER_HANDLE h, DWORD level, DWORD dwDeadlineMs,
                       struct job **out);

/* A job reading every page of a list (MprmonEnumAll's arguments):
 * ERROR_INVALID_PARAMETER, ERROR_INVALID_LEVEL, then as api_handle_job. */
DWORD api_list_job(MPR_SERVER_HANDLE h, MPRMON_LIST list, DWORD level,
                   DWORD page_bytes, DWORD max_entries, DWORD dwDeadlineMs,
                   struct job **out);

/* A finished job's error detail as the calling thread's. */
void api_take_detail(const struct job *job);

/* A finished connect job's connection as a new handle in *out. */
DWORD api_take_handle(struct job *job, MPR_SERVER_HANDLE *out);

/* What MprmonQueryServiceState says for a finished service-state job. */
MPRMON_SERVICE_STATE api_service_state(const struct job *job);

#endif
