/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detail_priv.h - the thread-local text behind MprmonGetLastErrorDetail. */
#ifndef MPRMON_DETAIL_PRIV_H
#define MPRMON_DETAIL_PRIV_H

#include "mprapi.h"

/* Replace this thread's detail text (printf format).  Callers must never
 * pass a password. */
void detail_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Forget it: a call that succeeds, or fails for a reason its code says in
 * full, starts with this. */
void detail_clear(void);

#endif
