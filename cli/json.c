/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c - JSON string escaping for mprmon-probe --json.
 *
 * Server names come from the command line and texts from the library; any
 * of them may hold bytes that would break a JSON reader, so everything
 * written as a string goes through here (RFC 8259, section 7). */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mprapi.h"

struct json_out {
    char *buf;
    size_t size;
    size_t len; /* bytes wanted so far, may exceed size */
};

static void json_put(struct json_out *o, const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->size && o->len < o->size - 1)
            o->buf[o->len] = bytes[i];
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one:
 * overlong forms, surrogates and values above U+10FFFF are refused, as a
 * strict JSON reader would. */
static size_t json_utf8_len(const unsigned char *s)
{
    uint32_t cp, min;
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, cp = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, cp = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, cp = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        /* Stops at the NUL too: 0x00 is not a continuation byte. */
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t json_escape(const char *s, char *out, size_t outlen)
{
    struct json_out o = {out, outlen, 0};

    if (!s) {
        json_put(&o, "null", 4);
    } else {
        const unsigned char *p = (const unsigned char *)s;
        json_put(&o, "\"", 1);
        while (*p) {
            char esc[8];
            size_t n = json_utf8_len(p);
            if (n == 0) {
                json_put(&o, "\\ufffd", 6);
                p++;
                continue;
            }
            switch (*p) {
            case '"':
                json_put(&o, "\\\"", 2);
                break;
            case '\\':
                json_put(&o, "\\\\", 2);
                break;
            case '\b':
                json_put(&o, "\\b", 2);
                break;
            case '\f':
                json_put(&o, "\\f", 2);
                break;
            case '\n':
                json_put(&o, "\\n", 2);
                break;
            case '\r':
                json_put(&o, "\\r", 2);
                break;
            case '\t':
                json_put(&o, "\\t", 2);
                break;
            default:
                /* DEL is legal JSON but escaped so that a terminal showing
                 * the output cannot be steered by it. */
                if (*p < 0x20 || *p == 0x7F) {
                    snprintf(esc, sizeof(esc), "\\u%04x", *p);
                    json_put(&o, esc, 6);
                } else {
                    json_put(&o, (const char *)p, n);
                }
            }
            p += n;
        }
        json_put(&o, "\"", 1);
    }
    if (outlen)
        out[o.len < outlen ? o.len : outlen - 1] = '\0';
    return o.len;
}

void json_print_string(const char *s)
{
    char small[256];
    size_t need = json_escape(s, small, sizeof(small));
    char *big;

    if (need < sizeof(small)) {
        fputs(small, stdout);
        return;
    }
    big = malloc(need + 1);
    if (!big) {
        /* Still valid JSON, and says what happened. */
        fputs("\"(out of memory)\"", stdout);
        return;
    }
    json_escape(s, big, need + 1);
    fputs(big, stdout);
    free(big);
}

void json_print_code(DWORD code)
{
    printf("\"code\":%u,\"name\":", (unsigned)code);
    json_print_string(MprmonErrorName(code));
}
