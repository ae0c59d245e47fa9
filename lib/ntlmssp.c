/* ntlmssp.c - NTLMSSP client per Microsoft's MS-NLMP: NEGOTIATE, a strict
 * parse of the server's CHALLENGE, AUTHENTICATE with an NTLMv2 response
 * (3.3.2), extended session security and key exchange (3.4.5), then
 * signing and sealing (3.4.3, 3.4.4) with separate client and server keys,
 * RC4 states and sequence numbers.  The primitives (MD4, MD5, HMAC-MD5,
 * RC4) come from nettle.  We never send or accept LM/NTLMv1, 40/56-bit keys
 * or sessions without extended session security: a server that offers only
 * those is refused. */
#include "config.h"

#include "ntlmssp_priv.h"
#include "le_priv.h"

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "detail_priv.h"
#include "names_priv.h"

#define NTLMSSP_NEGOTIATE 1u
#define NTLMSSP_CHALLENGE 2u
#define NTLMSSP_AUTHENTICATE 3u

#define NTLMSSP_NEGOTIATE_LEN 32u
#define NTLMSSP_CHALLENGE_MIN 48u /* up to and including TargetInfoFields */
#define NTLMSSP_AUTH_HDR_LEN 64u  /* no Version, no MIC */

/* AV_PAIR ids, MS-NLMP 2.2.2.1. */
#define MSV_AV_EOL 0u
#define MSV_AV_TIMESTAMP 7u

/* A TargetInfo larger than this would not fit our DCE/RPC fragments
 * (it is echoed in the NTLMv2 response); refuse it with a clear reason. */
#define NTLMSSP_TARGET_INFO_MAX 2048u

/* Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
#define FILETIME_UNIX_OFFSET 11644473600ull

static const uint8_t ntlmssp_magic[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

/* Key-derivation constants, MS-NLMP 3.4.5.2 and 3.4.5.3 (the trailing NUL
 * is part of each constant). */
static const char c2s_sign[] =
    "session key to client-to-server signing key magic constant";
static const char s2c_sign[] =
    "session key to server-to-client signing key magic constant";
static const char c2s_seal[] =
    "session key to client-to-server sealing key magic constant";
static const char s2c_seal[] =
    "session key to server-to-client sealing key magic constant";

enum ntlmssp_state { NTLMSSP_NEW, NTLMSSP_NEGOTIATED, NTLMSSP_READY };

struct ntlmssp {
    enum ntlmssp_state state;
    struct mpr_creds creds;
    uint32_t flags; /* what we ask for; after CHALLENGE, what was agreed */
    int fixed_inputs;
    uint8_t client_chal[8];
    uint64_t filetime;
    uint8_t exported_key[16];
    uint8_t send_sign_key[16];
    uint8_t recv_sign_key[16];
    struct arcfour_ctx send_seal;
    struct arcfour_ctx recv_seal;
    uint32_t send_seq;
    uint32_t recv_seq;
};

/* UTF-8 -> UTF-16LE bytes (malloc'd; *len in bytes, no terminator).  upper:
 * upper-case ASCII letters, for the user name in NTOWFv2 (MS-NLMP 3.3.2);
 * non-ASCII letters are left as they are (a known limit). */
static uint8_t *to_utf16le(const char *s, int upper, size_t *len)
{
    LPWSTR w = utf8_to_utf16(s ? s : "");
    size_t n, i;
    uint8_t *out;

    if (!w)
        return NULL;
    n = utf16_len(w);
    out = malloc(n * 2 + 1);
    if (out) {
        for (i = 0; i < n; i++) {
            uint16_t u = w[i];

            if (upper && u >= 'a' && u <= 'z')
                u = (uint16_t)(u - 'a' + 'A');
            put_u16(out + 2 * i, u);
        }
        *len = n * 2;
    }
    explicit_bzero(w, n * 2);
    free(w);
    return out;
}

