/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_ndr.c - NDR reader and writer: byte vectors, hostile input. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndr_priv.h"
#include "vectors.h"

/* ---- Reader ---- */

START_TEST(test_read_scalars_little_endian_aligned)
{
    /* u8 01, pad to 2, u16 0x0302, u32 0x07060504 at offset 4. */
    static const uint8_t in[] = {0x01, 0xee, 0x02, 0x03,
                                 0x04, 0x05, 0x06, 0x07};
    struct ndr_reader r;
    uint8_t b;
    uint16_t s;
    uint32_t l;

    ndr_reader_init(&r, in, sizeof(in));
    ck_assert_uint_eq(ndr_get_u8(&r, &b), NO_ERROR);
    ck_assert_uint_eq(ndr_get_u16(&r, &s), NO_ERROR);
    ck_assert_uint_eq(ndr_get_u32(&r, &l), NO_ERROR);
    ck_assert_uint_eq(b, 0x01);
    ck_assert_uint_eq(s, 0x0302);
    ck_assert_uint_eq(l, 0x07060504u);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
}
END_TEST

START_TEST(test_read_u32_skips_padding)
{
    /* A u8 then a u32: three pad bytes whose value NDR leaves unspecified. */
    static const uint8_t in[] = {0x09, 0xbf, 0xbf, 0xbf,
                                 0x78, 0x56, 0x34, 0x12};
    struct ndr_reader r;
    uint8_t b;
    uint32_t l;

    ndr_reader_init(&r, in, sizeof(in));
    ndr_get_u8(&r, &b);
    ndr_get_u32(&r, &l);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_eq(l, 0x12345678u);
}
END_TEST

START_TEST(test_read_truncated_is_sticky)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    struct ndr_reader r;
    uint32_t a, b;
    uint8_t c;

    ndr_reader_init(&r, in, sizeof(in));
    ck_assert_uint_eq(ndr_get_u32(&r, &a), NO_ERROR);
    ck_assert_uint_eq(ndr_get_u32(&r, &b), RPC_X_BAD_STUB_DATA);
    ck_assert_uint_eq(b, 0);
    /* Bytes remain, but after a failure nothing more is read. */
    ck_assert_uint_eq(ndr_get_u8(&r, &c), RPC_X_BAD_STUB_DATA);
    ck_assert_uint_eq(c, 0);
    ck_assert_uint_eq(ndr_reader_finish(&r), RPC_X_BAD_STUB_DATA);
}
END_TEST

START_TEST(test_read_align_past_end)
{
    static const uint8_t in[] = {0x01, 0x02};
    struct ndr_reader r;
    uint8_t c;

    ndr_reader_init(&r, in, sizeof(in));
    ndr_get_u8(&r, &c);
    ck_assert_uint_eq(ndr_get_align(&r, 4), RPC_X_BAD_STUB_DATA);
}
END_TEST

START_TEST(test_read_empty_and_null_buffer)
{
    struct ndr_reader r;
    uint32_t v;

    ndr_reader_init(&r, NULL, 100);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_eq(ndr_get_u32(&r, &v), RPC_X_BAD_STUB_DATA);
}
END_TEST

START_TEST(test_read_trailing_bytes_rejected)
{
    static const uint8_t in[] = {0x01, 0x00, 0x00, 0x00, 0x00};
    struct ndr_reader r;
    uint32_t v;

    ndr_reader_init(&r, in, sizeof(in));
    ck_assert_uint_eq(ndr_get_u32(&r, &v), NO_ERROR);
    ck_assert_uint_eq(ndr_reader_finish(&r), RPC_X_BAD_STUB_DATA);
}
END_TEST

START_TEST(test_read_referent)
{
    uint8_t in[8];
    size_t n = hex_to_bytes("0000020000000000", in, sizeof(in));
    struct ndr_reader r;
    uint32_t a, b;

    ndr_reader_init(&r, in, n);
    ndr_get_referent(&r, &a);
    ndr_get_referent(&r, &b);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_eq(a, 0x00020000u);
    ck_assert_uint_eq(b, 0);
}
END_TEST

START_TEST(test_read_conformant_bytes)
{
    uint8_t in[16];
    size_t n = hex_to_bytes("03000000aabbcc", in, sizeof(in));
    struct ndr_reader r;
    const uint8_t *p;
    uint32_t count;

    ndr_reader_init(&r, in, n);
    ck_assert_uint_eq(ndr_get_conformant_bytes(&r, 16, &p, &count), NO_ERROR);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_eq(count, 3);
    ck_assert_ptr_eq(p, in + 4);
}
END_TEST

