/* pipe_priv.h - a byte pipe carrying DCE/RPC PDUs (an SMB named pipe). */
#ifndef MPRMON_PIPE_PRIV_H
#define MPRMON_PIPE_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "creds_priv.h"
#include "mprapi.h"

struct mpr_pipe;

/* Operations, so that the RPC layer can be driven by a test double for faults
 * a real peer cannot produce (and by fuzzers). */
struct mpr_pipe_ops {
    /* Write all of buf. */
    DWORD (*write_all)(struct mpr_pipe *p, const uint8_t *buf, size_t len);
    /* Read exactly len bytes (blocking up to the pipe's timeout).  Named pipes
     * on libsmbclient must be read in exact sizes: a larger read blocks until
     * the timeout. */
    DWORD (*read_exact)(struct mpr_pipe *p, uint8_t *buf, size_t len);
    /* Close and free. */
    void (*close)(struct mpr_pipe *p);
};

struct mpr_pipe {
    const struct mpr_pipe_ops *ops;
    /* Each read or write gives up after this long; the RPC layer also
     * bounds a whole call (all its fragments) by it.  0: no bound. */
    unsigned timeout_ms;
};

struct mpr_pipe_params {
    const char *host;              /* from names_server_to_host() */
    unsigned port;                 /* 0 = 445 */
    unsigned timeout_ms;           /* 0 = 10000 */
    const struct mpr_creds *creds; /* NULL = anonymous */
    MPRMON_ENCRYPTION encryption;
    const char *pipe_name;         /* "ROUTER", "svcctl" */
};

/*
 * Open \PIPE\<pipe_name> on host's IPC$ over SMB with libsmbclient.
 * Each pipe has its own libsmbclient context (they are not thread-safe).
 * Errors: ERROR_ACCESS_DENIED (logon refused, EACCES/EPERM),
 * RPC_S_UNKNOWN_IF (no such pipe, ENOENT), RPC_S_SERVER_UNAVAILABLE
 * (refused, unreachable, timeout, name not resolved), ERROR_NOT_ENOUGH_MEMORY.
 */
DWORD pipe_smb_open(const struct mpr_pipe_params *params,
                    struct mpr_pipe **out);

static inline DWORD pipe_write_all(struct mpr_pipe *p, const uint8_t *b,
                                   size_t n)
{
    return p->ops->write_all(p, b, n);
}
static inline DWORD pipe_read_exact(struct mpr_pipe *p, uint8_t *b, size_t n)
{
    return p->ops->read_exact(p, b, n);
}
static inline void pipe_close(struct mpr_pipe *p)
{
    if (p)
        p->ops->close(p);
}

#endif
