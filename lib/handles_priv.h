/* SPDX-License-Identifier: GPL-3.0-or-later */
/* handles_priv.h - the table behind MPR_SERVER_HANDLE values.
 *
 * A handle is not a pointer: it encodes a slot index and the slot's
 * generation, so a stale or forged handle is recognised and refused instead
 * of being dereferenced.  That is what makes MprAdminServerDisconnect of an
 * already-freed handle harmless. */
#ifndef MPRMON_HANDLES_PRIV_H
#define MPRMON_HANDLES_PRIV_H

#include "mprapi.h"

/* Store obj; *out receives its handle.  ERROR_NOT_ENOUGH_MEMORY when the
 * table cannot grow. */
DWORD handles_insert(void *obj, MPR_SERVER_HANDLE *out);

/* The object behind h, marked in use so that handles_remove waits for it;
 * NULL for NULL, stale, forged or closing handles.  Pair with
 * handles_release. */
void *handles_acquire(MPR_SERVER_HANDLE h);
void handles_release(MPR_SERVER_HANDLE h);

/* Take h out of the table, waiting until no call is using it, and return the
 * object for the caller to destroy; NULL if h is not (or no longer) valid. */
void *handles_remove(MPR_SERVER_HANDLE h);

/* Number of live handles (tests and benchmarks). */
unsigned handles_count(void);

#endif
