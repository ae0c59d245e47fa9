/* fuzz_ntlmssp.c - libFuzzer target for the NTLMSSP client's parse of the
 * server's CHALLENGE message (network input) and for the signature checks
 * that follow it.
 *
 * Input: byte 0 picks what the client asks for (0: authentication only,
 * 1: signing, 2: signing and sealing); bytes 1-2 (little-endian) are the
 * length of the CHALLENGE that follows; the rest is a server message.  When
 * the CHALLENGE (also parsed as an SPNEGO NegTokenResp) is
 * accepted, the AUTHENTICATE we build must keep every field inside the
 * message and must not carry the password in any form we can spot (its
 * UTF-16LE or UTF-8 bytes, unless the input itself holds them: the server's
 * TargetInfo is echoed); then the rest is handed to verify and unseal as a
 * server's message (signature first), and to rpc_auth_check_response as a
 * DCE/RPC response PDU with a sec_trailer.  Any crash, leak, or broken
 * promise (abort) is a finding.  See tests/fuzz/local.mk for how to run it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlmssp_priv.h"
#include "rpc_auth_priv.h"
#include "spnego_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char password[] = "fuzz-Secret-1";

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Every (len, maxlen, offset) field of AUTHENTICATE lies inside it. */
static void check_authenticate(const uint8_t *m, size_t len, const uint8_t *in,
                               size_t in_len)
{
    static const size_t fields[] = {12, 20, 28, 36, 44, 52};
    uint8_t pw16[2 * sizeof(password)];
    size_t i;

    if (len < 64 || memcmp(m, "NTLMSSP\0\3\0\0\0", 12) != 0)
        abort();
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        size_t flen = (size_t)(m[fields[i]] | m[fields[i] + 1] << 8);
        size_t off = rd32(m + fields[i] + 4);

        if (flen && (off < 64 || off > len || flen > len - off))
            abort();
    }
    for (i = 0; i + 1 < sizeof(password); i++) {
        pw16[2 * i] = (uint8_t)password[i];
        pw16[2 * i + 1] = 0;
    }
    if (memmem(m, len, pw16, 2 * (sizeof(password) - 1)) &&
        !memmem(in, in_len, pw16, 2 * (sizeof(password) - 1)))
        abort();
    if (memmem(m, len, password, sizeof(password) - 1) &&
        !memmem(in, in_len, password, sizeof(password) - 1))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mpr_creds c = {.domain = (char *)"DOM",
                          .user = (char *)"user",
                          .password = (char *)password};
    static const uint32_t wants[3] = {0, NTLMSSP_NEGOTIATE_SIGN,
                                      NTLMSSP_NEGOTIATE_SIGN |
                                          NTLMSSP_NEGOTIATE_SEAL};
    struct ntlmssp *n = NULL;
    uint8_t *tok = NULL, *copy;
    size_t len = 0, chal_len;
    uint32_t want;

    if (size < 3)
        return 0;
    want = wants[data[0] % 3];
    chal_len = (size_t)(data[1] | data[2] << 8);
    data += 3;
    size -= 3;
    if (chal_len > size)
        chal_len = size;
    /* The CHALLENGE bytes as an SPNEGO NegTokenResp too (auth type 9
     * wraps it in one): a token found must lie inside the input. */
    {
        struct spnego_resp r;

        if (spnego_parse_resp(data, chal_len, &r) == NO_ERROR && r.token &&
            (r.token < data || r.token_len > chal_len ||
             r.token > data + chal_len - r.token_len))
            abort();
    }
    if (ntlmssp_client_new(&c, want, &n) != NO_ERROR)
        abort();
    if (ntlmssp_negotiate(n, &tok, &len) != NO_ERROR)
        abort();
    free(tok);
    tok = NULL;
    if (ntlmssp_authenticate(n, data, chal_len, &tok, &len) != NO_ERROR) {
        if (tok)
            abort();
        ntlmssp_free(n);
        return 0;
    }
    check_authenticate(tok, len, data, chal_len);
    free(tok);
    data += chal_len;
    size -= chal_len;
    /* The input again, as a signed or sealed server message: the check
     * must say yes or no, nothing else. */
    if (size >= NTLMSSP_SIG_LEN && want) {
        DWORD rc;

        copy = malloc(size);
        if (!copy)
            abort();
        memcpy(copy, data, size);
        if (want & NTLMSSP_NEGOTIATE_SEAL)
            rc = ntlmssp_unseal(n, copy + NTLMSSP_SIG_LEN,
                                size - NTLMSSP_SIG_LEN, copy + NTLMSSP_SIG_LEN,
                                size - NTLMSSP_SIG_LEN, data);
        else
            rc = ntlmssp_verify(n, data + NTLMSSP_SIG_LEN,
                                size - NTLMSSP_SIG_LEN, data);
        if (rc != NO_ERROR && rc != ERROR_ACCESS_DENIED)
            abort();
        free(copy);
    }
    /* And as a response PDU on an association at the matching level. */
    {
        struct rpc_auth a = {.ntlm = n, .context_id = 1};
        struct dcerpc_hdr h;
        size_t pad;

        a.level = want == 0 ? DCERPC_AUTHN_LEVEL_CONNECT
                  : (want & NTLMSSP_NEGOTIATE_SEAL)
                      ? DCERPC_AUTHN_LEVEL_PKT_PRIVACY
                      : DCERPC_AUTHN_LEVEL_PKT_INTEGRITY;
        if (dcerpc_decode_hdr(data, size, &h) == NO_ERROR &&
            h.frag_length <= size) {
            DWORD rc;

            copy = malloc(h.frag_length);
            if (!copy)
                abort();
            memcpy(copy, data, h.frag_length);
            rc = rpc_auth_check_response(&a, copy, &h, &pad);
            if (rc != NO_ERROR && rc != RPC_S_PROTOCOL_ERROR)
                abort();
            if (rc == NO_ERROR && h.auth_length &&
                pad > (size_t)h.frag_length - h.auth_length)
                abort();
            free(copy);
        }
    }
    ntlmssp_free(n);
    return 0;
}
