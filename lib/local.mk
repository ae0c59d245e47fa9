# libmprapi
lib_LTLIBRARIES += lib/libmprapi.la
mprapiincludedir = $(includedir)/mprmon
mprapiinclude_HEADERS = lib/mprapi.h
pkgconfig_DATA = lib/mprapi.pc

# The library's objects, also linked whole by unit tests (which reach
# internals through the *_priv.h headers).
noinst_LTLIBRARIES += lib/libmprapi_core.la
lib_libmprapi_core_la_SOURCES = \
	lib/api.c lib/api_priv.h lib/service.c lib/handles.c lib/handles_priv.h lib/settings.c lib/settings_priv.h \
	lib/errors.c lib/detail.c lib/detail_priv.h \
	lib/names.c lib/names_priv.h lib/utf16.c \
	lib/creds.c lib/creds_priv.h \
	lib/pipe_smb.c lib/pipe_priv.h lib/smb_threads.c lib/smb_threads_priv.h \
	lib/tcp_reach.c lib/tcp_reach_priv.h \
	lib/dcerpc.c lib/dcerpc_priv.h lib/le_priv.h lib/rpc_client.c lib/rpc_priv.h \
	lib/ntlmssp.c lib/ntlmssp_priv.h lib/spnego.c lib/spnego_priv.h \
	lib/rpc_auth.c lib/rpc_auth_priv.h \
	lib/ndr.c lib/ndr_priv.h lib/rrasm.c lib/rrasm_priv.h lib/scmr.c lib/scmr_priv.h
lib_libmprapi_core_la_CFLAGS = $(AM_CFLAGS) $(SMBCLIENT_CFLAGS) $(NETTLE_CFLAGS)
lib_libmprapi_core_la_LIBADD = $(SMBCLIENT_LIBS) $(NETTLE_LIBS) $(PTHREAD_LIBS)

lib_libmprapi_la_SOURCES =
lib_libmprapi_la_LIBADD = lib/libmprapi_core.la
lib_libmprapi_la_LDFLAGS = -version-info $(MPRAPI_LT_VERSION) -no-undefined \
	-export-symbols-regex '^(MprAdmin|Mprmon)'

EXTRA_DIST += lib/mprapi.pc.in
DISTCLEANFILES = lib/mprapi.pc
