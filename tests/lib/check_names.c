/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_names.c - UTF-16 <-> UTF-8 and server-name parsing. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "names_priv.h"

/* Widen ASCII/Latin-1 bytes into UTF-16 without going through the code under
 * test, so a bug there cannot hide itself. */
static LPWSTR widen(const char *s)
{
    size_t n = strlen(s), i;
    LPWSTR w = calloc(n + 1, sizeof(WCHAR));

    ck_assert_ptr_nonnull(w);
    for (i = 0; i < n; i++)
        w[i] = (unsigned char)s[i];
    return w;
}

/* ---- UTF-16 <-> UTF-8 ---- */

START_TEST(test_utf16_roundtrip)
{
    /* "aé€😀" : 1, 2, 3 and 4 UTF-8 bytes; the emoji is a surrogate pair. */
    static const WCHAR w[] = {0x61, 0xE9, 0x20AC, 0xD83D, 0xDE00, 0};
    static const char u[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    char *s = utf16_to_utf8(w);
    LPWSTR back;

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, u);
    back = utf8_to_utf16(u);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(utf16_len(back), 5);
    ck_assert_mem_eq(back, w, sizeof(w));
    free(s);
    free(back);
}
END_TEST

START_TEST(test_utf16_empty_and_null)
{
    static const WCHAR empty[] = {0};
    char *s = utf16_to_utf8(empty);
    LPWSTR w = utf8_to_utf16("");

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "");
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w[0], 0);
    ck_assert_ptr_null(utf16_to_utf8(NULL));
    ck_assert_ptr_null(utf8_to_utf16(NULL));
    ck_assert_uint_eq(utf16_len(NULL), 0);
    free(s);
    free(w);
}
END_TEST

/* Lone or reversed surrogates are not UTF-16 text. */
static const WCHAR bad_utf16[][4] = {
    {0xD800, 0},         /* high at the end */
    {0xD800, 0x41, 0},   /* high then a letter */
    {0xDC00, 0},         /* lone low */
    {0xDC00, 0xD800, 0}, /* reversed pair */
    {0x41, 0xDFFF, 0},   /* low after a letter */
    {0xDBFF, 0xDBFF, 0}, /* two highs */
};

START_TEST(test_utf16_bad)
{
    ck_assert_ptr_null(utf16_to_utf8(bad_utf16[_i]));
}
END_TEST

static const char *const bad_utf8[] = {
    "\x80",             /* lone continuation */
    "\xC0\xAF",         /* overlong '/' */
    "\xC1\xBF",         /* overlong */
    "\xE0\x80\xAF",     /* overlong 3-byte */
    "\xF0\x80\x80\xAF", /* overlong 4-byte */
    "\xED\xA0\x80",     /* encoded high surrogate */
    "\xED\xBF\xBF",     /* encoded low surrogate */
    "\xF4\x90\x80\x80", /* > U+10FFFF */
    "\xF5\x80\x80\x80", /* invalid lead */
    "\xFF",             /* invalid byte */
    "\xC3",             /* truncated 2-byte */
    "\xE2\x82",         /* truncated 3-byte */
    "a\xE2\x82"
    "b", /* bad continuation mid-string */
};

START_TEST(test_utf8_bad)
{
    ck_assert_ptr_null(utf8_to_utf16(bad_utf8[_i]));
}
END_TEST

