/* SPDX-License-Identifier: GPL-3.0-or-later */
/* creds_priv.h - credentials: smbclient-format auth files and wiping. */
#ifndef MPRMON_CREDS_PRIV_H
#define MPRMON_CREDS_PRIV_H

#include <stddef.h>
#include "mprapi.h"

/* A credential set.  Strings are heap-allocated UTF-8, NULL when absent. */
struct mpr_creds {
    char *domain;
    char *user;
    char *password;
    char *ccache; /* Kerberos credentials cache ("FILE:/path", "/path",
                   * "KEYRING:...", "KCM:..."): use Kerberos, not NTLM */
};

/*
 * Parse the text of an smbclient authentication file ("username = x",
 * "password = y", "domain = z"; blank lines and '#'/';' comments allowed),
 * or of one that names a Kerberos credentials cache ("ccache = FILE:/path";
 * username and domain are then optional and a password is refused).
 * Fills *out (caller clears it with creds_clear).  On a malformed line returns
 * ERROR_INVALID_DATA and writes "line N: reason" to errbuf (never the
 * password).  Pure: no I/O, so unit tests and fuzzers drive it with bytes.
 */
DWORD creds_parse_auth_text(const char *text, size_t len, struct mpr_creds *out,
                            char *errbuf, size_t errlen);

/*
 * Read and parse an auth file.  Refuses a file readable or writable by group
 * or others, or owned by anyone but the effective uid or root
 * (ERROR_ACCESS_DENIED), and a missing one (ERROR_FILE_NOT_FOUND),
 * with a message naming the path and the reason in errbuf.
 */
DWORD creds_load_file(const char *path, struct mpr_creds *out, char *errbuf,
                      size_t errlen);

/*
 * The same owner and mode rules for a file that holds a secret we did not
 * parse ourselves (a credentials cache): ERROR_FILE_NOT_FOUND,
 * ERROR_ACCESS_DENIED or ERROR_INVALID_DATA (not a regular file), with
 * "PATH: reason" in errbuf.
 */
DWORD creds_check_private_file(const char *path, char *errbuf, size_t errlen);

/* The cache c names, if any, as far as it can be judged before use: a
 * MEMORY: cache (empty here: ERROR_INVALID_PARAMETER), a file that exists
 * but is not private (as creds_check_private_file).  A file that does not
 * exist yet is fine. */
DWORD creds_check_ccache(const struct mpr_creds *c, char *errbuf,
                         size_t errlen);

/* The file behind a credentials cache name ("FILE:/p" or "/p"), or NULL
 * for caches that are not files (KEYRING:, KCM:, DIR:, MEMORY:). */
const char *creds_ccache_file(const char *name);

/* Build from explicit strings (any may be NULL).  "DOM\\user" and
 * "user@dom" are split when domain is NULL. */
DWORD creds_from_strings(const char *user, const char *password,
                         const char *domain, struct mpr_creds *out);

/* Deep copy. */
DWORD creds_copy(const struct mpr_creds *src, struct mpr_creds *dst);

/* Wipe (explicit_bzero) and free every field; leaves *c all NULL. */
void creds_clear(struct mpr_creds *c);

#endif
