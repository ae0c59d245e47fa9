# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib/transport.mk - server names and UTF-16, credentials, and the
# public checks over both (lib/check.c).  Each
# suite compiles the sources it tests, so it does not wait on the library.
TRANSPORT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

check_PROGRAMS += tests/lib/check_names tests/lib/check_creds
TESTS += tests/lib/check_names tests/lib/check_creds

tests_lib_check_names_SOURCES = tests/lib/check_names.c lib/names.c \
	lib/utf16.c lib/names_priv.h lib/check.c lib/creds.c
tests_lib_check_names_CFLAGS = $(TRANSPORT_TEST_CFLAGS)
tests_lib_check_names_LDADD = $(CHECK_LIBS)

tests_lib_check_creds_SOURCES = tests/lib/check_creds.c lib/creds.c \
	lib/creds_priv.h lib/check.c lib/names.c lib/utf16.c
tests_lib_check_creds_CFLAGS = $(TRANSPORT_TEST_CFLAGS)
tests_lib_check_creds_LDADD = $(CHECK_LIBS)

