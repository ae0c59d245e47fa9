/* fuzz_dcerpc.c - libFuzzer target for the DCE/RPC decoders and the client
 * association that reads them.
 *
 * The input is treated two ways: as one PDU handed to every decoder (header,
 * bind_ack, bind_nak, response, fault), whose results are then checked for
 * what a decoder promises (pointers inside the input, lengths within
 * frag_length); and as the byte stream a server sends, driving rpc_bind and
 * one rpc_call over an in-memory pipe.  Any crash, leak, or broken promise
 * (abort) is a finding.  See tests/fuzz/local.mk for how to run it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_priv.h"
#include "fuzz_pipe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inside(const uint8_t *data, size_t size, const uint8_t *p,
                         size_t n)
{
    if (n == 0)
        return;
    if (!p || p < data || p > data + size || n > (size_t)(data + size - p))
        abort();
}

static void fuzz_decoders(const uint8_t *data, size_t size)
{
    struct dcerpc_hdr h;
    struct dcerpc_bind_ack a;
    struct dcerpc_bind_nak n;
    struct dcerpc_response r;
    struct dcerpc_fault f;

    if (dcerpc_decode_hdr(data, size, &h) == NO_ERROR &&
        (h.frag_length < DCERPC_HDR_LEN || h.rpc_vers != 5))
        abort();
    if (dcerpc_decode_bind_ack(data, size, &a) == NO_ERROR) {
        if (a.hdr.frag_length > size || a.n_results == 0)
            abort();
        check_inside(data, a.hdr.frag_length, a.sec_addr, a.sec_addr_len);
    }
    if (dcerpc_decode_bind_nak(data, size, &n) == NO_ERROR &&
        n.hdr.frag_length > size)
        abort();
    if (dcerpc_decode_response(data, size, &r) == NO_ERROR) {
        if (r.hdr.frag_length > size)
            abort();
        check_inside(data, r.hdr.frag_length, r.stub, r.stub_len);
    }
    if (dcerpc_decode_fault(data, size, &f) == NO_ERROR &&
        f.hdr.frag_length > size)
        abort();
}

static DWORD fp_write_all(struct mpr_pipe *p, const uint8_t *b, size_t n)
{
    (void)p;
    (void)b;
    (void)n;
    return NO_ERROR;
}

static const struct mpr_pipe_ops fp_ops = {
    fp_write_all, fuzz_pipe_read_exact, fuzz_pipe_close};

static void fuzz_client(const uint8_t *data, size_t size)
{
    static const uint8_t req[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    struct fuzz_pipe fp = {.base = {.ops = &fp_ops}, .in = data, .len = size};
    struct rpc_conn *c = NULL;
    uint8_t *resp = NULL;
    size_t len = 0;

    if (rpc_bind(&fp.base, &rpc_iface_dimsvc, &c) != NO_ERROR)
        return;
    if (rpc_call(c, 0, req, sizeof(req), &resp, &len) == NO_ERROR) {
        if (len > RPC_MAX_RESPONSE || (len && !resp))
            abort();
        free(resp);
    } else if (resp) {
        abort(); /* a failed call hands out nothing */
    }
    rpc_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decoders(data, size);
    fuzz_client(data, size);
    return 0;
}
