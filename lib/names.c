/* SPDX-License-Identifier: GPL-3.0-or-later */
/* names.c - lpwsServerName -> a host for an smb:// URL, and a settings key.
 *
 * The host is pasted into a URL and handed to name resolution, so only what a
 * host name can be gets through: ASCII letters, digits, '-', '_' and '.'
 * (DNS and NetBIOS names), an IPv4 dotted quad, or an IPv6 literal.  Non-ASCII
 * names are refused rather than guessed at (DNS would need IDNA, NetBIOS a
 * code page), so no byte needs URL escaping.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "names_priv.h"

static const char names_local_host[] = "127.0.0.1";

static int names_is_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static int names_is_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A DNS or NetBIOS name: labels of 1..63 allowed characters, an optional
 * final dot, at most 253 characters without it.  NULL, or why not. */
static const char *names_hostname_problem(const char *s)
{
    size_t len = strlen(s), start = 0, i;
    const char *last = s;
    size_t last_len = 0;
    struct in_addr a;

    if (len > 0 && s[len - 1] == '.')
        len--;
    if (len == 0)
        return "the name is empty";
    if (len > 253)
        return "a host name is at most 253 characters";
    for (i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            size_t n = i - start;
            if (n == 0)
                return "a host name has no empty labels (\"..\")";
            if (n > 63)
                return "a label of a host name is at most 63 characters";
            if (s[start] == '-')
                return "a label of a host name does not start with '-'";
            last = s + start;
            last_len = n;
            start = i + 1;
        } else if (!names_is_label_char(s[i])) {
            return "a host name has only letters, digits, '-', '_' and dots";
        }
    }
    /* An all-digit last label is a mangled IPv4 address ("10.1.1",
     * "999.1.1.1", "12345"): resolvers would read some of these as numbers
     * (inet_aton), so refuse them instead of connecting somewhere surprising.
     * The same goes for inet_aton's hex forms ("0x7f000001"). */
    if (names_is_digits(last, last_len))
        return "its last label is all digits: neither a host name nor a "
               "valid IPv4 address";
    if (inet_aton(s, &a) != 0)
        return "not a dotted-decimal IPv4 address (hexadecimal and octal "
               "forms are refused)";
    return NULL;
}

/*
 * Validate lpwsServerName and copy the bare name (no leading backslashes, no
 * IPv6 brackets) into buf (MPR_HOST_MAX + 1 bytes).  *is_local is set for
 * NULL or "", *is_ipv6 for an IPv6 literal.
 */
static DWORD names_parse_why(LPCWSTR w, char *buf, int *is_local,
                             int *is_ipv6, const char **why)
{
    char raw[MPR_HOST_MAX + 1];
    size_t n = 0, i = 0, len;
    const char *p;
    struct in6_addr a6;
    struct in_addr a4;

    *is_local = 0;
    *is_ipv6 = 0;
    if (!w || w[0] == 0) {
        *is_local = 1;
        buf[0] = '\0';
        return NO_ERROR;
    }
    /* Windows callers write "\\\\server"; strip at most those two. */
    while (i < 2 && w[i] == '\\')
        i++;
    for (; w[i]; i++) {
        /* Not ASCII, or a control character: no host name has it.  Lone
         * surrogates (0xD800..0xDFFF) are caught here too. */
        if (w[i] < 0x21 || w[i] > 0x7E) {
            *why = "a server name is printable ASCII without blanks";
            return ERROR_INVALID_PARAMETER;
        }
        if (n == MPR_HOST_MAX) {
            *why = "the name is too long";
            return ERROR_INVALID_PARAMETER;
        }
        raw[n++] = (char)w[i];
    }
    raw[n] = '\0';
    if (n == 0) {
        *why = "the name is only backslashes";
        return ERROR_INVALID_PARAMETER;
    }

    p = raw;
    len = n;
    if (raw[0] == '[') {
        /* An already bracketed IPv6 literal, as in a URL. */
        if (len < 3 || raw[len - 1] != ']') {
            *why = "an IPv6 address in brackets needs the closing ']'";
            return ERROR_INVALID_PARAMETER;
        }
        raw[len - 1] = '\0';
        p = raw + 1;
        if (inet_pton(AF_INET6, p, &a6) != 1) {
            *why = "not a valid IPv6 address";
            return ERROR_INVALID_PARAMETER;
        }
        *is_ipv6 = 1;
    } else if (strchr(raw, ':')) {
        /* Zone ids ("fe80::1%eth0") are refused: inet_pton rejects them, and
         * they would need escaping in the URL. */
        if (inet_pton(AF_INET6, raw, &a6) != 1) {
            *why = "not a valid IPv6 address (zone ids are refused)";
            return ERROR_INVALID_PARAMETER;
        }
        *is_ipv6 = 1;
    } else if (inet_pton(AF_INET, raw, &a4) != 1 &&
               (*why = names_hostname_problem(raw)) != NULL) {
        return ERROR_INVALID_PARAMETER;
    }
    memmove(buf, p, strlen(p) + 1);
    return NO_ERROR;
}

static DWORD names_parse(LPCWSTR w, char *buf, int *is_local, int *is_ipv6)
{
    const char *why = NULL;

    return names_parse_why(w, buf, is_local, is_ipv6, &why);
}

DWORD names_check(LPCWSTR lpwsServerName, const char **why)
{
    char name[MPR_HOST_MAX + 1];
    int is_local, is_ipv6;

    *why = NULL;
    return names_parse_why(lpwsServerName, name, &is_local, &is_ipv6, why);
}

DWORD names_server_to_host(LPCWSTR lpwsServerName, char *host, size_t hostlen)
{
    char name[MPR_HOST_MAX + 1];
    int is_local, is_ipv6;
    size_t need;
    DWORD rc;

    if (!host || hostlen == 0)
        return ERROR_INVALID_PARAMETER;
    host[0] = '\0';
    rc = names_parse(lpwsServerName, name, &is_local, &is_ipv6);
    if (rc != NO_ERROR)
        return rc;
    if (is_local) {
        if (hostlen < sizeof(names_local_host))
            return ERROR_INSUFFICIENT_BUFFER;
        memcpy(host, names_local_host, sizeof(names_local_host));
        return NO_ERROR;
    }
    need = strlen(name) + (is_ipv6 ? 2 : 0) + 1;
    if (hostlen < need)
        return ERROR_INSUFFICIENT_BUFFER;
    if (is_ipv6) {
        host[0] = '[';
        memcpy(host + 1, name, need - 3);
        host[need - 2] = ']';
        host[need - 1] = '\0';
    } else {
        memcpy(host, name, need);
    }
    return NO_ERROR;
}

DWORD names_server_key(LPCWSTR lpwsServerName, char *key, size_t keylen)
{
    char name[MPR_HOST_MAX + 1];
    int is_local, is_ipv6;
    size_t i, len;
    DWORD rc;

    if (!key || keylen == 0)
        return ERROR_INVALID_PARAMETER;
    key[0] = '\0';
    rc = names_parse(lpwsServerName, name, &is_local, &is_ipv6);
    if (rc != NO_ERROR)
        return rc;
    len = strlen(name);
    if (keylen < len + 1)
        return ERROR_INSUFFICIENT_BUFFER;
    /* Host names compare case-insensitively; IPv6 hex digits too. */
    for (i = 0; i <= len; i++)
        key[i] =
            (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] + 32) : name[i];
    return NO_ERROR;
}
