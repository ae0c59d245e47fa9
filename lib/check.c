/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.c - what a caller can check before it connects: a server name and a
 * credentials file, by the same rules the Windows calls apply, so that a
 * configuration is refused when it is loaded rather than at every probe. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "creds_priv.h"
#include "mprapi.h"
#include "names_priv.h"

DWORD MprmonCheckServerName(const char *pszServer, const char **ppszReason)
{
    const char *why = NULL;
    LPWSTR wide;
    DWORD rc;

    if (ppszReason)
        *ppszReason = NULL;
    if (!pszServer) {
        if (ppszReason)
            *ppszReason = "no name";
        return ERROR_INVALID_PARAMETER;
    }
    wide = utf8_to_utf16(pszServer);
    if (!wide) {
        if (ppszReason)
            *ppszReason = "not valid UTF-8";
        return ERROR_INVALID_PARAMETER;
    }
    rc = names_check(wide, &why);
    free(wide);
    if (ppszReason)
        *ppszReason = why;
    return rc;
}

DWORD MprmonCheckCredentialsFile(const char *pszPath, char *pszReason,
                                 size_t cbReason)
{
    struct mpr_creds creds = {0};
    DWORD rc;

    if (pszReason && cbReason)
        pszReason[0] = '\0';
    if (!pszPath)
        return ERROR_INVALID_PARAMETER;
    rc = creds_load_file(pszPath, &creds, pszReason, cbReason);
    if (rc == NO_ERROR) {
        char why[256];
        rc = creds_check_ccache(&creds, why, sizeof(why));
        if (rc != NO_ERROR && pszReason && cbReason)
            snprintf(pszReason, cbReason, "%s: %s", pszPath, why);
    }
    creds_clear(&creds);
    return rc;
}
