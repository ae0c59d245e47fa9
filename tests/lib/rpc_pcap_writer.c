/* rpc_pcap_writer.c - writes a pcap of the PDUs lib/rpc_client.c emits, for
 * tests/integration/tshark_pdus.sh to have tshark decode.
 *
 * The real client (rpc_bind, rpc_call) runs over a test-only mpr_pipe that
 * records every write as a client->server TCP segment to 127.0.0.1:135 and
 * answers from scripted server PDUs (also recorded).  Raw IPv4 frames
 * (LINKTYPE_RAW), a three-way handshake first, correct sequence numbers and
 * checksums, so tshark has nothing to complain about except our PDUs.
 *
 * Usage: rpc_pcap_writer FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_priv.h"

#define CLIENT_PORT 49731
#define SERVER_PORT 135
#define TCP_SYN 0x02
#define TCP_ACK 0x10
#define TCP_PSH 0x08

struct pcap_pipe {
    struct mpr_pipe base;
    FILE *f;
    uint32_t cli_seq, srv_seq;
    unsigned ts;
    /* scripted server PDUs, replayed in order */
    uint8_t srv[16384];
    size_t srv_len, srv_off;
    size_t srv_next; /* where the next server PDU starts */
};

static void le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    le16(p, v);
    le16(p + 2, v >> 16);
}

