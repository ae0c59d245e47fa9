# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib/ndr.mk - NDR primitives, MS-RRASM / MS-SCMR call stubs, error
# tables.  Byte-vector suites over the pure layers; they link the library's
# objects whole and reach internals through the *_priv.h headers.
check_PROGRAMS += tests/lib/check_ndr tests/lib/check_rrasm \
	tests/lib/check_rrasm_lists tests/lib/check_scmr tests/lib/check_errors
TESTS += tests/lib/check_ndr tests/lib/check_rrasm \
	tests/lib/check_rrasm_lists tests/lib/check_scmr tests/lib/check_errors

tests_lib_check_ndr_SOURCES = tests/lib/check_ndr.c \
	tests/lib/vectors.c tests/lib/vectors.h
tests_lib_check_ndr_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_ndr_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

tests_lib_check_rrasm_SOURCES = tests/lib/check_rrasm.c \
	tests/lib/vectors.c tests/lib/vectors.h
tests_lib_check_rrasm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_rrasm_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

tests_lib_check_rrasm_lists_SOURCES = tests/lib/check_rrasm_lists.c \
	tests/lib/vectors.c tests/lib/vectors.h
tests_lib_check_rrasm_lists_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_rrasm_lists_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

# check_scmr also compares the encoders with impacket's (run through
# $(PYTHON3_SYSTEM)); without impacket it says so and runs the fixed vectors.
tests_lib_check_scmr_SOURCES = tests/lib/check_scmr.c \
	tests/lib/vectors.c tests/lib/vectors.h
tests_lib_check_scmr_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_scmr_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

tests_lib_check_errors_SOURCES = tests/lib/check_errors.c
tests_lib_check_errors_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_errors_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)
