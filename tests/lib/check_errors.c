/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_errors.c - code -> name and text tables. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mprapi.h"

/*
 * Expected names and texts, written out independently of lib/errors.c from
 * Microsoft's "System Error Codes" pages (winerror.h) and routeerr.h.
 */
static const struct {
    DWORD code;
    const char *name;
    const char *text;
} want[] = {
    {0, "NO_ERROR", "The operation completed successfully."},
    {2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified."},
    {4, "ERROR_TOO_MANY_OPEN_FILES", "The system cannot open the file."},
    {5, "ERROR_ACCESS_DENIED", "Access is denied."},
    {6, "ERROR_INVALID_HANDLE", "The handle is invalid."},
    {8, "ERROR_NOT_ENOUGH_MEMORY",
     "Not enough memory resources are available to process this command."},
    {13, "ERROR_INVALID_DATA", "The data is invalid."},
    {50, "ERROR_NOT_SUPPORTED", "The request is not supported."},
    {87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect."},
    {122, "ERROR_INSUFFICIENT_BUFFER",
     "The data area passed to a system call is too small."},
    {124, "ERROR_INVALID_LEVEL", "The system call level is not correct."},
    {900, "ERROR_ROUTER_STOPPED", "The router is not running."},
    {1060, "ERROR_SERVICE_DOES_NOT_EXIST",
     "The specified service does not exist as an installed service."},
    {1062, "ERROR_SERVICE_NOT_ACTIVE", "The service has not been started."},
    {1326, "ERROR_LOGON_FAILURE", "The user name or password is incorrect."},
    {1460, "ERROR_TIMEOUT",
     "This operation returned because the timeout period expired."},
    {1702, "RPC_S_INVALID_BINDING", "The binding handle is invalid."},
    {1717, "RPC_S_UNKNOWN_IF", "The interface is unknown."},
    {1722, "RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable."},
    {1726, "RPC_S_CALL_FAILED", "The remote procedure call failed."},
    {1728, "RPC_S_PROTOCOL_ERROR",
     "A remote procedure call (RPC) protocol error occurred."},
    {1745, "RPC_S_PROCNUM_OUT_OF_RANGE",
     "The procedure number is out of range."},
    {1783, "RPC_X_BAD_STUB_DATA", "The stub received bad data."},
    {1818, "RPC_S_CALL_CANCELLED", "The remote procedure call was canceled."},
};

START_TEST(test_known_code)
{
    ck_assert_str_eq(MprmonErrorName(want[_i].code), want[_i].name);
    ck_assert_str_eq(MprmonErrorText(want[_i].code), want[_i].text);
}
END_TEST

/* Every code mprapi.h defines has an entry (the macros, not numbers, so a
 * code added to the header without a table entry fails here). */
START_TEST(test_header_codes_covered)
{
    static const DWORD codes[] = {
        NO_ERROR,
        ERROR_FILE_NOT_FOUND,
        ERROR_TOO_MANY_OPEN_FILES,
        ERROR_ACCESS_DENIED,
        ERROR_INVALID_HANDLE,
        ERROR_NOT_ENOUGH_MEMORY,
        ERROR_INVALID_DATA,
        ERROR_NOT_SUPPORTED,
        ERROR_INVALID_PARAMETER,
        ERROR_INSUFFICIENT_BUFFER,
        ERROR_INVALID_LEVEL,
        ERROR_SERVICE_DOES_NOT_EXIST,
        ERROR_SERVICE_NOT_ACTIVE,
        ERROR_LOGON_FAILURE,
        ERROR_TIMEOUT,
        RPC_S_INVALID_BINDING,
        RPC_S_UNKNOWN_IF,
        RPC_S_SERVER_UNAVAILABLE,
        RPC_S_CALL_FAILED,
        RPC_S_PROTOCOL_ERROR,
        RPC_S_PROCNUM_OUT_OF_RANGE,
        RPC_S_CALL_CANCELLED,
        RPC_X_BAD_STUB_DATA,
    };
    size_t i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        ck_assert_str_ne(MprmonErrorName(codes[i]), "UNKNOWN");
        ck_assert_str_ne(MprmonErrorText(codes[i]), "Unknown error.");
    }
}
END_TEST

/* The header's macros carry winerror.h's numbers (checked against
 * Microsoft's System Error Codes pages, hex as printed there). */
START_TEST(test_header_values)
{
    static const struct {
        DWORD macro, doc;
    } v[] = {
        {NO_ERROR, 0x0},
        {ERROR_FILE_NOT_FOUND, 0x2},
        {ERROR_TOO_MANY_OPEN_FILES, 0x4},
        {ERROR_ACCESS_DENIED, 0x5},
        {ERROR_INVALID_HANDLE, 0x6},
        {ERROR_NOT_ENOUGH_MEMORY, 0x8},
        {ERROR_INVALID_DATA, 0xD},
        {ERROR_NOT_SUPPORTED, 0x32},
        {ERROR_INVALID_PARAMETER, 0x57},
        {ERROR_INSUFFICIENT_BUFFER, 0x7A},
        {ERROR_INVALID_LEVEL, 0x7C},
        {ERROR_SERVICE_DOES_NOT_EXIST, 0x424},
        {ERROR_SERVICE_NOT_ACTIVE, 0x426},
        {ERROR_LOGON_FAILURE, 0x52E},
        {ERROR_TIMEOUT, 0x5B4},
        {RPC_S_INVALID_BINDING, 0x6A6},
        {RPC_S_UNKNOWN_IF, 0x6B5},
        {RPC_S_SERVER_UNAVAILABLE, 0x6BA},
        {RPC_S_CALL_FAILED, 0x6BE},
        {RPC_S_PROTOCOL_ERROR, 0x6C0},
        {RPC_S_PROCNUM_OUT_OF_RANGE, 0x6D1},
        {RPC_X_BAD_STUB_DATA, 0x6F7},
        {RPC_S_CALL_CANCELLED, 0x71A},
    };
    size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        ck_assert_uint_eq(v[i].macro, v[i].doc);
}
END_TEST

START_TEST(test_unknown_code)
{
    static const DWORD unknown[] = {1,        7,           999,
                                    1783 + 1, 0xFFFFFFFFu, 0xC0000022u};
    size_t i;

    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        ck_assert_str_eq(MprmonErrorName(unknown[i]), "UNKNOWN");
        ck_assert_str_eq(MprmonErrorText(unknown[i]), "Unknown error.");
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("tables");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_known_code, 0, sizeof(want) / sizeof(want[0]));
    tcase_add_test(tc, test_header_codes_covered);
    tcase_add_test(tc, test_header_values);
    tcase_add_test(tc, test_unknown_code);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
