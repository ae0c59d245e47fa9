# SPDX-License-Identifier: GPL-3.0-or-later
# bench/connect: MprAdminServerConnect + Disconnect against a loopback
# Samba, versus smbclient and libsmbclient doing the same SMB work.
noinst_PROGRAMS += bench/connect_loop
bench_connect_loop_SOURCES = bench/connect_loop.c
bench_connect_loop_CFLAGS = $(AM_CFLAGS) $(SMBCLIENT_CFLAGS)
# The libsmbclient baseline of the svcctl sequence encodes its stubs with
# the library's own NDR, compiled in.
bench_connect_loop_SOURCES += lib/scmr.c lib/ndr.c
bench_connect_loop_LDADD = lib/libmprapi.la $(SMBCLIENT_LIBS)
EXTRA_DIST += bench/bench_connect.sh