/* Hostile conformances: each must fail without reading past the input. */
static const char *const bad_conformant[] = {
    "ffffffff",       /* max_count huge, no data */
    "ffffffffaabbcc", /* max_count huge, a little data */
    "04000000aabbcc", /* one byte short */
    "11000000"
    "00000000000000000000000000000000"
    "00",     /* above limit 16 */
    "030000", /* truncated max_count */
};

START_TEST(test_read_conformant_bytes_hostile)
{
    uint8_t in[64];
    size_t n = hex_to_bytes(bad_conformant[_i], in, sizeof(in));
    struct ndr_reader r;
    const uint8_t *p = in;
    uint32_t count = 99;

    /* Copy to an exact-size heap block so valgrind sees any overread. */
    uint8_t *heap = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(heap);
    memcpy(heap, in, n);
    ndr_reader_init(&r, heap, n);
    ck_assert_uint_eq(ndr_get_conformant_bytes(&r, 16, &p, &count),
                      RPC_X_BAD_STUB_DATA);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(count, 0);
    free(heap);
}
END_TEST

START_TEST(test_read_wstring)
{
    /* max 3, offset 0, actual 3, "AB\0". */
    uint8_t in[32];
    size_t n =
        hex_to_bytes("030000000000000003000000410042000000", in, sizeof(in));
    struct ndr_reader r;
    const uint8_t *units;
    uint32_t count;

    ndr_reader_init(&r, in, n);
    ck_assert_uint_eq(ndr_get_wstring(&r, 10, &units, &count), NO_ERROR);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_eq(count, 3);
    ck_assert_ptr_eq(units, in + 12);
}
END_TEST

START_TEST(test_read_wstring_actual_below_max)
{
    /* A varying string may use fewer units than its conformance. */
    uint8_t in[32];
    size_t n = hex_to_bytes("0500000000000000020000004100"
                            "0000",
                            in, sizeof(in));
    struct ndr_reader r;
    const uint8_t *units;
    uint32_t count;

    ndr_reader_init(&r, in, n);
    ck_assert_uint_eq(ndr_get_wstring(&r, 10, &units, &count), NO_ERROR);
    ck_assert_uint_eq(count, 2);
}
END_TEST

static const char *const bad_wstring[] = {
    "030000000100000003000000410042000000", /* offset != 0 */
    "020000000000000003000000410042000000", /* actual > max */
    "000000000000000000000000",             /* actual 0: no NUL */
    "030000000000000003000000410042004300", /* no terminating NUL */
    "030000000000000003000000410000004300", /* NUL inside */
    "0b0000000000000003000000410042000000", /* max above limit 10 */
    "0300000000000000ffffffff4100",         /* actual huge */
    "03000000000000000300000041004200",     /* truncated data */
    "0300000000000000030000004100420000",   /* odd byte short */
    "03000000000000",                       /* truncated header */
};

START_TEST(test_read_wstring_hostile)
{
    uint8_t in[64];
    size_t n = hex_to_bytes(bad_wstring[_i], in, sizeof(in));
    uint8_t *heap = malloc(n ? n : 1);
    struct ndr_reader r;
    const uint8_t *units = in;
    uint32_t count = 99;

    ck_assert_ptr_nonnull(heap);
    memcpy(heap, in, n);
    ndr_reader_init(&r, heap, n);
    ck_assert_uint_eq(ndr_get_wstring(&r, 10, &units, &count),
                      RPC_X_BAD_STUB_DATA);
    ck_assert_ptr_null(units);
    ck_assert_uint_eq(count, 0);
    free(heap);
}
END_TEST

START_TEST(test_read_context_handle)
{
    uint8_t in[32], h[NDR_CONTEXT_HANDLE_SIZE];
    size_t n = hex_to_bytes("01"
                            "bfbfbf"
                            "000102030405060708090a0b0c0d0e0f10111213",
                            in, sizeof(in));
    struct ndr_reader r;
    uint8_t c;
    size_t i;

    ndr_reader_init(&r, in, n);
    ndr_get_u8(&r, &c);
    ck_assert_uint_eq(ndr_get_context_handle(&r, h), NO_ERROR);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    for (i = 0; i < sizeof(h); i++)
        ck_assert_uint_eq(h[i], i);

    ndr_reader_init(&r, in + 4, 19);
    ck_assert_uint_eq(ndr_get_context_handle(&r, h), RPC_X_BAD_STUB_DATA);
    for (i = 0; i < sizeof(h); i++)
        ck_assert_uint_eq(h[i], 0);
}
END_TEST

