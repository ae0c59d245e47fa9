/* fuzz_rpc_auth.c - libFuzzer target for the authenticated bind and the
 * first call on it: what a server sends back to rpc_bind_auth_type
 * (lib/rpc_client.c) - the bind_ack's sec_trailer, the SPNEGO NegTokenResp
 * and the NTLMSSP CHALLENGE inside it, the alter_context_resp with SPNEGO's
 * last word - then the response PDUs of one rpc_call and their verifiers.
 * fuzz_dcerpc covers the unauthenticated association, fuzz_ntlmssp the
 * token parsers alone; this one covers the glue between them.
 *
 * Input: byte 0 picks the level (mod 3: connect, integrity, privacy) and
 * the auth type ((byte / 3) mod 2: SPNEGO 9 or bare NTLMSSP 10); the rest
 * is the byte stream the server sends, served by an in-memory pipe.
 * Besides no crash and no leak: a failed bind or call hands out nothing,
 * and no byte we write to the pipe carries the password (UTF-8 or
 * UTF-16LE) unless the server's bytes did.  Seeds: corpus/rpc_auth/ (made
 * by make_rpc_auth_seeds.py). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_priv.h"
#include "fuzz_pipe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char password[] = "fuzz-Secret-1";

/* Does b hold the password, as UTF-8 or as UTF-16LE? */
static int has_password(const uint8_t *b, size_t n)
{
    uint8_t pw16[2 * sizeof(password)];
    size_t i;

    for (i = 0; i + 1 < sizeof(password); i++) {
        pw16[2 * i] = (uint8_t)password[i];
        pw16[2 * i + 1] = 0;
    }
    return memmem(b, n, password, sizeof(password) - 1) ||
           memmem(b, n, pw16, 2 * (sizeof(password) - 1));
}

static DWORD fp_write_all(struct mpr_pipe *p, const uint8_t *b, size_t n)
{
    struct fuzz_pipe *fp = (struct fuzz_pipe *)p;

    /* The server's TargetInfo is echoed in AUTHENTICATE, so only a password
     * the input does not hold itself is a leak. */
    if (has_password(b, n) && !has_password(fp->in, fp->len))
        abort();
    return NO_ERROR;
}

static const struct mpr_pipe_ops fp_ops = {
    fp_write_all, fuzz_pipe_read_exact, fuzz_pipe_close};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const DWORD levels[3] = {DCERPC_AUTHN_LEVEL_CONNECT,
                                    DCERPC_AUTHN_LEVEL_PKT_INTEGRITY,
                                    DCERPC_AUTHN_LEVEL_PKT_PRIVACY};
    static const uint8_t req[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    struct mpr_creds creds = {.domain = (char *)"DOM",
                              .user = (char *)"user",
                              .password = (char *)password};
    struct fuzz_pipe fp = {.base = {.ops = &fp_ops}};
    struct rpc_conn *c = (struct rpc_conn *)&fp; /* must be overwritten */
    uint8_t *resp = NULL;
    size_t len = 0;
    DWORD level, type, rc;

    if (size < 1)
        return 0;
    level = levels[data[0] % 3];
    type = (data[0] / 3) % 2 ? DCERPC_AUTHN_WINNT : DCERPC_AUTHN_GSS_NEGOTIATE;
    fp.in = data + 1;
    fp.len = size - 1;
    rc = rpc_bind_auth_type(&fp.base, &rpc_iface_dimsvc, &creds, level, type,
                            &c);
    if (rc != NO_ERROR) {
        if (c != NULL)
            abort(); /* a failed bind hands out no association */
        return 0;
    }
    rc = rpc_call(c, 0, req, sizeof(req), &resp, &len);
    if (rc == NO_ERROR) {
        if (len > RPC_MAX_RESPONSE || (len && !resp))
            abort();
        free(resp);
    } else if (resp) {
        abort(); /* a failed call hands out nothing */
    }
    rpc_close(c);
    return 0;
}
