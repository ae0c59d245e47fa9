/* rpc_test_pdus.c - see rpc_test_pdus.h. */
#include "rpc_test_pdus.h"

#include <string.h>

static void le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    le16(p, (uint16_t)v);
    le16(p + 2, (uint16_t)(v >> 16));
}

static void hdr(uint8_t *b, uint8_t ptype, uint8_t flags, size_t len,
                uint32_t call_id)
{
    b[0] = 5;
    b[1] = 0;
    b[2] = ptype;
    b[3] = flags;
    b[4] = 0x10;
    b[5] = b[6] = b[7] = 0;
    le16(b + 8, (uint16_t)len);
    le16(b + 10, 0);
    le32(b + 12, call_id);
}

size_t tpdu_bind_ack(uint8_t *b, uint32_t call_id, uint16_t max_xmit,
                     uint16_t max_recv, const char *sec_addr, uint16_t result,
                     uint16_t reason, const struct dcerpc_syntax_id *ts)
{
    size_t alen = sec_addr ? strlen(sec_addr) + 1 : 0;
    size_t off = 26;

    le16(b + 16, max_xmit);
    le16(b + 18, max_recv);
    le32(b + 20, 0x12345);
    le16(b + 24, (uint16_t)alen);
    if (alen)
        memcpy(b + off, sec_addr, alen);
    off += alen;
    while (off % 4)
        b[off++] = 0;
    b[off] = 1;
    b[off + 1] = 0;
    le16(b + off + 2, 0);
    off += 4;
    le16(b + off, result);
    le16(b + off + 2, reason);
    memcpy(b + off + 4, ts->uuid.bytes, 16);
    le16(b + off + 20, ts->ver_major);
    le16(b + off + 22, ts->ver_minor);
    off += 24;
    hdr(b, 12, 3, off, call_id);
    return off;
}

size_t tpdu_bind_nak(uint8_t *b, uint32_t call_id, uint16_t reason)
{
    le16(b + 16, reason);
    b[18] = 1; /* one supported version: 5.0 */
    b[19] = 5;
    b[20] = 0;
    b[21] = b[22] = b[23] = 0;
    hdr(b, 13, 3, 24, call_id);
    return 24;
}

size_t tpdu_response(uint8_t *b, uint32_t call_id, uint8_t flags,
                     uint32_t alloc_hint, const uint8_t *stub, size_t n)
{
    le32(b + 16, alloc_hint);
    le16(b + 20, 0);
    b[22] = b[23] = 0;
    if (n)
        memcpy(b + 24, stub, n);
    hdr(b, 2, flags, 24 + n, call_id);
    return 24 + n;
}

size_t tpdu_fault(uint8_t *b, uint32_t call_id, uint32_t status)
{
    le32(b + 16, 32);
    le16(b + 20, 0);
    b[22] = b[23] = 0;
    le32(b + 24, status);
    le32(b + 28, 0);
    hdr(b, 3, 3 | 0x20, 32, call_id);
    return 32;
}