/* ---- Writer ---- */

START_TEST(test_write_u32_aligns_with_zeros)
{
    uint8_t buf[16];
    struct ndr_writer w;
    size_t len;

    memset(buf, 0xaa, sizeof(buf));
    ndr_writer_init(&w, buf, sizeof(buf));
    ndr_put_bytes(&w, "\x07", 1);
    ndr_put_u32(&w, 0x11223344u);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    assert_bytes(buf, len, "0700000044332211");
}
END_TEST

START_TEST(test_write_overflow_is_sticky)
{
    uint8_t buf[8];
    struct ndr_writer w;
    size_t len = 99;

    memset(buf, 0xaa, sizeof(buf));
    ndr_writer_init(&w, buf, 6);
    ck_assert_uint_eq(ndr_put_u32(&w, 1), NO_ERROR);
    ck_assert_uint_eq(ndr_put_u32(&w, 2), ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(ndr_put_bytes(&w, "x", 1), ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(len, 0);
    /* Nothing written beyond the capacity given. */
    ck_assert_uint_eq(buf[6], 0xaa);
    ck_assert_uint_eq(buf[7], 0xaa);
}
END_TEST

START_TEST(test_write_null_buffer)
{
    struct ndr_writer w;
    size_t len;

    ndr_writer_init(&w, NULL, 64);
    ndr_put_u32(&w, 1);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

START_TEST(test_write_context_handle)
{
    uint8_t h[NDR_CONTEXT_HANDLE_SIZE], buf[32];
    struct ndr_writer w;
    size_t len, i;

    for (i = 0; i < sizeof(h); i++)
        h[i] = (uint8_t)(0xc0 + i);
    ndr_writer_init(&w, buf, sizeof(buf));
    ndr_put_bytes(&w, "\x01\x02", 2);
    ndr_put_context_handle(&w, h);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    assert_bytes(buf, len, "01020000c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3");
}
END_TEST

/*
 * The unique string vectors below come from impacket 0.10
 * (ROpenSCManagerW's lpMachineName, printed with getData().hex()), with its
 * random referent id replaced by ours and its 0xbf pad bytes by zeros.
 */
START_TEST(test_write_unique_wstring_ascii)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t len;

    ndr_writer_init(&w, buf, sizeof(buf));
    ndr_put_unique_wstring(&w, "DUMMY", 100);
    ndr_put_u32(&w, 1);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    assert_bytes(buf, len,
                 "00000200"
                 "06000000"
                 "00000000"
                 "06000000"
                 "440055004d004d0059000000"
                 "01000000");
}
END_TEST

START_TEST(test_write_unique_wstring_surrogates)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t len;

    ndr_writer_init(&w, buf, sizeof(buf));
    /* h, U+00E9, U+1F600 (a surrogate pair), NUL: five units. */
    ndr_put_unique_wstring(&w, "h\xc3\xa9\xf0\x9f\x98\x80", 100);
    ndr_put_unique_wstring(&w, NULL, 100);
    ndr_put_u32(&w, 1);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    assert_bytes(buf, len,
                 "00000200050000000000000005000000"
                 "6800e9003dd800de00000000"
                 "00000000"
                 "01000000");
}
END_TEST

START_TEST(test_write_referents_distinct)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t len;
    uint32_t a, b;

    ndr_writer_init(&w, buf, sizeof(buf));
    ndr_put_unique_wstring(&w, "a", 10);
    ndr_put_unique_wstring(&w, "b", 10);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    memcpy(&a, buf, 4);
    memcpy(&b, buf + 20, 4);
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_ne(b, 0);
    ck_assert_uint_ne(a, b);
}
END_TEST

START_TEST(test_write_wstring_limit)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t len;

    /* "abc" is four units with its NUL: a limit of 4 fits, 3 does not. */
    ndr_writer_init(&w, buf, sizeof(buf));
    ck_assert_uint_eq(ndr_put_wstring(&w, "abc", 4), NO_ERROR);
    ndr_writer_init(&w, buf, sizeof(buf));
    ck_assert_uint_eq(ndr_put_wstring(&w, "abc", 3), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), ERROR_INVALID_PARAMETER);
    /* A surrogate pair counts as two units. */
    ndr_writer_init(&w, buf, sizeof(buf));
    ck_assert_uint_eq(ndr_put_wstring(&w, "\xf0\x9f\x98\x80", 2),
                      ERROR_INVALID_PARAMETER);
    ndr_writer_init(&w, buf, sizeof(buf));
    ck_assert_uint_eq(ndr_put_wstring(&w, NULL, 10), ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_write_wstring_overflow)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t cap;

    /* "abc" takes 12 + 8 bytes; every smaller capacity must fail. */
    for (cap = 0; cap < 20; cap++) {
        ndr_writer_init(&w, buf, cap);
        ck_assert_uint_eq(ndr_put_wstring(&w, "abc", 10),
                          ERROR_INSUFFICIENT_BUFFER);
    }
    ndr_writer_init(&w, buf, 20);
    ck_assert_uint_eq(ndr_put_wstring(&w, "abc", 10), NO_ERROR);
}
END_TEST

