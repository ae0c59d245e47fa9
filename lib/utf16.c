/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf16.c - strict UTF-16LE <-> UTF-8.
 *
 * Strict because names end up in URLs and log lines: a lone surrogate, an
 * overlong or truncated UTF-8 sequence, or an encoded surrogate must not slip
 * through as something that later compares equal to a different name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names_priv.h"

size_t utf16_len(LPCWSTR w)
{
    size_t n = 0;

    if (!w)
        return 0;
    while (w[n])
        n++;
    return n;
}

/* Decode one code point at w[*i]; 0 on success, -1 on a lone surrogate. */
static int utf16_next(LPCWSTR w, size_t *i, uint32_t *cp)
{
    uint32_t u = w[*i];

    if (u >= 0xD800 && u <= 0xDBFF) {
        uint32_t lo = w[*i + 1]; /* the terminator stops us if absent */
        if (lo < 0xDC00 || lo > 0xDFFF)
            return -1;
        *cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        *i += 2;
        return 0;
    }
    if (u >= 0xDC00 && u <= 0xDFFF)
        return -1;
    *cp = u;
    *i += 1;
    return 0;
}

static size_t utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;

    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

char *utf16_to_utf8(LPCWSTR w)
{
    size_t n, i = 0, o = 0;
    char *out;
    uint32_t cp;

    if (!w)
        return NULL;
    n = utf16_len(w);
    /* Each UTF-16 unit yields at most 3 bytes (a pair yields 4 for 2). */
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    while (i < n) {
        if (utf16_next(w, &i, &cp) != 0) {
            free(out);
            return NULL;
        }
        o += utf8_put(cp, out + o);
    }
    out[o] = '\0';
    return out;
}

/* Decode one UTF-8 sequence at s; returns its length, 0 if invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    size_t len, k;
    uint32_t c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 (always overlong), F5..FF */
    }
    for (k = 1; k < len; k++) {
        /* The NUL terminator fails this test, so we never read past it. */
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

LPWSTR utf8_to_utf16(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, o = 0, step;
    LPWSTR out;
    uint32_t cp;

    if (!s)
        return NULL;
    n = strlen(s);
    /* At most one unit per byte (4 bytes -> 2 units). */
    if (n >= SIZE_MAX / sizeof(WCHAR))
        return NULL;
    out = malloc((n + 1) * sizeof(WCHAR));
    if (!out)
        return NULL;
    while (*p) {
        step = utf8_next(p, &cp);
        if (step == 0) {
            free(out);
            return NULL;
        }
        p += step;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (WCHAR)(0xD800 + (cp >> 10));
            out[o++] = (WCHAR)(0xDC00 + (cp & 0x3FF));
        } else {
            out[o++] = (WCHAR)cp;
        }
    }
    out[o] = 0;
    return out;
}
