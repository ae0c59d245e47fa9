# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib/api.mk - the public API against real peers (Samba, the impacket
# RRAS peer, a closed port); test_api.sh starts them and runs check_api.
check_PROGRAMS += tests/lib/check_api
TESTS += tests/lib/test_api.sh tests/lib/test_api_stream.sh
EXTRA_DIST += tests/lib/test_api.sh tests/lib/test_api_stream.sh
tests_lib_check_api_SOURCES = tests/lib/check_api.c
tests_lib_check_api_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_api_LDADD = lib/libmprapi.la $(CHECK_LIBS) $(PTHREAD_LIBS)

# The asynchronous calls, run by test_api.sh too (natively, to judge
# deadlines, and through run-test.sh, to judge memory).
check_PROGRAMS += tests/lib/check_async
tests_lib_check_async_SOURCES = tests/lib/check_async.c
tests_lib_check_async_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_async_LDADD = lib/libmprapi.la $(CHECK_LIBS)

# The listing calls (interfaces, connections, ports) against RRAS peers
# in message mode (test_lists.sh) and stream mode (test_lists_stream.sh).
check_PROGRAMS += tests/lib/check_lists
TESTS += tests/lib/test_lists.sh tests/lib/test_lists_stream.sh
EXTRA_DIST += tests/lib/test_lists.sh tests/lib/test_lists_stream.sh
tests_lib_check_lists_SOURCES = tests/lib/check_lists.c
tests_lib_check_lists_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_lists_LDADD = lib/libmprapi.la $(CHECK_LIBS) $(PTHREAD_LIBS)