static void hmac_md5(const uint8_t *key, size_t key_len, const uint8_t *a,
                     size_t a_len, const uint8_t *b, size_t b_len,
                     uint8_t out[16])
{
    struct hmac_md5_ctx ctx;

    hmac_md5_set_key(&ctx, key_len, key);
    hmac_md5_update(&ctx, a_len, a);
    if (b_len)
        hmac_md5_update(&ctx, b_len, b);
    hmac_md5_digest(&ctx, 16, out);
    explicit_bzero(&ctx, sizeof(ctx));
}

/* NTOWFv2 (MS-NLMP 3.3.2): HMAC_MD5(MD4(UNICODE(password)),
 * UNICODE(Uppercase(user) || domain)). */
static DWORD ntowf_v2(const struct mpr_creds *c, uint8_t out[16])
{
    struct md4_ctx md4;
    uint8_t nt_hash[16];
    size_t plen = 0, ulen = 0, dlen = 0;
    uint8_t *pw = to_utf16le(c->password, 0, &plen);
    uint8_t *user = to_utf16le(c->user, 1, &ulen);
    uint8_t *dom = to_utf16le(c->domain, 0, &dlen);
    DWORD rc = ERROR_NOT_ENOUGH_MEMORY;

    if (pw && user && dom) {
        md4_init(&md4);
        md4_update(&md4, plen, pw);
        md4_digest(&md4, sizeof(nt_hash), nt_hash);
        hmac_md5(nt_hash, sizeof(nt_hash), user, ulen, dom, dlen, out);
        explicit_bzero(nt_hash, sizeof(nt_hash));
        explicit_bzero(&md4, sizeof(md4));
        rc = NO_ERROR;
    }
    if (pw)
        explicit_bzero(pw, plen);
    free(pw);
    free(user);
    free(dom);
    return rc;
}

DWORD ntlmssp_client_new(const struct mpr_creds *creds, uint32_t want,
                         struct ntlmssp **out)
{
    struct ntlmssp *n;
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (want & ~(NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL) ||
        want == NTLMSSP_NEGOTIATE_SEAL)
        return ERROR_INVALID_PARAMETER;
    if (!creds || !creds->user || !creds->user[0]) {
        detail_set("RPC authentication needs a user name");
        return ERROR_INVALID_PARAMETER;
    }
    n = calloc(1, sizeof(*n));
    if (!n)
        return ERROR_NOT_ENOUGH_MEMORY;
    rc = creds_copy(creds, &n->creds);
    if (rc != NO_ERROR) {
        ntlmssp_free(n);
        return rc;
    }
    /* SIGN only when PDUs will carry signatures: a server that agreed to
     * it signs its responses, and Samba refuses to answer at DCE/RPC level
     * connect (no verifiers) when SIGN was negotiated. */
    n->flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET |
               NTLMSSP_NEGOTIATE_NTLM |
               NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
               NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | want;
    if (want & NTLMSSP_NEGOTIATE_SIGN)
        n->flags |= NTLMSSP_NEGOTIATE_ALWAYS_SIGN;
    *out = n;
    return NO_ERROR;
}

void ntlmssp_set_test_inputs(struct ntlmssp *n, const uint8_t client_chal[8],
                             uint64_t filetime, const uint8_t session_key[16])
{
    memcpy(n->client_chal, client_chal, 8);
    n->filetime = filetime;
    memcpy(n->exported_key, session_key, 16);
    n->fixed_inputs = 1;
}

DWORD ntlmssp_negotiate(struct ntlmssp *n, uint8_t **tok, size_t *tok_len)
{
    uint8_t *m;

    if (!n || !tok || !tok_len || n->state != NTLMSSP_NEW)
        return ERROR_INVALID_PARAMETER;
    m = calloc(1, NTLMSSP_NEGOTIATE_LEN);
    if (!m)
        return ERROR_NOT_ENOUGH_MEMORY;
    /* Signature, MessageType, NegotiateFlags; DomainNameFields and
     * WorkstationFields stay empty (offsets 0): we supply neither. */
    memcpy(m, ntlmssp_magic, 8);
    put_u32(m + 8, NTLMSSP_NEGOTIATE);
    put_u32(m + 12, n->flags);
    n->state = NTLMSSP_NEGOTIATED;
    *tok = m;
    *tok_len = NTLMSSP_NEGOTIATE_LEN;
    return NO_ERROR;
}