static void be16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)(p[n - 1] << 8);
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* One IPv4/TCP frame from the client (to_server) or the server. */
static int emit(struct pcap_pipe *pp, int to_server, uint8_t flags,
                const uint8_t *data, size_t len)
{
    uint8_t pkt[40 + 8192], rec[16], pseudo[12];
    uint32_t *seq = to_server ? &pp->cli_seq : &pp->srv_seq;
    uint32_t ack = to_server ? pp->srv_seq : pp->cli_seq;
    size_t total = 40 + len;

    if (len > sizeof(pkt) - 40)
        return -1;
    memset(pkt, 0, 40);
    pkt[0] = 0x45;
    be16(pkt + 2, (uint32_t)total);
    be16(pkt + 6, 0x4000); /* don't fragment */
    pkt[8] = 64;
    pkt[9] = 6;
    be32(pkt + 12, 0x7f000001);
    be32(pkt + 16, 0x7f000001);
    be16(pkt + 10, csum_fold(csum_add(0, pkt, 20)));
    be16(pkt + 20, to_server ? CLIENT_PORT : SERVER_PORT);
    be16(pkt + 22, to_server ? SERVER_PORT : CLIENT_PORT);
    be32(pkt + 24, *seq);
    be32(pkt + 28, (flags & TCP_ACK) ? ack : 0);
    pkt[32] = 5 << 4;
    pkt[33] = flags;
    be16(pkt + 34, 65535);
    if (len)
        memcpy(pkt + 40, data, len);
    memcpy(pseudo, pkt + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 6;
    be16(pseudo + 10, (uint32_t)(20 + len));
    be16(pkt + 36,
         csum_fold(csum_add(csum_add(0, pseudo, 12), pkt + 20, 20 + len)));
    *seq += (uint32_t)len + ((flags & TCP_SYN) ? 1 : 0);

    le32(rec, 1764000000u + pp->ts / 1000);
    le32(rec + 4, (pp->ts % 1000) * 1000);
    le32(rec + 8, (uint32_t)total);
    le32(rec + 12, (uint32_t)total);
    pp->ts++;
    if (fwrite(rec, 1, 16, pp->f) != 16 ||
        fwrite(pkt, 1, total, pp->f) != total)
        return -1;
    return 0;
}

static DWORD pp_write_all(struct mpr_pipe *p, const uint8_t *buf, size_t len)
{
    struct pcap_pipe *pp = (struct pcap_pipe *)p;

    return emit(pp, 1, TCP_ACK | TCP_PSH, buf, len) ? ERROR_INVALID_DATA
                                                    : NO_ERROR;
}

static DWORD pp_read_exact(struct mpr_pipe *p, uint8_t *buf, size_t len)
{
    struct pcap_pipe *pp = (struct pcap_pipe *)p;

    if (len > pp->srv_len - pp->srv_off)
        return RPC_S_SERVER_UNAVAILABLE;
    /* at a PDU boundary: the server "sends" the whole PDU now */
    if (pp->srv_off == pp->srv_next) {
        size_t fl;

        if (pp->srv_len - pp->srv_off < DCERPC_HDR_LEN)
            return RPC_S_SERVER_UNAVAILABLE;
        fl = (size_t)(pp->srv[pp->srv_off + 8] | pp->srv[pp->srv_off + 9] << 8);
        if (fl > pp->srv_len - pp->srv_off ||
            emit(pp, 0, TCP_ACK | TCP_PSH, pp->srv + pp->srv_off, fl))
            return RPC_S_SERVER_UNAVAILABLE;
        pp->srv_next += fl;
    }
    memcpy(buf, pp->srv + pp->srv_off, len);
    pp->srv_off += len;
    return NO_ERROR;
}

static void pp_close(struct mpr_pipe *p)
{
    (void)p; /* the pcap_pipe lives in main */
}

static const struct mpr_pipe_ops pp_ops = {pp_write_all, pp_read_exact,
                                           pp_close};

/* Server PDUs, built by hand (C706 12.6.4.4 and 12.6.4.10). */
static void srv_hdr(uint8_t *b, uint8_t ptype, size_t len, uint32_t call_id)
{
    static const uint8_t h[8] = {5, 0, 0, 3, 0x10, 0, 0, 0};

    memcpy(b, h, 8);
    b[2] = ptype;
    le16(b + 8, (uint32_t)len);
    le16(b + 10, 0);
    le32(b + 12, call_id);
}

static void queue_bind_ack(struct pcap_pipe *pp)
{
    uint8_t *b = pp->srv + pp->srv_len;
    static const char addr[] = "135";

    le16(b + 16, 4280);
    le16(b + 18, 4280);
    le32(b + 20, 0x1d2c);
    le16(b + 24, sizeof(addr));
    memcpy(b + 26, addr, sizeof(addr)); /* ends at 30, pad to 32 */
    b[30] = b[31] = 0;
    memset(b + 32, 0, 4);
    b[32] = 1;
    memset(b + 36, 0, 4); /* acceptance, reason 0 */
    memcpy(b + 40, rpc_syntax_ndr.uuid.bytes, 16);
    le32(b + 56, 2);
    srv_hdr(b, DCERPC_PKT_BIND_ACK, 60, 1);
    pp->srv_len += 60;
}

static void queue_response(struct pcap_pipe *pp, uint32_t call_id,
                           const uint8_t *stub, size_t n)
{
    uint8_t *b = pp->srv + pp->srv_len;

    le32(b + 16, (uint32_t)n);
    le32(b + 20, 0);
    memcpy(b + 24, stub, n);
    srv_hdr(b, DCERPC_PKT_RESPONSE, 24 + n, call_id);
    pp->srv_len += 24 + n;
}

int main(int argc, char **argv)
{
    static const uint8_t level1[4] = {1, 0, 0, 0};
    static const uint8_t ret0[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    static uint8_t big[10000];
    static struct pcap_pipe pp;
    uint8_t gh[24];
    struct rpc_conn *c = NULL;
    uint8_t *resp;
    size_t len;
    DWORD rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    pp.base.ops = &pp_ops;
    pp.f = fopen(argv[1], "wb");
    if (!pp.f) {
        perror(argv[1]);
        return 1;
    }
    /* pcap global header: magic, 2.4, zone 0, sigfigs 0, snaplen, RAW */
    le32(gh, 0xa1b2c3d4);
    le16(gh + 4, 2);
    le16(gh + 6, 4);
    le32(gh + 8, 0);
    le32(gh + 12, 0);
    le32(gh + 16, 65535);
    le32(gh + 20, 101);
    pp.cli_seq = 1000;
    pp.srv_seq = 5000;
    if (fwrite(gh, 1, sizeof(gh), pp.f) != sizeof(gh) ||
        emit(&pp, 1, TCP_SYN, NULL, 0) ||
        emit(&pp, 0, TCP_SYN | TCP_ACK, NULL, 0) ||
        emit(&pp, 1, TCP_ACK, NULL, 0)) {
        fprintf(stderr, "%s: write failed\n", argv[1]);
        fclose(pp.f);
        return 1;
    }

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7);
    queue_bind_ack(&pp);
    queue_response(&pp, 2, ret0, sizeof(ret0));
    queue_response(&pp, 3, ret0, sizeof(ret0));

    rc = rpc_bind(&pp.base, &rpc_iface_dimsvc, &c);
    if (rc == NO_ERROR) {
        /* RMprAdminServerGetInfo (opnum 0), dwLevel 1 */
        rc = rpc_call(c, 0, level1, sizeof(level1), &resp, &len);
        if (rc == NO_ERROR) {
            free(resp);
            /* and one that needs three fragments */
            rc = rpc_call(c, 0, big, sizeof(big), &resp, &len);
            if (rc == NO_ERROR)
                free(resp);
        }
        rpc_close(c);
    }
    if (fclose(pp.f) != 0 || rc != NO_ERROR) {
        fprintf(stderr, "rpc_pcap_writer: failed (code %u)\n", rc);
        return 1;
    }
    return 0;
}