static const char *const bad_utf8[] = {
    "\x80",             /* lone continuation byte */
    "\xc0\x80",         /* overlong NUL */
    "\xe0\x80\xaf",     /* overlong '/' */
    "\xed\xa0\x80",     /* UTF-16 surrogate D800 */
    "\xf4\x90\x80\x80", /* above U+10FFFF */
    "\xe2\x82",         /* truncated sequence */
    "ab\xff",           /* invalid lead byte */
    "\xf8\x88\x80\x80\x80",
};

START_TEST(test_write_wstring_bad_utf8)
{
    uint8_t buf[64];
    struct ndr_writer w;
    size_t len;

    ndr_writer_init(&w, buf, sizeof(buf));
    ck_assert_uint_eq(ndr_put_unique_wstring(&w, bad_utf8[_i], 100),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), ERROR_INVALID_PARAMETER);
}
END_TEST

/* What the writer encodes, the reader decodes back to the same units. */
START_TEST(test_roundtrip_wstring)
{
    uint8_t buf[64];
    struct ndr_writer w;
    struct ndr_reader r;
    const uint8_t *units;
    uint32_t count, ref;
    size_t len;

    ndr_writer_init(&w, buf, sizeof(buf));
    ndr_put_unique_wstring(&w, "x\xe2\x82\xac", 10); /* x, U+20AC */
    ck_assert_uint_eq(ndr_writer_finish(&w, &len), NO_ERROR);
    ndr_reader_init(&r, buf, len);
    ndr_get_referent(&r, &ref);
    ndr_get_wstring(&r, 10, &units, &count);
    ck_assert_uint_eq(ndr_reader_finish(&r), NO_ERROR);
    ck_assert_uint_ne(ref, 0);
    ck_assert_uint_eq(count, 3);
    ck_assert_mem_eq(units, "x\0\xac\x20\0\0", 6);
}
END_TEST

static Suite *ndr_suite(void)
{
    Suite *s = suite_create("ndr");
    TCase *tr = tcase_create("reader");
    TCase *tw = tcase_create("writer");

    tcase_add_test(tr, test_read_scalars_little_endian_aligned);
    tcase_add_test(tr, test_read_u32_skips_padding);
    tcase_add_test(tr, test_read_truncated_is_sticky);
    tcase_add_test(tr, test_read_align_past_end);
    tcase_add_test(tr, test_read_empty_and_null_buffer);
    tcase_add_test(tr, test_read_trailing_bytes_rejected);
    tcase_add_test(tr, test_read_referent);
    tcase_add_test(tr, test_read_conformant_bytes);
    tcase_add_loop_test(tr, test_read_conformant_bytes_hostile, 0,
                        sizeof(bad_conformant) / sizeof(bad_conformant[0]));
    tcase_add_test(tr, test_read_wstring);
    tcase_add_test(tr, test_read_wstring_actual_below_max);
    tcase_add_loop_test(tr, test_read_wstring_hostile, 0,
                        sizeof(bad_wstring) / sizeof(bad_wstring[0]));
    tcase_add_test(tr, test_read_context_handle);
    suite_add_tcase(s, tr);

    tcase_add_test(tw, test_write_u32_aligns_with_zeros);
    tcase_add_test(tw, test_write_overflow_is_sticky);
    tcase_add_test(tw, test_write_null_buffer);
    tcase_add_test(tw, test_write_context_handle);
    tcase_add_test(tw, test_write_unique_wstring_ascii);
    tcase_add_test(tw, test_write_unique_wstring_surrogates);
    tcase_add_test(tw, test_write_referents_distinct);
    tcase_add_test(tw, test_write_wstring_limit);
    tcase_add_test(tw, test_write_wstring_overflow);
    tcase_add_loop_test(tw, test_write_wstring_bad_utf8, 0,
                        sizeof(bad_utf8) / sizeof(bad_utf8[0]));
    tcase_add_test(tw, test_roundtrip_wstring);
    suite_add_tcase(s, tw);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ndr_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
