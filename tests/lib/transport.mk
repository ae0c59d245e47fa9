# tests/lib/transport.mk - server names and UTF-16, credentials, and the SMB
# named-pipe transport.  Each suite compiles the sources it tests, so it does
# not wait on the rest of the library.
TRANSPORT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

check_PROGRAMS += tests/lib/check_names tests/lib/check_creds \
	tests/lib/check_pipe_smb
# check_pipe_smb needs a live smbd: its script starts one and runs it.
TESTS += tests/lib/check_names tests/lib/check_creds \
	tests/lib/check_pipe_smb.sh
EXTRA_DIST += tests/lib/check_pipe_smb.sh

tests_lib_check_names_SOURCES = tests/lib/check_names.c lib/names.c \
	lib/utf16.c lib/names_priv.h
tests_lib_check_names_CFLAGS = $(TRANSPORT_TEST_CFLAGS)
tests_lib_check_names_LDADD = $(CHECK_LIBS)

tests_lib_check_creds_SOURCES = tests/lib/check_creds.c lib/creds.c \
	lib/creds_priv.h
tests_lib_check_creds_CFLAGS = $(TRANSPORT_TEST_CFLAGS)
tests_lib_check_creds_LDADD = $(CHECK_LIBS)

tests_lib_check_pipe_smb_SOURCES = tests/lib/check_pipe_smb.c \
	lib/pipe_smb.c lib/pipe_priv.h lib/smb_threads.c lib/smb_threads_priv.h \
	lib/tcp_reach.c lib/tcp_reach_priv.h \
	lib/creds.c lib/creds_priv.h lib/detail.c lib/detail_priv.h
tests_lib_check_pipe_smb_CFLAGS = $(TRANSPORT_TEST_CFLAGS) $(SMBCLIENT_CFLAGS)
tests_lib_check_pipe_smb_LDADD = $(CHECK_LIBS) $(SMBCLIENT_LIBS) $(PTHREAD_LIBS)
