# tests/lib/auth.mk - RPC-level authentication: the NTLMSSP client against
# MS-NLMP's test vectors, and authenticated binds against a real smbd.
check_PROGRAMS += tests/lib/check_ntlmssp tests/lib/check_rpc_auth
TESTS += tests/lib/check_ntlmssp tests/lib/test_rpc_auth.sh
EXTRA_DIST += tests/lib/test_rpc_auth.sh

tests_lib_check_ntlmssp_SOURCES = tests/lib/check_ntlmssp.c
tests_lib_check_ntlmssp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_ntlmssp_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

# Needs a live smbd: tests/lib/test_rpc_auth.sh starts one and runs it.
tests_lib_check_rpc_auth_SOURCES = tests/lib/check_rpc_auth.c
tests_lib_check_rpc_auth_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_rpc_auth_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)