/* A security buffer (len, maxlen, offset; MS-NLMP 2.2.2.*) of a message of
 * msg_len bytes whose fixed part is fixed_len: in bounds or refused. */
static int sec_buffer(const uint8_t *f, size_t msg_len, size_t fixed_len,
                      size_t *off, size_t *len)
{
    *len = get_u16(f);
    *off = get_u32(f + 4);
    if (*len == 0)
        return 1;
    return *off >= fixed_len && *off <= msg_len && *len <= msg_len - *off;
}

/* Walk the AV_PAIR list (MS-NLMP 2.2.2.1): every pair inside the buffer,
 * ends with exactly one MsvAvEOL and nothing after it, at most one
 * timestamp of 8 bytes.  *has_ts tells whether the server sent one. */
static int parse_av_pairs(const uint8_t *p, size_t len, int *has_ts,
                          uint64_t *ts)
{
    size_t off = 0;

    *has_ts = 0;
    while (len - off >= 4) {
        uint16_t id = get_u16(p + off), alen = get_u16(p + off + 2);

        off += 4;
        if (alen > len - off)
            return 0;
        if (id == MSV_AV_EOL)
            return alen == 0 && off == len;
        if (id == MSV_AV_TIMESTAMP) {
            if (alen != 8 || *has_ts)
                return 0;
            *has_ts = 1;
            *ts = (uint64_t)get_u32(p + off) |
                  ((uint64_t)get_u32(p + off + 4) << 32);
        }
        off += alen;
    }
    return 0; /* no MsvAvEOL */
}

static void derive_key(const uint8_t key[16], const char *magic,
                       uint8_t out[16])
{
    struct md5_ctx md5;

    md5_init(&md5);
    md5_update(&md5, 16, key);
    md5_update(&md5, strlen(magic) + 1, (const uint8_t *)magic);
    md5_digest(&md5, 16, out);
}

/* MS-NLMP 3.4.5.2-3.4.5.3, extended session security, 128-bit keys. */
static void derive_session_keys(struct ntlmssp *n)
{
    uint8_t seal[16];

    derive_key(n->exported_key, c2s_sign, n->send_sign_key);
    derive_key(n->exported_key, s2c_sign, n->recv_sign_key);
    derive_key(n->exported_key, c2s_seal, seal);
    arcfour_set_key(&n->send_seal, 16, seal);
    derive_key(n->exported_key, s2c_seal, seal);
    arcfour_set_key(&n->recv_seal, 16, seal);
    explicit_bzero(seal, sizeof(seal));
}

static DWORD challenge_error(const char *why)
{
    detail_set("malformed NTLMSSP CHALLENGE from the server: %s", why);
    return RPC_S_PROTOCOL_ERROR;
}

/* Agree on flags: what both sides set, and refuse what we will not do. */
static DWORD agree_flags(struct ntlmssp *n, uint32_t server)
{
    const uint32_t required =
        NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM |
        NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |
        (n->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL));

    if ((server & required) != required) {
        detail_set("NTLMSSP server did not agree to flags 0x%08x (offered "
                   "0x%08x): NTLMv2 with extended session security and "
                   "128-bit keys%s is required",
                   (unsigned)required, (unsigned)server,
                   (n->flags & NTLMSSP_NEGOTIATE_SEAL)   ? ", signing, sealing"
                   : (n->flags & NTLMSSP_NEGOTIATE_SIGN) ? ", signing"
                                                         : "");
        return ERROR_ACCESS_DENIED;
    }
    n->flags &= server | NTLMSSP_REQUEST_TARGET;
    return NO_ERROR;
}

