/* rpc_test_pdus.h - server-side PDUs built by hand for the scripted pipe
 * (test-only; deliberately independent of lib/dcerpc.c, which only encodes
 * what a client sends).  Each writes one PDU at b and returns its length. */
#ifndef MPRMON_TESTS_RPC_TEST_PDUS_H
#define MPRMON_TESTS_RPC_TEST_PDUS_H

#include <stddef.h>
#include <stdint.h>
#include "dcerpc_priv.h"

size_t tpdu_bind_ack(uint8_t *b, uint32_t call_id, uint16_t max_xmit,
                     uint16_t max_recv, const char *sec_addr, uint16_t result,
                     uint16_t reason, const struct dcerpc_syntax_id *ts);
size_t tpdu_bind_nak(uint8_t *b, uint32_t call_id, uint16_t reason);
size_t tpdu_response(uint8_t *b, uint32_t call_id, uint8_t flags,
                     uint32_t alloc_hint, const uint8_t *stub, size_t n);
size_t tpdu_fault(uint8_t *b, uint32_t call_id, uint32_t status);

#endif
