# SPDX-License-Identifier: GPL-3.0-or-later
# MPRMON_CHECK_SAMBA_PRIVATE: the private Samba library and symbols that
# lib/samba_rpc.c reaches with dlopen(RTLD_NOLOAD) and dlsym once libdcerpc
# is loaded (docs/samba.md).  Without them Samba's log lines would go to the
# caller's stderr.  Defines SAMBA_DEBUG_LIBRARY, the library's soname.
AC_DEFUN([MPRMON_CHECK_SAMBA_PRIVATE], [
  AC_ARG_VAR([SAMBA_DEBUG_LIBRARY], [soname of Samba's libsamba-debug])
  : "${SAMBA_DEBUG_LIBRARY:=libsamba-debug-samba4.so.0}"
  AC_CACHE_CHECK([for setup_logging and debug_set_callback in $SAMBA_DEBUG_LIBRARY],
    [mprmon_cv_samba_debug_callback], [
    mprmon_save_LIBS=$LIBS
    mprmon_save_CFLAGS=$CFLAGS
    LIBS="$SAMBA_RPC_LIBS -ldl $LIBS"
    CFLAGS="$SAMBA_RPC_CFLAGS $CFLAGS"
    AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <dlfcn.h>
#include <stdint.h>
#include <stdbool.h>
#include <talloc.h>
#include <dcerpc.h>
]], [[
  void *lib;
  if (dcerpc_init().v != 0)
    return 2;
  lib = dlopen("$SAMBA_DEBUG_LIBRARY", RTLD_NOW | RTLD_NOLOAD);
  return !(lib && dlsym(lib, "debug_set_callback") &&
           dlsym(lib, "setup_logging"));
]])],
      [mprmon_cv_samba_debug_callback=yes],
      [mprmon_cv_samba_debug_callback=no],
      [mprmon_cv_samba_debug_callback=yes])
    LIBS=$mprmon_save_LIBS
    CFLAGS=$mprmon_save_CFLAGS])
  AS_IF([test "x$mprmon_cv_samba_debug_callback" != xyes],
    [AC_MSG_ERROR([$SAMBA_DEBUG_LIBRARY with setup_logging and debug_set_callback is not loaded with libdcerpc; see docs/samba.md])])
  AC_DEFINE_UNQUOTED([SAMBA_DEBUG_LIBRARY], ["$SAMBA_DEBUG_LIBRARY"],
    [soname of Samba's private libsamba-debug])
])
