/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * errors.c - Windows error codes: symbolic names and FormatMessage texts.
 *
 * Values and texts are those of Microsoft's "System Error Codes" pages
 * (winerror.h, en-US FormatMessage text) and, for the router codes,
 * routeerr.h (ROUTEBASE 900).  The table holds every code in mprapi.h, every
 * code the library itself returns, and the codes the MS-RRASM and MS-SCMR
 * calls we make list as their return values ([MS-SCMR] 3.1.4.1, 3.1.4.7,
 * 3.1.4.15, 3.1.4.16; [MS-RRASM] 3.1.4.1), so a server's answer reads well.
 */
#include <config.h>

#include <stddef.h>

#include "mprapi.h"

struct errors_entry {
    DWORD code;
    const char *name;
    const char *text;
};

static const struct errors_entry errors_table[] = {
    {NO_ERROR, "NO_ERROR", "The operation completed successfully."},
    {ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND",
     "The system cannot find the file specified."},
    {3u, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified."},
    {ERROR_TOO_MANY_OPEN_FILES, "ERROR_TOO_MANY_OPEN_FILES",
     "The system cannot open the file."},
    {ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED", "Access is denied."},
    {ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE", "The handle is invalid."},
    {ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY",
     "Not enough memory resources are available to process this command."},
    {ERROR_INVALID_DATA, "ERROR_INVALID_DATA", "The data is invalid."},
    {14u, "ERROR_OUTOFMEMORY",
     "Not enough memory resources are available to complete this operation."},
    {ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED",
     "The request is not supported."},
    {53u, "ERROR_BAD_NETPATH", "The network path was not found."},
    {64u, "ERROR_NETNAME_DELETED",
     "The specified network name is no longer available."},
    {ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER",
     "The parameter is incorrect."},
    {ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER",
     "The data area passed to a system call is too small."},
    {123u, "ERROR_INVALID_NAME",
     "The filename, directory name, or volume label syntax is incorrect."},
    {ERROR_INVALID_LEVEL, "ERROR_INVALID_LEVEL",
     "The system call level is not correct."},
    {ERROR_MORE_DATA, "ERROR_MORE_DATA", "More data is available."},
    {259u, "ERROR_NO_MORE_ITEMS", "No more data is available."},
    {628u, "ERROR_PORT_DISCONNECTED", "The connection was closed."},
    {629u, "ERROR_REMOTE_DISCONNECTION",
     "The connection was closed by the remote computer."},
    {678u, "ERROR_NO_ANSWER", "The remote computer did not respond."},
    {691u, "ERROR_AUTHENTICATION_FAILURE",
     "Access was denied because the username and/or password was invalid on "
     "the domain."},
    {718u, "ERROR_PPP_TIMEOUT",
     "The connection was terminated because the remote computer did not "
     "respond in a timely manner."},
    {800u, "ERROR_AUTOMATIC_VPN_FAILED", "Unable to establish the VPN connection."},
    {900u, "ERROR_ROUTER_STOPPED", "The router is not running."},
    {903u, "ERROR_DDM_NOT_RUNNING",
     "The Demand-dial Interface Manager is not running."},
    {ERROR_SERVICE_DOES_NOT_EXIST, "ERROR_SERVICE_DOES_NOT_EXIST",
     "The specified service does not exist as an installed service."},
    {ERROR_SERVICE_NOT_ACTIVE, "ERROR_SERVICE_NOT_ACTIVE",
     "The service has not been started."},
    {1065u, "ERROR_DATABASE_DOES_NOT_EXIST",
     "The database specified does not exist."},
    {1077u, "ERROR_SERVICE_NEVER_STARTED",
     "No attempts to start the service have been made since the last boot."},
    {1115u, "ERROR_SHUTDOWN_IN_PROGRESS", "A system shutdown is in progress."},
    {ERROR_LOGON_FAILURE, "ERROR_LOGON_FAILURE",
     "The user name or password is incorrect."},
    {ERROR_TIMEOUT, "ERROR_TIMEOUT",
     "This operation returned because the timeout period expired."},
    {RPC_S_INVALID_BINDING, "RPC_S_INVALID_BINDING",
     "The binding handle is invalid."},
    {RPC_S_UNKNOWN_IF, "RPC_S_UNKNOWN_IF", "The interface is unknown."},
    {RPC_S_SERVER_UNAVAILABLE, "RPC_S_SERVER_UNAVAILABLE",
     "The RPC server is unavailable."},
    {RPC_S_CALL_FAILED, "RPC_S_CALL_FAILED",
     "The remote procedure call failed."},
    {RPC_S_PROTOCOL_ERROR, "RPC_S_PROTOCOL_ERROR",
     "A remote procedure call (RPC) protocol error occurred."},
    {RPC_S_PROCNUM_OUT_OF_RANGE, "RPC_S_PROCNUM_OUT_OF_RANGE",
     "The procedure number is out of range."},
    {RPC_X_BAD_STUB_DATA, "RPC_X_BAD_STUB_DATA", "The stub received bad data."},
    {RPC_S_CALL_CANCELLED, "RPC_S_CALL_CANCELLED",
     "The remote procedure call was canceled."},
};

static const struct errors_entry *errors_find(DWORD code)
{
    size_t i;

    for (i = 0; i < sizeof(errors_table) / sizeof(errors_table[0]); i++)
        if (errors_table[i].code == code)
            return &errors_table[i];
    return NULL;
}

const char *MprmonErrorName(DWORD dwError)
{
    const struct errors_entry *e = errors_find(dwError);

    return e ? e->name : "UNKNOWN";
}

const char *MprmonErrorText(DWORD dwError)
{
    const struct errors_entry *e = errors_find(dwError);

    /* The caller (MprAdminGetErrorString) appends the number itself. */
    return e ? e->text : "Unknown error.";
}
