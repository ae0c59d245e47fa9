/* fuzz_pipe.h - an in-memory mpr_pipe whose reads hand out the fuzzer's
 * input, as a server's byte stream, for the targets that drive the RPC
 * client (fuzz_dcerpc, fuzz_rpc_auth).  Each target brings its own write
 * (what it checks in the client's bytes) and its ops table. */
#ifndef MPRMON_FUZZ_PIPE_H
#define MPRMON_FUZZ_PIPE_H

#include <stdint.h>
#include <string.h>

#include "pipe_priv.h"

struct fuzz_pipe {
    struct mpr_pipe base;
    const uint8_t *in;
    size_t len, off;
};

/* Running out of input is the server hanging up. */
static inline DWORD fuzz_pipe_read_exact(struct mpr_pipe *p, uint8_t *b,
                                         size_t n)
{
    struct fuzz_pipe *fp = (struct fuzz_pipe *)p;

    if (n > fp->len - fp->off)
        return RPC_S_SERVER_UNAVAILABLE;
    memcpy(b, fp->in + fp->off, n);
    fp->off += n;
    return NO_ERROR;
}

static inline void fuzz_pipe_close(struct mpr_pipe *p)
{
    (void)p;
}

#endif
