# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib/samba_api.mk - the public API against real Samba servers: SMB3
# encryption levels (checked on the wire), Samba's svcctl as a second SCM,
# and MPRMON_ENCRYPTION_REQUIRED against a peer that cannot encrypt.
# test_api_samba.sh starts the peers and runs check_api_samba.
check_PROGRAMS += tests/lib/check_api_samba
TESTS += tests/lib/test_api_samba.sh tests/lib/test_api_samba_stream.sh \
	tests/lib/test_kerberos.sh
EXTRA_DIST += tests/lib/test_api_samba.sh tests/lib/test_api_samba_stream.sh \
	tests/lib/test_kerberos.sh
tests_lib_check_api_samba_SOURCES = tests/lib/check_api_samba.c
tests_lib_check_api_samba_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_api_samba_LDADD = lib/libmprapi.la $(CHECK_LIBS) $(PTHREAD_LIBS)