START_TEST(test_utf8_limits)
{
    /* U+007F, U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF */
    LPWSTR w = utf8_to_utf16("\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF"
                             "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
    static const WCHAR want[] = {0x7F,   0x80,   0x7FF,  0x800,  0xFFFF,
                                 0xD800, 0xDC00, 0xDBFF, 0xDFFF, 0};

    ck_assert_ptr_nonnull(w);
    ck_assert_mem_eq(w, want, sizeof(want));
    free(w);
}
END_TEST

/* ---- names_server_to_host / names_server_key ---- */

struct name_case {
    const char *in;   /* NULL = a NULL pointer */
    const char *host; /* expected host, NULL = ERROR_INVALID_PARAMETER */
    const char *key;  /* expected key when valid */
};

static const struct name_case name_cases[] = {
    {NULL, "127.0.0.1", ""},
    {"", "127.0.0.1", ""},
    {"router1", "router1", "router1"},
    {"\\\\ROUTER1", "ROUTER1", "router1"},
    {"\\Router1", "Router1", "router1"},
    {"rras.example.com", "rras.example.com", "rras.example.com"},
    {"\\\\RRAS.Example.COM", "RRAS.Example.COM", "rras.example.com"},
    {"rras.example.com.", "rras.example.com.", "rras.example.com."},
    {"my_host-2", "my_host-2", "my_host-2"},
    {"10.0.0.1", "10.0.0.1", "10.0.0.1"},
    {"\\\\192.168.1.254", "192.168.1.254", "192.168.1.254"},
    {"::1", "[::1]", "::1"},
    {"\\\\fe80::1", "[fe80::1]", "fe80::1"},
    {"2001:DB8::A", "[2001:DB8::A]", "2001:db8::a"},
    {"[2001:db8::1]", "[2001:db8::1]", "2001:db8::1"},
    {"::ffff:10.1.2.3", "[::ffff:10.1.2.3]", "::ffff:10.1.2.3"},
    {"3com", "3com", "3com"},
    /* refused */
    {"\\\\", NULL, NULL},
    {"\\", NULL, NULL},
    {"\\\\\\host", NULL, NULL},
    {"ho\\st", NULL, NULL},
    {"my host", NULL, NULL},
    {" host", NULL, NULL},
    {"host ", NULL, NULL},
    {"host\t", NULL, NULL},
    {"ho\nst", NULL, NULL},
    {"a/b", NULL, NULL},
    {"user@host", NULL, NULL},
    {"host:445", NULL, NULL},
    {"host%20", NULL, NULL},
    {"host?x", NULL, NULL},
    {"host#x", NULL, NULL},
    {"a..b", NULL, NULL},
    {".host", NULL, NULL},
    {"..", NULL, NULL},
    {".", NULL, NULL},
    {"-host", NULL, NULL},
    {"a.-b", NULL, NULL},
    {"10.0.0", NULL, NULL},
    {"10.0.0.256", NULL, NULL},
    {"999.1.1.1", NULL, NULL},
    {"12345", NULL, NULL},
    {"0x7f000001", NULL, NULL},
    {"1.2.3.4.5", NULL, NULL},
    {"fe80::1%eth0", NULL, NULL},
    {"[::1", NULL, NULL},
    {"::1]", NULL, NULL},
    {"[]", NULL, NULL},
    {"[host]", NULL, NULL},
    {"1:2:3", NULL, NULL},
    {"caf\xE9", NULL, NULL}, /* non-ASCII (U+00E9) */
    {"smb://host", NULL, NULL},
    {"localhost.123", NULL, NULL},
    {"0177.0.0.1", NULL, NULL},
};

START_TEST(test_server_names)
{
    const struct name_case *c = &name_cases[_i];
    LPWSTR w = c->in ? widen(c->in) : NULL;
    char host[MPR_HOST_MAX + 3], key[MPR_HOST_MAX + 3];
    DWORD rc_host = names_server_to_host(w, host, sizeof(host));
    DWORD rc_key = names_server_key(w, key, sizeof(key));
    const char *why = "unset", *pub_why = "unset";
    DWORD rc_check = names_check(w, &why);

    /* The check a configuration loader runs is the same grammar, with a
     * reason for each refusal; the public one takes the UTF-8 text. */
    ck_assert_uint_eq(rc_check, rc_host);
    ck_assert(rc_check == NO_ERROR ? why == NULL : why != NULL);
    if (c->in) {
        ck_assert_uint_eq(MprmonCheckServerName(c->in, &pub_why), rc_host);
        ck_assert(rc_host == NO_ERROR ? pub_why == NULL
                                      : pub_why != NULL && pub_why[0]);
    }
    if (c->host) {
        ck_assert_msg(rc_host == NO_ERROR, "'%s': host rc %u", c->in, rc_host);
        ck_assert_str_eq(host, c->host);
        ck_assert_msg(rc_key == NO_ERROR, "'%s': key rc %u", c->in, rc_key);
        ck_assert_str_eq(key, c->key);
    } else {
        ck_assert_msg(rc_host == ERROR_INVALID_PARAMETER,
                      "'%s' accepted as host '%s' (rc %u)", c->in, host,
                      rc_host);
        ck_assert_uint_eq(rc_key, ERROR_INVALID_PARAMETER);
        ck_assert_str_eq(host, "");
    }
    free(w);
}
END_TEST

static const WCHAR bad_name_units[][6] = {
    {'a', 0xD800, 0},        /* lone high surrogate */
    {0xDC00, 'a', 0},        /* lone low surrogate */
    {'a', 0x7F, 'b', 0},     /* DEL */
    {'a', 0x01, 0},          /* control */
    {'a', 0x2028, 0},        /* line separator */
    {'\\', '\\', 0xFF0F, 0}, /* fullwidth solidus */
};

START_TEST(test_server_names_bad_units)
{
    char host[MPR_HOST_MAX + 3];

    ck_assert_uint_eq(
        names_server_to_host(bad_name_units[_i], host, sizeof(host)),
        ERROR_INVALID_PARAMETER);
}
END_TEST

static LPWSTR make_name(size_t label_len, size_t labels)
{
    size_t n = labels * (label_len + 1), i, j, o = 0;
    LPWSTR w = calloc(n + 1, sizeof(WCHAR));

    ck_assert_ptr_nonnull(w);
    for (i = 0; i < labels; i++) {
        for (j = 0; j < label_len; j++)
            w[o++] = 'a';
        if (i + 1 < labels)
            w[o++] = '.';
    }
    w[o] = 0;
    return w;
}

START_TEST(test_server_name_lengths)
{
    char host[MPR_HOST_MAX + 3];
    LPWSTR w;

    /* 63-character label fits, 64 does not. */
    w = make_name(63, 1);
    ck_assert_uint_eq(names_server_to_host(w, host, sizeof(host)), NO_ERROR);
    ck_assert_uint_eq(strlen(host), 63);
    free(w);
    w = make_name(64, 1);
    ck_assert_uint_eq(names_server_to_host(w, host, sizeof(host)),
                      ERROR_INVALID_PARAMETER);
    free(w);
    /* 4 x 63 + 3 dots = 255 > 253. */
    w = make_name(63, 4);
    ck_assert_uint_eq(names_server_to_host(w, host, sizeof(host)),
                      ERROR_INVALID_PARAMETER);
    free(w);
    /* 3 x 63 + 61 + 3 dots = 253: the longest DNS name. */
    w = make_name(63, 4);
    w[253] = 0;
    ck_assert_uint_eq(names_server_to_host(w, host, sizeof(host)), NO_ERROR);
    ck_assert_uint_eq(strlen(host), 253);
    free(w);
    /* Far longer than any host: refused, not truncated. */
    w = make_name(10, 400);
    ck_assert_uint_eq(names_server_to_host(w, host, sizeof(host)),
                      ERROR_INVALID_PARAMETER);
    free(w);
}
END_TEST

START_TEST(test_server_name_small_buffers)
{
    LPWSTR w = widen("::1");
    char small[6];

    /* "[::1]" needs 6 bytes with its NUL. */
    ck_assert_uint_eq(names_server_to_host(w, small, 5),
                      ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(names_server_to_host(w, small, sizeof(small)), NO_ERROR);
    ck_assert_str_eq(small, "[::1]");
    ck_assert_uint_eq(names_server_key(w, small, 3), ERROR_INSUFFICIENT_BUFFER);
    free(w);
}
END_TEST

START_TEST(test_server_name_bad_args)
{
    LPWSTR w = widen("host");

    ck_assert_uint_eq(names_server_to_host(w, NULL, 10),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(names_server_key(w, NULL, 10), ERROR_INVALID_PARAMETER);
    free(w);
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("utf16");

    tcase_add_test(tc, test_utf16_roundtrip);
    tcase_add_test(tc, test_utf16_empty_and_null);
    tcase_add_loop_test(tc, test_utf16_bad, 0,
                        sizeof(bad_utf16) / sizeof(bad_utf16[0]));
    tcase_add_loop_test(tc, test_utf8_bad, 0,
                        sizeof(bad_utf8) / sizeof(bad_utf8[0]));
    tcase_add_test(tc, test_utf8_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("server");
    tcase_add_loop_test(tc, test_server_names, 0,
                        sizeof(name_cases) / sizeof(name_cases[0]));
    tcase_add_loop_test(tc, test_server_names_bad_units, 0,
                        sizeof(bad_name_units) / sizeof(bad_name_units[0]));
    tcase_add_test(tc, test_server_name_lengths);
    tcase_add_test(tc, test_server_name_small_buffers);
    tcase_add_test(tc, test_server_name_bad_args);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(names_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
