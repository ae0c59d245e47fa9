/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ndr.c - NDR 2.0 little-endian primitives: bounded reader, checked writer. */
#include <config.h>

#include <string.h>

#include "ndr_priv.h"

/* ---- Reader ---- */

void ndr_reader_init(struct ndr_reader *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = buf ? len : 0;
    r->off = 0;
    r->err = NO_ERROR;
}

static DWORD ndr_reader_fail(struct ndr_reader *r)
{
    if (r->err == NO_ERROR)
        r->err = RPC_X_BAD_STUB_DATA;
    return r->err;
}

/* Bytes left; 0 once failed so every later read fails too. */
static size_t ndr_reader_left(const struct ndr_reader *r)
{
    return r->err == NO_ERROR ? r->len - r->off : 0;
}

DWORD ndr_get_align(struct ndr_reader *r, size_t n)
{
    size_t pad;

    if (r->err != NO_ERROR)
        return r->err;
    pad = (n - (r->off % n)) % n;
    if (pad > ndr_reader_left(r))
        return ndr_reader_fail(r);
    r->off += pad;
    return NO_ERROR;
}

DWORD ndr_get_bytes(struct ndr_reader *r, size_t n, const uint8_t **p)
{
    *p = NULL;
    if (r->err != NO_ERROR)
        return r->err;
    if (n > ndr_reader_left(r))
        return ndr_reader_fail(r);
    *p = r->buf + r->off;
    r->off += n;
    return NO_ERROR;
}

DWORD ndr_get_u8(struct ndr_reader *r, uint8_t *v)
{
    const uint8_t *p;

    *v = 0;
    if (ndr_get_bytes(r, 1, &p) != NO_ERROR)
        return r->err;
    *v = p[0];
    return NO_ERROR;
}

DWORD ndr_get_u16(struct ndr_reader *r, uint16_t *v)
{
    const uint8_t *p;

    *v = 0;
    ndr_get_align(r, 2);
    if (ndr_get_bytes(r, 2, &p) != NO_ERROR)
        return r->err;
    *v = (uint16_t)(p[0] | (p[1] << 8));
    return NO_ERROR;
}

DWORD ndr_get_u32(struct ndr_reader *r, uint32_t *v)
{
    const uint8_t *p;

    *v = 0;
    ndr_get_align(r, 4);
    if (ndr_get_bytes(r, 4, &p) != NO_ERROR)
        return r->err;
    *v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
    return NO_ERROR;
}

DWORD ndr_get_referent(struct ndr_reader *r, uint32_t *referent)
{
    /* NDR 2.0 pointers are 4 bytes (NDR64 would be 8; we only bind NDR). */
    return ndr_get_u32(r, referent);
}

DWORD ndr_get_conformant_bytes(struct ndr_reader *r, uint32_t limit,
                               const uint8_t **p, uint32_t *count)
{
    uint32_t max_count;

    *p = NULL;
    *count = 0;
    if (ndr_get_u32(r, &max_count) != NO_ERROR)
        return r->err;
    /* Check against what is left before trusting the count for anything. */
    if (max_count > limit || max_count > ndr_reader_left(r))
        return ndr_reader_fail(r);
    if (ndr_get_bytes(r, max_count, p) != NO_ERROR)
        return r->err;
    *count = max_count;
    return NO_ERROR;
}

DWORD ndr_get_wstring(struct ndr_reader *r, uint32_t limit,
                      const uint8_t **units, uint32_t *count)
{
    uint32_t max_count, offset, actual;
    const uint8_t *p;
    uint32_t i;

    *units = NULL;
    *count = 0;
    ndr_get_u32(r, &max_count);
    ndr_get_u32(r, &offset);
    if (ndr_get_u32(r, &actual) != NO_ERROR)
        return r->err;
    if (offset != 0 || actual == 0 || actual > max_count || max_count > limit)
        return ndr_reader_fail(r);
    if (actual > ndr_reader_left(r) / 2)
        return ndr_reader_fail(r);
    if (ndr_get_bytes(r, (size_t)actual * 2, &p) != NO_ERROR)
        return r->err;
    for (i = 0; i + 1 < actual; i++)
        if (p[2 * i] == 0 && p[2 * i + 1] == 0)
            return ndr_reader_fail(r);
    if (p[2 * (actual - 1)] != 0 || p[2 * (actual - 1) + 1] != 0)
        return ndr_reader_fail(r);
    *units = p;
    *count = actual;
    return NO_ERROR;
}

DWORD ndr_get_context_handle(struct ndr_reader *r,
                             uint8_t handle[NDR_CONTEXT_HANDLE_SIZE])
{
    const uint8_t *p;

    memset(handle, 0, NDR_CONTEXT_HANDLE_SIZE);
    ndr_get_align(r, 4);
    if (ndr_get_bytes(r, NDR_CONTEXT_HANDLE_SIZE, &p) != NO_ERROR)
        return r->err;
    memcpy(handle, p, NDR_CONTEXT_HANDLE_SIZE);
    return NO_ERROR;
}

