# tests/lib/rpc.mk - DCE/RPC codec and client association tests.
check_PROGRAMS += tests/lib/check_dcerpc tests/lib/check_rpc_client \
	tests/lib/rpc_pcap_writer
TESTS += tests/lib/check_dcerpc tests/lib/check_rpc_client

tests_lib_check_dcerpc_SOURCES = tests/lib/check_dcerpc.c
tests_lib_check_dcerpc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_dcerpc_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)

# check_rpc_client starts tests/lib/rpc_echo_peer.py (impacket, for
# $(PYTHON3_SYSTEM)); without it the scripted half runs and the test skips.
tests_lib_check_rpc_client_SOURCES = tests/lib/check_rpc_client.c \
	tests/lib/rpc_test_pipes.c tests/lib/rpc_test_pipes.h \
	tests/lib/rpc_test_pdus.c tests/lib/rpc_test_pdus.h
tests_lib_check_rpc_client_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_check_rpc_client_LDADD = lib/libmprapi_core.la $(CHECK_LIBS)
EXTRA_DIST += tests/lib/rpc_echo_peer.py

# Writes the PDUs our encoder emits into a pcap for
# tests/integration/tshark_pdus.sh.
tests_lib_rpc_pcap_writer_SOURCES = tests/lib/rpc_pcap_writer.c
tests_lib_rpc_pcap_writer_LDADD = lib/libmprapi_core.la
TESTS += tests/integration/tshark_pdus.sh
dist_noinst_SCRIPTS += tests/integration/tshark_pdus.sh
