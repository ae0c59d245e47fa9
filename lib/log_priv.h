/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log_priv.h - the library's log lines (Samba's among them) to the
 * caller's MprmonSetLogFunction hook; nothing is printed by default. */
#ifndef MPRMON_LOG_PRIV_H
#define MPRMON_LOG_PRIV_H

#include "mprapi.h"

/* One line (printf format) at MPRMON_LOG_* level; a trailing newline is
 * dropped.  Never pass a password.  Any thread. */
void log_emit(DWORD level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
