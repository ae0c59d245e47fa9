/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_json.c - json_escape: what mprmon-probe --json writes for strings.
 * Every result is also fed to Python's strict JSON reader when it is there,
 * so the expectations are not only our own reading of RFC 8259. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static void expect_escape(const char *in, const char *want)
{
    char out[256];
    size_t n = json_escape(in, out, sizeof(out));

    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(n, strlen(want));
}

START_TEST(test_plain)
{
    expect_escape("", "\"\"");
    expect_escape("vpn-gw-1", "\"vpn-gw-1\"");
    expect_escape(NULL, "null");
}
END_TEST

START_TEST(test_quotes_and_backslashes)
{
    expect_escape("a\"b", "\"a\\\"b\"");
    expect_escape("\\\\server", "\"\\\\\\\\server\"");
    expect_escape("/", "\"/\"");
}
END_TEST

START_TEST(test_controls)
{
    expect_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    expect_escape("\x01\x1f", "\"\\u0001\\u001f\"");
    expect_escape("x\x7fy", "\"x\\u007fy\"");
}
END_TEST

START_TEST(test_utf8_kept)
{
    /* é, €, U+1F600: valid sequences pass through unchanged. */
    expect_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}
END_TEST

START_TEST(test_bad_utf8_replaced)
{
    /* A lone continuation byte, a truncated sequence, an overlong '/', an
     * encoded surrogate, a value above U+10FFFF, a 0xFF byte. */
    expect_escape("a\x80z", "\"a\\ufffdz\"");
    expect_escape("a\xe2\x82", "\"a\\ufffd\\ufffd\"");
    expect_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    expect_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    expect_escape("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    expect_escape("\xff", "\"\\ufffd\"");
}
END_TEST

START_TEST(test_truncation_like_snprintf)
{
    char out[6];
    size_t n = json_escape("abcdefgh", out, sizeof(out));

    ck_assert_uint_eq(n, 10);
    ck_assert_str_eq(out, "\"abcd");
    /* Size 0: nothing written, the length still told. */
    ck_assert_uint_eq(json_escape("a\"", NULL, 0), 5);
    /* Size 1: just the NUL. */
    out[0] = 'x';
    json_escape("abc", out, 1);
    ck_assert_str_eq(out, "");
}
END_TEST

/* Python's json module, strict: the literal of every byte 1..255 as a
 * one-character string, and a mixed string, must parse. */
START_TEST(test_python_reads_it)
{
    const char *py = getenv("PYTHON3_SYSTEM");
    char lit[1200], cmd[1400];
    char all[256];
    FILE *p;

    if (!py || !*py)
        py = "/usr/bin/python3";
    snprintf(cmd, sizeof(cmd), "%s -c 'import sys' 2>/dev/null", py);
    if (system(cmd) != 0) {
        fprintf(stderr, "check_json: no %s, Python cross-check skipped\n", py);
        return;
    }
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    ck_assert_uint_lt(json_escape(all, lit, sizeof(lit)), sizeof(lit));
    snprintf(cmd, sizeof(cmd),
             "%s -c 'import json,sys; s=json.loads(sys.stdin.read()); "
             "sys.exit(0 if len(s)==255 else 1)'",
             py);
    p = popen(cmd, "w");
    ck_assert_ptr_nonnull(p);
    fputs(lit, p);
    ck_assert_int_eq(pclose(p), 0);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("escape");

    tcase_add_test(tc, test_plain);
    tcase_add_test(tc, test_quotes_and_backslashes);
    tcase_add_test(tc, test_controls);
    tcase_add_test(tc, test_utf8_kept);
    tcase_add_test(tc, test_bad_utf8_replaced);
    tcase_add_test(tc, test_truncation_like_snprintf);
    tcase_add_test(tc, test_python_reads_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