DWORD ndr_reader_finish(const struct ndr_reader *r)
{
    if (r->err != NO_ERROR)
        return r->err;
    return r->off == r->len ? NO_ERROR : RPC_X_BAD_STUB_DATA;
}

/* ---- Writer ---- */

/* MIDL-generated clients start unique-pointer referents here and step by 4;
 * any nonzero value is valid, so we follow the same habit. */
#define NDR_FIRST_REFERENT 0x00020000u

void ndr_writer_init(struct ndr_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->off = 0;
    w->next_referent = NDR_FIRST_REFERENT;
    w->err = NO_ERROR;
}

static DWORD ndr_writer_fail(struct ndr_writer *w, DWORD code)
{
    if (w->err == NO_ERROR)
        w->err = code;
    return w->err;
}

/* Reserve n bytes; NULL (and the sticky error set) if they do not fit. */
static uint8_t *ndr_writer_take(struct ndr_writer *w, size_t n)
{
    uint8_t *p;

    if (w->err != NO_ERROR)
        return NULL;
    if (n > w->cap - w->off) {
        ndr_writer_fail(w, ERROR_INSUFFICIENT_BUFFER);
        return NULL;
    }
    p = w->buf + w->off;
    w->off += n;
    return p;
}

DWORD ndr_put_align(struct ndr_writer *w, size_t n)
{
    size_t pad;
    uint8_t *p;

    if (w->err != NO_ERROR)
        return w->err;
    pad = (n - (w->off % n)) % n;
    p = ndr_writer_take(w, pad);
    if (p == NULL)
        return w->err;
    memset(p, 0, pad);
    return NO_ERROR;
}

DWORD ndr_put_bytes(struct ndr_writer *w, const void *src, size_t n)
{
    uint8_t *p = ndr_writer_take(w, n);

    if (p == NULL)
        return w->err;
    if (n > 0)
        memcpy(p, src, n);
    return NO_ERROR;
}

DWORD ndr_put_u32(struct ndr_writer *w, uint32_t v)
{
    uint8_t *p;

    ndr_put_align(w, 4);
    p = ndr_writer_take(w, 4);
    if (p == NULL)
        return w->err;
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return NO_ERROR;
}

DWORD ndr_put_context_handle(struct ndr_writer *w,
                             const uint8_t handle[NDR_CONTEXT_HANDLE_SIZE])
{
    ndr_put_align(w, 4);
    return ndr_put_bytes(w, handle, NDR_CONTEXT_HANDLE_SIZE);
}

/*
 * Decode one code point of strict UTF-8 (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.  Returns the bytes used, 0 if invalid.
 */
static size_t ndr_utf8_decode(const unsigned char *s, uint32_t *cp)
{
    uint32_t c = s[0], min;
    size_t n, i;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        /* A NUL terminator here fails this test, so we never read past it. */
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* UTF-16 units for utf8 plus its NUL; 0 if the UTF-8 is invalid. */
static size_t ndr_utf16_units(const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t units = 1, used;
    uint32_t cp;

    while (*s) {
        used = ndr_utf8_decode(s, &cp);
        if (used == 0)
            return 0;
        units += cp >= 0x10000 ? 2 : 1;
        s += used;
    }
    return units;
}

static void ndr_put_unit(uint8_t *p, uint32_t unit)
{
    p[0] = (uint8_t)unit;
    p[1] = (uint8_t)(unit >> 8);
}

DWORD ndr_put_wstring(struct ndr_writer *w, const char *utf8,
                      uint32_t max_units)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t units, used;
    uint32_t cp;
    uint8_t *p;

    if (w->err != NO_ERROR)
        return w->err;
    if (utf8 == NULL)
        return ndr_writer_fail(w, ERROR_INVALID_PARAMETER);
    units = ndr_utf16_units(utf8);
    if (units == 0 || units > max_units)
        return ndr_writer_fail(w, ERROR_INVALID_PARAMETER);
    ndr_put_u32(w, (uint32_t)units); /* max_count */
    ndr_put_u32(w, 0);               /* offset */
    ndr_put_u32(w, (uint32_t)units); /* actual_count */
    p = ndr_writer_take(w, units * 2);
    if (p == NULL)
        return w->err;
    while (*s) {
        used = ndr_utf8_decode(s, &cp);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            ndr_put_unit(p, 0xD800 | (cp >> 10));
            ndr_put_unit(p + 2, 0xDC00 | (cp & 0x3FF));
            p += 4;
        } else {
            ndr_put_unit(p, cp);
            p += 2;
        }
        s += used;
    }
    ndr_put_unit(p, 0);
    return NO_ERROR;
}

DWORD ndr_put_unique_wstring(struct ndr_writer *w, const char *utf8,
                             uint32_t max_units)
{
    if (utf8 == NULL)
        return ndr_put_u32(w, 0);
    ndr_put_u32(w, w->next_referent);
    w->next_referent += 4;
    return ndr_put_wstring(w, utf8, max_units);
}

DWORD ndr_writer_finish(const struct ndr_writer *w, size_t *len)
{
    *len = w->err == NO_ERROR ? w->off : 0;
    return w->err;
}
