/* SPDX-License-Identifier: GPL-3.0-or-later */
/* samba_rpc_priv.h - the library's one door to Samba's DCE/RPC client
 * (libdcerpc on tevent): an event loop, bounded connects, raw calls, closes.
 *
 * No Samba type crosses this header: everything behind it runs on the one
 * thread that owns the loop (engine.c's I/O thread), because Samba's client
 * is not thread-safe. */
#ifndef MPRMON_SAMBA_RPC_PRIV_H
#define MPRMON_SAMBA_RPC_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "creds_priv.h"
#include "mprapi.h"

struct srpc_loop;
struct srpc_timer;
struct srpc_conn;
struct srpc_op;

/* The interfaces we bind (MS-RRASM 2.1.1.1, MS-SCMR 2.1). */
enum srpc_iface { SRPC_IFACE_DIMSVC, SRPC_IFACE_SVCCTL };

/* Longest detail text a failure carries. */
#define SRPC_DETAIL_MAX 240

/* ---- the loop ---- */

/* One loop per process.  on_wake(arg) runs on the loop's thread whenever
 * wake_fd (an eventfd) is readable; it must drain it.  Samba's log lines
 * go to log_fn(level, text) from then on, never to stdout or stderr.
 * Errors: ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_SUPPORTED (Samba refused to
 * initialise). */
DWORD srpc_loop_new(int wake_fd, void (*on_wake)(void *arg), void *arg,
                    struct srpc_loop **out);
/* Wait for and run one round of events; -1 when the loop failed. */
int srpc_loop_once(struct srpc_loop *loop);
void srpc_loop_free(struct srpc_loop *loop);

/* A one-shot timer at monotonic time when_ns (CLOCK_MONOTONIC).  Freed by
 * srpc_timer_free, or after it fired (do not free it then). */
struct srpc_timer *srpc_timer_add(struct srpc_loop *loop, uint64_t when_ns,
                                  void (*fn)(void *arg), void *arg);
void srpc_timer_free(struct srpc_timer *t);

/* ---- connections ---- */

struct srpc_target {
    const char *address;    /* numeric IPv4/IPv6, already resolved */
    const char *host_name;  /* the name the caller gave (SMB/Kerberos target) */
    unsigned port;
    const struct mpr_creds *creds; /* NULL or no user: anonymous */
    MPRMON_ENCRYPTION encryption;
    DWORD rpc_auth_level;   /* MPRMON_RPC_AUTHN_LEVEL_* */
    enum srpc_iface iface;
};

/* Completion of a connect: rc NO_ERROR and conn, or a Windows code and a
 * detail text for people (never a password). */
typedef void (*srpc_connect_fn)(void *arg, DWORD rc, struct srpc_conn *conn,
                                const char *detail);

/* Start SMB session set-up, open \PIPE\ROUTER or \PIPE\svcctl, bind.  The
 * callback runs later on the loop's thread, never from inside this call.
 * No deadline of its own: cancel with srpc_op_cancel.  A failure to start
 * leaves a text for people in detail (SRPC_DETAIL_MAX bytes), or "". */
DWORD srpc_connect_start(struct srpc_loop *loop, const struct srpc_target *t,
                         srpc_connect_fn fn, void *arg, struct srpc_op **op,
                         char *detail);

/* Completion of a call: the response stub (malloc'd, the callee's to
 * free) or a Windows code with a detail. */
typedef void (*srpc_call_fn)(void *arg, DWORD rc, uint8_t *stub, size_t len,
                             const char *detail);

/* One request with our own NDR stub; timeout_s bounds it inside Samba too
 * (whole seconds), as a backstop behind the caller's own deadline. */
DWORD srpc_call_start(struct srpc_conn *conn, uint16_t opnum,
                      const uint8_t *stub, size_t len, unsigned timeout_s,
                      srpc_call_fn fn, void *arg, struct srpc_op **op);

/* Stop an operation that has not completed: its callback never runs. */
void srpc_op_cancel(struct srpc_op *op);

/* Is the session SMB3-encrypted? */
int srpc_conn_encrypted(const struct srpc_conn *conn);

/* Close the pipe and the session and free everything.  Only when no call
 * is in flight on it (freeing a busy pipe stalls the loop). */
void srpc_conn_free(struct srpc_conn *conn);

#endif
