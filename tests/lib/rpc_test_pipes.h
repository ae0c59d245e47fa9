/* rpc_test_pipes.h - test-only struct mpr_pipe transports for the RPC
 * client: TCP (to impacket's DCE/RPC server over ncacn_ip_tcp) and a scripted
 * in-memory pipe for faults a real peer cannot produce. */
#ifndef MPRMON_TESTS_RPC_TEST_PIPES_H
#define MPRMON_TESTS_RPC_TEST_PIPES_H

#include <stddef.h>
#include <stdint.h>
#include "pipe_priv.h"

/* Connect to 127.0.0.1:port; reads time out after timeout_ms
 * (ERROR_TIMEOUT), a closed peer reads as RPC_S_SERVER_UNAVAILABLE. */
DWORD test_tcp_pipe_open(unsigned port, unsigned timeout_ms,
                         struct mpr_pipe **out);

/*
 * A pipe whose reads replay `in` and then, if loop_len > 0, `loop` forever;
 * reads past the end fail with RPC_S_SERVER_UNAVAILABLE.  Writes are kept
 * in `out`.  Closing does not free: the test owns the struct and checks
 * close_count.
 */
struct script_pipe {
    struct mpr_pipe base;
    const uint8_t *in;
    size_t in_len;
    size_t in_off;
    const uint8_t *loop;
    size_t loop_len;
    size_t loop_off;
    uint8_t *out;
    size_t out_len;
    size_t out_cap;
    int close_count;
};

void script_pipe_init(struct script_pipe *p, const uint8_t *in, size_t in_len);
/* Free what the writes collected. */
void script_pipe_clear(struct script_pipe *p);

#endif