DWORD ntlmssp_authenticate(struct ntlmssp *n, const uint8_t *chal,
                           size_t chal_len, uint8_t **tok, size_t *tok_len)
{
    size_t tn_off, tn_len, ti_off, ti_len;
    size_t dom_len = 0, user_len = 0, nt_len, total, off;
    uint8_t *dom = NULL, *user = NULL, *m = NULL, *temp;
    uint8_t ntowf[16], proof[16], base_key[16], lm[24];
    const uint8_t *server_chal;
    uint64_t ts = 0;
    int has_ts;
    DWORD rc;

    if (!n || !tok || !tok_len || (!chal && chal_len))
        return ERROR_INVALID_PARAMETER;
    if (n->state != NTLMSSP_NEGOTIATED)
        return ERROR_INVALID_PARAMETER;
    *tok = NULL;
    *tok_len = 0;

    /* CHALLENGE_MESSAGE, MS-NLMP 2.2.1.2. */
    if (chal_len < NTLMSSP_CHALLENGE_MIN)
        return challenge_error("too short");
    if (memcmp(chal, ntlmssp_magic, 8) != 0)
        return challenge_error("bad signature");
    if (get_u32(chal + 8) != NTLMSSP_CHALLENGE)
        return challenge_error("not a CHALLENGE message");
    if (!sec_buffer(chal + 12, chal_len, NTLMSSP_CHALLENGE_MIN, &tn_off,
                    &tn_len))
        return challenge_error("TargetName outside the message");
    server_chal = chal + 24;
    if (!sec_buffer(chal + 40, chal_len, NTLMSSP_CHALLENGE_MIN, &ti_off,
                    &ti_len))
        return challenge_error("TargetInfo outside the message");
    /* NTLMv2 needs the server's AV pairs (MS-NLMP 3.1.5.1.2). */
    if (!(get_u32(chal + 20) & NTLMSSP_NEGOTIATE_TARGET_INFO) || ti_len == 0)
        return challenge_error("no TargetInfo (NTLMv2 needs it)");
    if (ti_len > NTLMSSP_TARGET_INFO_MAX)
        return challenge_error("TargetInfo larger than 2048 bytes");
    if (!parse_av_pairs(chal + ti_off, ti_len, &has_ts, &ts))
        return challenge_error("malformed AV_PAIR list in TargetInfo");
    rc = agree_flags(n, get_u32(chal + 20));
    if (rc != NO_ERROR)
        return rc;

    if (!n->fixed_inputs) {
        struct timespec now;

        if (getrandom(n->client_chal, 8, 0) != 8 ||
            getrandom(n->exported_key, 16, 0) != 16) {
            detail_set("no random bytes for NTLMSSP");
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        clock_gettime(CLOCK_REALTIME, &now);
        n->filetime =
            ((uint64_t)now.tv_sec + FILETIME_UNIX_OFFSET) * 10000000ull +
            (uint64_t)now.tv_nsec / 100u;
    }
    /* MS-NLMP 3.1.5.1.2: use the server's time when it sent one. */
    if (has_ts)
        n->filetime = ts;

    rc = ntowf_v2(&n->creds, ntowf);
    if (rc != NO_ERROR)
        return rc;
    dom = to_utf16le(n->creds.domain, 0, &dom_len);
    user = to_utf16le(n->creds.user, 0, &user_len);
    nt_len = 16 + 28 + ti_len + 4;
    total = NTLMSSP_AUTH_HDR_LEN + 24 + nt_len + dom_len + user_len + 16;
    if (dom && user && total <= UINT16_MAX)
        m = calloc(1, total);
    if (!m) {
        rc = dom && user ? ERROR_INVALID_PARAMETER : ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }

    /* The NTLMv2 response, MS-NLMP 3.3.2: NTProofStr || temp, temp =
     * Responserversion, HiResponserversion, Z(6), Time, ClientChallenge,
     * Z(4), ServerName (the AV pairs), Z(4). */
    off = NTLMSSP_AUTH_HDR_LEN + 24;
    temp = m + off + 16;
    temp[0] = 1;
    temp[1] = 1;
    put_u32(temp + 8, (uint32_t)n->filetime);
    put_u32(temp + 12, (uint32_t)(n->filetime >> 32));
    memcpy(temp + 16, n->client_chal, 8);
    memcpy(temp + 28, chal + ti_off, ti_len);
    hmac_md5(ntowf, 16, server_chal, 8, temp, nt_len - 16, proof);
    memcpy(m + off, proof, 16);
    hmac_md5(ntowf, 16, proof, 16, NULL, 0, base_key);
    /* LMv2, unless the server's timestamp asks for Z(24) (3.1.5.1.2). */
    memset(lm, 0, sizeof(lm));
    if (!has_ts) {
        hmac_md5(ntowf, 16, server_chal, 8, n->client_chal, 8, lm);
        memcpy(lm + 16, n->client_chal, 8);
    }
    memcpy(m + NTLMSSP_AUTH_HDR_LEN, lm, 24);

    /* Key exchange (3.4.5.1 and 3.1.5.1.2): KeyExchangeKey is the session
     * base key for NTLMv2; with KEY_EXCH our random key travels RC4-ed
     * under it, else the base key is the exported key. */
    if (n->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        struct arcfour_ctx rc4;

        arcfour_set_key(&rc4, 16, base_key);
        arcfour_crypt(&rc4, 16, m + total - 16, n->exported_key);
        explicit_bzero(&rc4, sizeof(rc4));
    } else {
        memcpy(n->exported_key, base_key, 16);
    }

    /* AUTHENTICATE_MESSAGE, MS-NLMP 2.2.1.3: fields, then the payload in
     * field order (LM, NT, domain, user, workstation (empty), key). */
    memcpy(m, ntlmssp_magic, 8);
    put_u32(m + 8, NTLMSSP_AUTHENTICATE);
    off = NTLMSSP_AUTH_HDR_LEN;
    put_u16(m + 12, 24);
    put_u16(m + 14, 24);
    put_u32(m + 16, (uint32_t)off);
    off += 24;
    put_u16(m + 20, (uint16_t)nt_len);
    put_u16(m + 22, (uint16_t)nt_len);
    put_u32(m + 24, (uint32_t)off);
    off += nt_len;
    put_u16(m + 28, (uint16_t)dom_len);
    put_u16(m + 30, (uint16_t)dom_len);
    put_u32(m + 32, (uint32_t)off);
    memcpy(m + off, dom, dom_len);
    off += dom_len;
    put_u16(m + 36, (uint16_t)user_len);
    put_u16(m + 38, (uint16_t)user_len);
    put_u32(m + 40, (uint32_t)off);
    memcpy(m + off, user, user_len);
    off += user_len;
    put_u32(m + 48, (uint32_t)off); /* workstation: empty */
    if (n->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        put_u16(m + 52, 16);
        put_u16(m + 54, 16);
        put_u32(m + 56, (uint32_t)off);
        off += 16;
    } else {
        put_u32(m + 56, (uint32_t)off);
    }
    put_u32(m + 60, n->flags);

    derive_session_keys(n);
    n->state = NTLMSSP_READY;
    /* The password's only use was the response above; the session keys
     * are what signing and sealing need from now on. */
    creds_clear(&n->creds);
    *tok = m;
    *tok_len = off;
    rc = NO_ERROR;
out:
    explicit_bzero(ntowf, sizeof(ntowf));
    explicit_bzero(base_key, sizeof(base_key));
    explicit_bzero(lm, sizeof(lm));
    free(dom);
    free(user);
    return rc;
}

/* MAC (MS-NLMP 3.4.4.2, extended session security): version 1,
 * HMAC_MD5(key, seq || msg)[0..8] (RC4-ed with the sealing state when keys
 * were exchanged), seq. */
static void make_sig(const struct ntlmssp *n, const uint8_t key[16],
                     struct arcfour_ctx *seal, uint32_t seq, const uint8_t *msg,
                     size_t msg_len, uint8_t sig[NTLMSSP_SIG_LEN])
{
    uint8_t seq_le[4], mac[16];

    put_u32(seq_le, seq);
    hmac_md5(key, 16, seq_le, 4, msg, msg_len, mac);
    put_u32(sig, 1);
    if (n->flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
        arcfour_crypt(seal, 8, sig + 4, mac);
    else
        memcpy(sig + 4, mac, 8);
    put_u32(sig + 12, seq);
}

static int sig_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t d = 0;

    for (size_t i = 0; i < NTLMSSP_SIG_LEN; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

DWORD ntlmssp_sign(struct ntlmssp *n, const uint8_t *msg, size_t msg_len,
                   uint8_t sig[NTLMSSP_SIG_LEN])
{
    if (!n || n->state != NTLMSSP_READY || !sig || (!msg && msg_len) ||
        !(n->flags & NTLMSSP_NEGOTIATE_SIGN))
        return ERROR_INVALID_PARAMETER;
    make_sig(n, n->send_sign_key, &n->send_seal, n->send_seq++, msg, msg_len,
             sig);
    return NO_ERROR;
}

DWORD ntlmssp_seal(struct ntlmssp *n, uint8_t *data, size_t data_len,
                   const uint8_t *msg, size_t msg_len,
                   uint8_t sig[NTLMSSP_SIG_LEN])
{
    uint8_t seq_le[4], mac[16];
    uint32_t seq;

    if (!n || n->state != NTLMSSP_READY || !sig || (!msg && msg_len) ||
        (!data && data_len) || !(n->flags & NTLMSSP_NEGOTIATE_SEAL))
        return ERROR_INVALID_PARAMETER;
    /* 3.4.3: the MAC is over the plain text, then the data is encrypted
     * and then the checksum, both with the one RC4 stream. */
    seq = n->send_seq++;
    put_u32(seq_le, seq);
    hmac_md5(n->send_sign_key, 16, seq_le, 4, msg, msg_len, mac);
    arcfour_crypt(&n->send_seal, data_len, data, data);
    put_u32(sig, 1);
    if (n->flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
        arcfour_crypt(&n->send_seal, 8, sig + 4, mac);
    else
        memcpy(sig + 4, mac, 8);
    put_u32(sig + 12, seq);
    return NO_ERROR;
}

DWORD ntlmssp_verify(struct ntlmssp *n, const uint8_t *msg, size_t msg_len,
                     const uint8_t sig[NTLMSSP_SIG_LEN])
{
    uint8_t want[NTLMSSP_SIG_LEN];

    if (!n || n->state != NTLMSSP_READY || !sig || (!msg && msg_len) ||
        !(n->flags & NTLMSSP_NEGOTIATE_SIGN))
        return ERROR_INVALID_PARAMETER;
    make_sig(n, n->recv_sign_key, &n->recv_seal, n->recv_seq++, msg, msg_len,
             want);
    return sig_equal(want, sig) ? NO_ERROR : ERROR_ACCESS_DENIED;
}

DWORD ntlmssp_unseal(struct ntlmssp *n, uint8_t *data, size_t data_len,
                     const uint8_t *msg, size_t msg_len,
                     const uint8_t sig[NTLMSSP_SIG_LEN])
{
    if (!n || n->state != NTLMSSP_READY || !sig || (!msg && msg_len) ||
        (!data && data_len) || !(n->flags & NTLMSSP_NEGOTIATE_SEAL))
        return ERROR_INVALID_PARAMETER;
    arcfour_crypt(&n->recv_seal, data_len, data, data);
    return ntlmssp_verify(n, msg, msg_len, sig);
}

void ntlmssp_free(struct ntlmssp *n)
{
    if (!n)
        return;
    creds_clear(&n->creds);
    explicit_bzero(n, sizeof(*n));
    free(n);
}
