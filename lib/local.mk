# SPDX-License-Identifier: GPL-3.0-or-later
# libmprapi
lib_LTLIBRARIES += lib/libmprapi.la
mprapiincludedir = $(includedir)/mprmon
mprapiinclude_HEADERS = lib/mprapi.h
pkgconfig_DATA = lib/mprapi.pc

# The library's objects, also linked whole by unit tests (which reach
# internals through the *_priv.h headers).
noinst_LTLIBRARIES += lib/libmprapi_core.la
lib_libmprapi_core_la_SOURCES = \
	lib/api.c lib/api_priv.h lib/async.c lib/service.c lib/lists.c \
	lib/handles.c lib/handles_priv.h lib/settings.c lib/settings_priv.h \
	lib/errors.c lib/reasons.c lib/detail.c lib/detail_priv.h lib/log.c lib/log_priv.h \
	lib/names.c lib/names_priv.h lib/utf16.c \
	lib/creds.c lib/creds_priv.h lib/check.c \
	lib/engine.c lib/engine_priv.h lib/ops.c \
	lib/samba_rpc_priv.h \
	lib/ndr.c lib/ndr_priv.h lib/rrasm.c lib/rrasm_lists.c lib/rrasm_priv.h lib/scmr.c lib/scmr_priv.h
lib_libmprapi_core_la_CFLAGS = $(AM_CFLAGS)
lib_libmprapi_core_la_LIBADD = lib/libmprapi_samba.la $(PTHREAD_LIBS) -ldl

# The one file that includes Samba's headers, compiled with their flags
# (they define _GNU_SOURCE and the like) apart from the rest.
noinst_LTLIBRARIES += lib/libmprapi_samba.la
lib_libmprapi_samba_la_SOURCES = lib/samba_rpc.c
lib_libmprapi_samba_la_CFLAGS = $(AM_CFLAGS) $(SAMBA_RPC_CFLAGS)
lib_libmprapi_samba_la_LIBADD = $(SAMBA_RPC_LIBS)

lib_libmprapi_la_SOURCES =
lib_libmprapi_la_LIBADD = lib/libmprapi_core.la
lib_libmprapi_la_LDFLAGS = -version-info $(MPRAPI_LT_VERSION) -no-undefined \
	-export-symbols-regex '^(MprAdmin|Mprmon)'

EXTRA_DIST += lib/mprapi.pc.in
DISTCLEANFILES = lib/mprapi.pc
