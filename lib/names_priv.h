/* SPDX-License-Identifier: GPL-3.0-or-later */
/* names_priv.h - server names: UTF-16 from the caller to a host for SMB. */
#ifndef MPRMON_NAMES_PRIV_H
#define MPRMON_NAMES_PRIV_H

#include <stddef.h>
#include "mprapi.h"

/* Longest host we accept, in bytes of UTF-8 (DNS names are <= 253). */
#define MPR_HOST_MAX 255

/*
 * Turn lpwsServerName into a host string suitable for an smb:// URL:
 * NULL or "" -> "127.0.0.1"; leading "\\\\" stripped; IPv6 literals
 * bracketed ("[::1]"); DNS names and IPv4 kept.  Bad UTF-16 (lone
 * surrogates), over-long names, or characters no host name has (spaces, '/',
 * '@', ':' outside IPv6, control characters) -> ERROR_INVALID_PARAMETER.
 * host must hold MPR_HOST_MAX + 3 bytes.
 */
DWORD names_server_to_host(LPCWSTR lpwsServerName, char *host, size_t hostlen);

/* Would the two calls above take the name?  NO_ERROR, or
 * ERROR_INVALID_PARAMETER with a static reason in *why. */
DWORD names_check(LPCWSTR lpwsServerName, const char **why);

/* The server name as a settings-store key: UTF-8, backslashes stripped,
 * lower-cased ASCII.  "" for the local machine.  Same errors as above. */
DWORD names_server_key(LPCWSTR lpwsServerName, char *key, size_t keylen);

/* UTF-16 <-> UTF-8, strict (lone surrogates and overlong forms rejected).
 * Return malloc'd strings, NULL on invalid input or no memory. */
char *utf16_to_utf8(LPCWSTR w);
LPWSTR utf8_to_utf16(const char *s);
size_t utf16_len(LPCWSTR w);

#endif
