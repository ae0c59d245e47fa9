/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_creds.c - libFuzzer target for the smbclient auth-file parser, and
 * for the server-name and UTF-16 code that reads caller bytes.
 *
 * The input is (1) the text of an auth file for creds_parse_auth_text: on
 * success the fields must be NUL-terminated strings found in the input, on
 * failure every field NULL and the message one of the fixed forms (so it
 * can never carry a password); (2) UTF-8 for utf8_to_utf16, whose result
 * must round-trip; (3) UTF-16LE units for names_server_to_host and
 * names_server_key, whose results must be bounded and consistent.  Any
 * crash, leak or broken promise (abort) is a finding. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "creds_priv.h"
#include "names_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *s, const uint8_t *data, size_t size)
{
    size_t n;

    if (!s)
        return;
    n = strlen(s);
    /* A value is a piece of one line of the input. */
    if (n > size || memchr(s, '\n', n) || (n && !memmem(data, size, s, n)))
        abort();
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void fuzz_auth_text(const uint8_t *data, size_t size)
{
    struct mpr_creds c = {0};
    char err[128];
    DWORD rc;

    memset(err, 'X', sizeof(err));
    rc = creds_parse_auth_text((const char *)data, size, &c, err, sizeof(err));
    if (!memchr(err, '\0', sizeof(err)))
        abort();
    if (rc == NO_ERROR) {
        /* An identity: a user, or a cache alone. */
        if (!c.user && !c.ccache)
            abort();
        if (c.ccache && (c.user || c.password || c.domain))
            abort();
        check_field(c.user, data, size);
        check_field(c.password, data, size);
        check_field(c.domain, data, size);
        check_field(c.ccache, data, size);
        creds_clear(&c);
        if (c.user || c.password || c.domain || c.ccache)
            abort();
        return;
    }
    if (rc != ERROR_INVALID_DATA && rc != ERROR_NOT_ENOUGH_MEMORY)
        abort();
    if (c.user || c.password || c.domain || c.ccache)
        abort();
    if (rc == ERROR_INVALID_DATA && !starts_with(err, "line ") &&
        strcmp(err, "no username line") != 0 &&
        !starts_with(err, "username: ") && !starts_with(err, "a ccache "))
        abort();
}

static void fuzz_utf8(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *back;
    LPWSTR w;

    if (!s)
        return;
    memcpy(s, data, size);
    s[size] = '\0';
    w = utf8_to_utf16(s);
    if (w) {
        back = utf16_to_utf8(w);
        if (!back || strcmp(back, s) != 0)
            abort();
        free(back);
        free(w);
    }
    free(s);
}

static void fuzz_names(const uint8_t *data, size_t size)
{
    size_t n = size / 2, i;
    LPWSTR w = malloc((n + 1) * sizeof(WCHAR));
    char host[MPR_HOST_MAX + 3], key[MPR_HOST_MAX + 3];
    DWORD rh, rk;

    if (!w)
        return;
    for (i = 0; i < n; i++)
        w[i] = (WCHAR)(data[2 * i] | (data[2 * i + 1] << 8));
    w[n] = 0;
    rh = names_server_to_host(w, host, sizeof(host));
    rk = names_server_key(w, key, sizeof(key));
    /* Both accept exactly the same names. */
    if ((rh == NO_ERROR) != (rk == NO_ERROR))
        abort();
    if (rh == NO_ERROR) {
        size_t hl = strlen(host);
        if (hl == 0 || hl > MPR_HOST_MAX + 2)
            abort();
        for (i = 0; i < hl; i++)
            if (host[i] <= ' ' || host[i] > '~' || host[i] == '/' ||
                host[i] == '@' || host[i] == '\\')
                abort();
    } else if (rh != ERROR_INVALID_PARAMETER) {
        abort();
    }
    free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_auth_text(data, size);
    fuzz_utf8(data, size);
    fuzz_names(data, size);
    return 0;
}
