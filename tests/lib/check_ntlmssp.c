/* check_ntlmssp.c - the NTLMSSP client (lib/ntlmssp.c) against Microsoft's
 * published NTLMv2 test vectors (MS-NLMP 4.2.1 inputs, 4.2.4 results), its
 * strict parse of CHALLENGE messages, and the SPNEGO tokens around it
 * (lib/spnego.c; expected DER derived by hand from RFC 4178 4.2, field by
 * field in the comments). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ntlmssp_priv.h"
#include "spnego_priv.h"

/* MS-NLMP 4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example (flags
 * 0xe28a8233; TargetName "Server"; TargetInfo: NbDomainName "Domain",
 * NbComputerName "Server", EOL). */
static const uint8_t spec_challenge[] = {
    0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 0x02, 0x00, 0x00, 0x00,
    0x0c, 0x00, 0x0c, 0x00, 0x38, 0x00, 0x00, 0x00, 0x33, 0x82, 0x8a, 0xe2,
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x24, 0x00, 0x44, 0x00, 0x00, 0x00,
    0x06, 0x00, 0x70, 0x17, 0x00, 0x00, 0x00, 0x0f, 0x53, 0x00, 0x65, 0x00,
    0x72, 0x00, 0x76, 0x00, 0x65, 0x00, 0x72, 0x00, 0x02, 0x00, 0x0c, 0x00,
    0x44, 0x00, 0x6f, 0x00, 0x6d, 0x00, 0x61, 0x00, 0x69, 0x00, 0x6e, 0x00,
    0x01, 0x00, 0x0c, 0x00, 0x53, 0x00, 0x65, 0x00, 0x72, 0x00, 0x76, 0x00,
    0x65, 0x00, 0x72, 0x00, 0x00, 0x00, 0x00, 0x00};
#define TI_OFF 0x44u
#define TI_LEN 0x24u

/* MS-NLMP 4.2.1: client challenge, time 0, random session key 0x55 x16. */
static const uint8_t client_chal[8] = {0xaa, 0xaa, 0xaa, 0xaa,
                                       0xaa, 0xaa, 0xaa, 0xaa};
static const uint8_t random_key[16] = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                                       0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                                       0x55, 0x55, 0x55, 0x55};

/* MS-NLMP 4.2.4.2.1 LMv2 response. */
static const uint8_t spec_lmv2[24] = {
    0x86, 0xc3, 0x50, 0x97, 0xac, 0x9c, 0xec, 0x10, 0x25, 0x54, 0x76, 0x4a,
    0x57, 0xcc, 0xcc, 0x19, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
/* 4.2.4.2.2: NTProofStr. */
static const uint8_t spec_proof[16] = {0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5,
                                       0x1c, 0x96, 0xaa, 0xbc, 0x92, 0x7b,
                                       0xeb, 0xef, 0x6a, 0x1c};
/* 4.2.4.1.3: temp (the NTLMv2 client challenge structure). */
static const uint8_t spec_temp[] = {
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x44, 0x00, 0x6f, 0x00,
    0x6d, 0x00, 0x61, 0x00, 0x69, 0x00, 0x6e, 0x00, 0x01, 0x00, 0x0c, 0x00,
    0x53, 0x00, 0x65, 0x00, 0x72, 0x00, 0x76, 0x00, 0x65, 0x00, 0x72, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
/* 4.2.4.2.3: EncryptedRandomSessionKey. */
static const uint8_t spec_enc_key[16] = {0xc5, 0xda, 0xd2, 0x54, 0x4f, 0xc9,
                                         0x79, 0x90, 0x94, 0xce, 0x1c, 0xe9,
                                         0x0b, 0xc9, 0xd0, 0x3e};
/* 4.2.4.4: "Plaintext" in UTF-16LE, sealed with sequence number 0, and
 * its signature. */
static const uint8_t plaintext[18] = {0x50, 0x00, 0x6c, 0x00, 0x61, 0x00,
                                      0x69, 0x00, 0x6e, 0x00, 0x74, 0x00,
                                      0x65, 0x00, 0x78, 0x00, 0x74, 0x00};
static const uint8_t spec_sealed[18] = {0x54, 0xe5, 0x01, 0x65, 0xbf, 0x19,
                                        0x36, 0xdc, 0x99, 0x60, 0x20, 0xc1,
                                        0x81, 0x1b, 0x0f, 0x06, 0xfb, 0x5f};
static const uint8_t spec_sig[16] = {0x01, 0x00, 0x00, 0x00, 0x7f, 0xb3,
                                     0x8e, 0xc5, 0xc5, 0x5d, 0x49, 0x76,
                                     0x00, 0x00, 0x00, 0x00};

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

/* A context for User / Password / Domain at 4.2.1's inputs, past
 * NEGOTIATE. */
static struct ntlmssp *spec_client(int seal)
{
    struct mpr_creds c = {.domain = (char *)"Domain",
                          .user = (char *)"User",
                          .password = (char *)"Password"};
    struct ntlmssp *n = NULL;
    uint8_t *tok = NULL;
    size_t len = 0;

    ck_assert_uint_eq(
        ntlmssp_client_new(
            &c, NTLMSSP_NEGOTIATE_SIGN | (seal ? NTLMSSP_NEGOTIATE_SEAL : 0u),
            &n),
        NO_ERROR);
    ntlmssp_set_test_inputs(n, client_chal, 0, random_key);
    ck_assert_uint_eq(ntlmssp_negotiate(n, &tok, &len), NO_ERROR);
    free(tok);
    return n;
}

/* The payload of the AUTHENTICATE field at fo: checks bounds too. */
static const uint8_t *field(const uint8_t *m, size_t mlen, size_t fo,
                            size_t *len)
{
    size_t off = rd32(m + fo + 4);

    *len = rd16(m + fo);
    ck_assert_uint_eq(rd16(m + fo + 2), *len);
    ck_assert_uint_le(off + *len, mlen);
    return m + off;
}

START_TEST(test_negotiate_message)
{
    struct ntlmssp *n = spec_client(1);
    struct mpr_creds c = {.user = (char *)"u"};
    uint8_t *tok = NULL;
    size_t len = 0;

    /* A second NEGOTIATE on the same context is a misuse. */
    ck_assert_uint_eq(ntlmssp_negotiate(n, &tok, &len),
                      ERROR_INVALID_PARAMETER);
    ntlmssp_free(n);
    ck_assert_uint_eq(ntlmssp_client_new(&c, NTLMSSP_NEGOTIATE_SIGN, &n),
                      NO_ERROR);
    ck_assert_uint_eq(ntlmssp_negotiate(n, &tok, &len), NO_ERROR);
    ck_assert_uint_eq(len, 32);
    ck_assert_mem_eq(tok, "NTLMSSP\0\1\0\0\0", 12);
    /* UNICODE, REQUEST_TARGET, SIGN, NTLM, ALWAYS_SIGN, ESS, 128, KEY_EXCH;
     * no SEAL when not asked. */
    ck_assert_uint_eq(rd32(tok + 12), 0x60088215u);
    free(tok);
    ntlmssp_free(n);
    /* DCE/RPC level connect: neither SIGN nor ALWAYS_SIGN. */
    ck_assert_uint_eq(ntlmssp_client_new(&c, 0, &n), NO_ERROR);
    ck_assert_uint_eq(ntlmssp_negotiate(n, &tok, &len), NO_ERROR);
    ck_assert_uint_eq(rd32(tok + 12), 0x60080205u);
    free(tok);
    ntlmssp_free(n);
    /* SEAL without SIGN, or unknown bits, are refused. */
    ck_assert_uint_eq(ntlmssp_client_new(&c, NTLMSSP_NEGOTIATE_SEAL, &n),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(ntlmssp_client_new(&c, 1, &n), ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_spec_ntlmv2_authenticate)
{
    struct ntlmssp *n = spec_client(1);
    uint8_t *m = NULL;
    size_t mlen = 0, len;
    const uint8_t *p;

    ck_assert_uint_eq(ntlmssp_authenticate(n, spec_challenge,
                                           sizeof(spec_challenge), &m, &mlen),
                      NO_ERROR);
    ck_assert_mem_eq(m, "NTLMSSP\0\3\0\0\0", 12);
    p = field(m, mlen, 12, &len); /* LmChallengeResponse */
    ck_assert_uint_eq(len, 24);
    ck_assert_mem_eq(p, spec_lmv2, 24);
    p = field(m, mlen, 20, &len); /* NtChallengeResponse */
    ck_assert_uint_eq(len, 16 + sizeof(spec_temp));
    ck_assert_mem_eq(p, spec_proof, 16);
    ck_assert_mem_eq(p + 16, spec_temp, sizeof(spec_temp));
    p = field(m, mlen, 28, &len); /* DomainName */
    ck_assert_uint_eq(len, 12);
    ck_assert_mem_eq(p, "D\0o\0m\0a\0i\0n\0", 12);
    p = field(m, mlen, 36, &len); /* UserName, as typed */
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(p, "U\0s\0e\0r\0", 8);
    field(m, mlen, 44, &len); /* Workstation */
    ck_assert_uint_eq(len, 0);
    p = field(m, mlen, 52, &len); /* EncryptedRandomSessionKey */
    ck_assert_uint_eq(len, 16);
    ck_assert_mem_eq(p, spec_enc_key, 16);
    /* The flags both sides set (the server's OEM, VERSION, TARGET_TYPE and
     * 56 are not ours; REQUEST_TARGET is a request, kept as sent). */
    ck_assert_uint_eq(rd32(m + 60), 0x60088235u);
    free(m);
    ntlmssp_free(n);
}
END_TEST

START_TEST(test_spec_seal)
{
    struct ntlmssp *n = spec_client(1);
    uint8_t data[sizeof(plaintext)], sig[16];
    uint8_t *m = NULL;
    size_t mlen = 0;

    ck_assert_uint_eq(ntlmssp_authenticate(n, spec_challenge,
                                           sizeof(spec_challenge), &m, &mlen),
                      NO_ERROR);
    free(m);
    memcpy(data, plaintext, sizeof(data));
    ck_assert_uint_eq(
        ntlmssp_seal(n, data, sizeof(data), data, sizeof(data), sig), NO_ERROR);
    ck_assert_mem_eq(data, spec_sealed, sizeof(spec_sealed));
    ck_assert_mem_eq(sig, spec_sig, 16);
    /* The next signature carries sequence number 1. */
    ck_assert_uint_eq(ntlmssp_sign(n, plaintext, sizeof(plaintext), sig),
                      NO_ERROR);
    ck_assert_uint_eq(rd32(sig), 1);
    ck_assert_uint_eq(rd32(sig + 12), 1);
    ntlmssp_free(n);
}
END_TEST

START_TEST(test_misuse)
{
    struct mpr_creds nouser = {.password = (char *)"x"};
    struct ntlmssp *n = NULL;
    uint8_t sig[16], buf[4] = {0};

    ck_assert_uint_eq(ntlmssp_client_new(&nouser, NTLMSSP_NEGOTIATE_SIGN, &n),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(n);
    n = spec_client(0);
    /* No keys before AUTHENTICATE. */
    ck_assert_uint_eq(ntlmssp_sign(n, buf, sizeof(buf), sig),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(ntlmssp_verify(n, buf, sizeof(buf), sig),
                      ERROR_INVALID_PARAMETER);
    ntlmssp_free(n);
    ntlmssp_free(NULL);
}
END_TEST

/* Run a modified spec challenge; returns the code. */
static DWORD try_challenge(const uint8_t *chal, size_t len, int seal)
{
    struct ntlmssp *n = spec_client(seal);
    uint8_t *m = NULL;
    size_t mlen = 0;
    DWORD rc = ntlmssp_authenticate(n, chal, len, &m, &mlen);

    if (rc != NO_ERROR)
        ck_assert_ptr_null(m);
    free(m);
    ntlmssp_free(n);
    return rc;
}

START_TEST(test_challenge_strict)
{
    uint8_t c[sizeof(spec_challenge) + 16];
    size_t i;

    /* Every truncation is refused, never read past. */
    for (i = 0; i < sizeof(spec_challenge); i++)
        ck_assert_uint_eq(try_challenge(spec_challenge, i, 1),
                          RPC_S_PROTOCOL_ERROR);
    ck_assert_uint_eq(try_challenge(spec_challenge, sizeof(spec_challenge), 1),
                      NO_ERROR);

#define MUT(stmt, want)                                                        \
    do {                                                                       \
        memcpy(c, spec_challenge, sizeof(spec_challenge));                     \
        stmt;                                                                  \
        ck_assert_uint_eq(try_challenge(c, sizeof(spec_challenge), 1), want);  \
    } while (0)

    MUT(c[0] = 'X', RPC_S_PROTOCOL_ERROR);           /* signature */
    MUT(c[8] = 3, RPC_S_PROTOCOL_ERROR);             /* message type */
    MUT(c[12] = 0xff, RPC_S_PROTOCOL_ERROR);         /* TargetName length */
    MUT(c[16] = 0x10, RPC_S_PROTOCOL_ERROR);         /* TargetName in header */
    MUT(c[40] = 0x30, RPC_S_PROTOCOL_ERROR);         /* TargetInfo too long */
    MUT(c[44] = 0xf0, RPC_S_PROTOCOL_ERROR);         /* TargetInfo offset */
    MUT(c[47] = 0x80, RPC_S_PROTOCOL_ERROR);         /* offset 2^31 */
    MUT(c[40] = 0, RPC_S_PROTOCOL_ERROR);            /* no TargetInfo */
    MUT(c[22] &= 0x7f, RPC_S_PROTOCOL_ERROR);        /* no TARGET_INFO flag */
    MUT(c[TI_OFF + 2] = 0x0e, RPC_S_PROTOCOL_ERROR); /* AV length overruns */
    MUT(c[TI_OFF + 32] = 5, RPC_S_PROTOCOL_ERROR);   /* no EOL at the end */
    MUT(c[TI_OFF + 34] = 1, RPC_S_PROTOCOL_ERROR);   /* EOL with a length */
    /* A timestamp of the wrong size. */
    MUT((c[TI_OFF] = 7, c[TI_OFF + 2] = 4), RPC_S_PROTOCOL_ERROR);
    /* Flags we will not do without: ESS, 128-bit, NTLM, UNICODE. */
    MUT(c[22] &= (uint8_t)~0x08, ERROR_ACCESS_DENIED);
    MUT(c[23] &= (uint8_t)~0x20, ERROR_ACCESS_DENIED);
    MUT(c[21] &= (uint8_t)~0x02, ERROR_ACCESS_DENIED);
    MUT(c[20] &= (uint8_t)~0x01, ERROR_ACCESS_DENIED);
    /* No SEAL: refused only when sealing was asked for. */
    memcpy(c, spec_challenge, sizeof(spec_challenge));
    c[20] &= (uint8_t)~0x20;
    ck_assert_uint_eq(try_challenge(c, sizeof(spec_challenge), 1),
                      ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(try_challenge(c, sizeof(spec_challenge), 0), NO_ERROR);
    /* Bytes after the message are not the message's concern, but bytes
     * after EOL inside TargetInfo are refused. */
    memcpy(c, spec_challenge, sizeof(spec_challenge));
    memset(c + sizeof(spec_challenge), 0, 16);
    ck_assert_uint_eq(try_challenge(c, sizeof(c), 1), NO_ERROR);
    c[40] = TI_LEN + 4;
    c[42] = TI_LEN + 4;
    ck_assert_uint_eq(try_challenge(c, sizeof(c), 1), RPC_S_PROTOCOL_ERROR);
#undef MUT
}
END_TEST

/* A server timestamp (MsvAvTimestamp) goes into temp, and the LM response
 * becomes Z(24) (MS-NLMP 3.1.5.1.2). */
START_TEST(test_server_timestamp)
{
    uint8_t c[sizeof(spec_challenge) + 12];
    struct ntlmssp *n = spec_client(1);
    uint8_t *m = NULL;
    size_t mlen = 0, len;
    const uint8_t *p;
    static const uint8_t zero[24];

    memcpy(c, spec_challenge, sizeof(spec_challenge));
    /* Replace the EOL with a timestamp 0x0102030405060708, then EOL. */
    memcpy(c + TI_OFF + 32,
           "\x07\x00\x08\x00\x08\x07\x06\x05\x04\x03\x02\x01\0\0\0\0", 16);
    c[40] = TI_LEN + 12;
    c[42] = TI_LEN + 12;
    ck_assert_uint_eq(ntlmssp_authenticate(n, c, sizeof(c), &m, &mlen),
                      NO_ERROR);
    p = field(m, mlen, 12, &len);
    ck_assert_uint_eq(len, 24);
    ck_assert_mem_eq(p, zero, 24);
    p = field(m, mlen, 20, &len);
    ck_assert_mem_eq(p + 16 + 8, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    free(m);
    ntlmssp_free(n);
}
END_TEST

START_TEST(test_spnego_wrap_init)
{
    static const uint8_t want_head[] = {
        0x60, 0x40, /* [APPLICATION 0], 64 */
        0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, /* 1.3.6.1.5.5.2 */
        0xa0, 0x36, 0x30, 0x34, /* [0] NegTokenInit SEQ */
        0xa0, 0x0e, 0x30, 0x0c, /* [0] mechTypes SEQ OF */
        0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82,
        0x37, 0x02, 0x02, 0x0a,  /* 1.3.6.1.4.1.311.2.2.10 */
        0xa2, 0x22, 0x04, 0x20}; /* [2] mechToken, 32 */
    uint8_t tok[32], *out = NULL;
    size_t len = 0;

    memset(tok, 0x4e, sizeof(tok));
    ck_assert_uint_eq(spnego_wrap_init(tok, sizeof(tok), &out, &len), NO_ERROR);
    ck_assert_uint_eq(len, sizeof(want_head) + sizeof(tok));
    ck_assert_mem_eq(out, want_head, sizeof(want_head));
    ck_assert_mem_eq(out + sizeof(want_head), tok, sizeof(tok));
    free(out);
}
END_TEST

START_TEST(test_spnego_wrap_resp_roundtrip)
{
    static const uint8_t want_small[] = {0xa1, 0x09, 0x30, 0x07, 0xa2, 0x05,
                                         0x04, 0x03, 'a',  'b',  'c'};
    /* 300 bytes need the two-byte length form at every level. */
    static const uint8_t want_long[] = {0xa1, 0x82, 0x01, 0x38, 0x30, 0x82,
                                        0x01, 0x34, 0xa2, 0x82, 0x01, 0x30,
                                        0x04, 0x82, 0x01, 0x2c};
    uint8_t big[300], *out = NULL;
    struct spnego_resp r;
    size_t len = 0;

    ck_assert_uint_eq(spnego_wrap_resp((const uint8_t *)"abc", 3, &out, &len),
                      NO_ERROR);
    ck_assert_uint_eq(len, sizeof(want_small));
    ck_assert_mem_eq(out, want_small, len);
    free(out);
    memset(big, 0x33, sizeof(big));
    ck_assert_uint_eq(spnego_wrap_resp(big, sizeof(big), &out, &len), NO_ERROR);
    ck_assert_uint_eq(len, sizeof(want_long) + sizeof(big));
    ck_assert_mem_eq(out, want_long, sizeof(want_long));
    ck_assert_uint_eq(spnego_parse_resp(out, len, &r), NO_ERROR);
    ck_assert_uint_eq(r.neg_state, SPNEGO_NEG_STATE_ABSENT);
    ck_assert_ptr_eq(r.token, out + sizeof(want_long));
    ck_assert_uint_eq(r.token_len, sizeof(big));
    free(out);
}
END_TEST

/* What Samba 4.17 sent: the bind_ack's NegTokenResp (accept-incomplete,
 * NTLMSSP, a token) and the final accept-completed. */
static const uint8_t resp_incomplete[] = {
    0xa1, 0x1d, 0x30, 0x1b, 0xa0, 0x03, 0x0a, 0x01, 0x01, 0xa1, 0x0c,
    0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02,
    0x0a, 0xa2, 0x06, 0x04, 0x04, 'N',  'T',  'L',  'M'};
static const uint8_t resp_completed[] = {0xa1, 0x07, 0x30, 0x05, 0xa0,
                                         0x03, 0x0a, 0x01, 0x00};

START_TEST(test_spnego_parse)
{
    struct spnego_resp r;
    uint8_t c[64];
    size_t i;

    ck_assert_uint_eq(
        spnego_parse_resp(resp_incomplete, sizeof(resp_incomplete), &r),
        NO_ERROR);
    ck_assert_uint_eq(r.neg_state, SPNEGO_ACCEPT_INCOMPLETE);
    ck_assert_int_eq(r.has_mech, 1);
    ck_assert_int_eq(r.mech_is_ntlmssp, 1);
    ck_assert_uint_eq(r.token_len, 4);
    ck_assert_mem_eq(r.token, "NTLM", 4);
    ck_assert_int_eq(r.has_mic, 0);
    ck_assert_uint_eq(
        spnego_parse_resp(resp_completed, sizeof(resp_completed), &r),
        NO_ERROR);
    ck_assert_uint_eq(r.neg_state, SPNEGO_ACCEPT_COMPLETED);
    ck_assert_ptr_null(r.token);
    /* Every truncation fails cleanly. */
    for (i = 0; i < sizeof(resp_incomplete); i++)
        ck_assert_uint_eq(spnego_parse_resp(resp_incomplete, i, &r),
                          RPC_S_PROTOCOL_ERROR);

#define MUT(stmt, n, want)                                                     \
    do {                                                                       \
        memcpy(c, resp_incomplete, sizeof(resp_incomplete));                   \
        stmt;                                                                  \
        ck_assert_uint_eq(spnego_parse_resp(c, n, &r), want);                  \
    } while (0)

    /* A trailing byte, inside or after the outer TLV. */
    MUT(c[sizeof(resp_incomplete)] = 0, sizeof(resp_incomplete) + 1,
        RPC_S_PROTOCOL_ERROR);
    MUT(c[0] = 0xa0, sizeof(resp_incomplete), RPC_S_PROTOCOL_ERROR);
    MUT(c[2] = 0x31, sizeof(resp_incomplete), RPC_S_PROTOCOL_ERROR);
    MUT(c[1] = 0x80, sizeof(resp_incomplete), RPC_S_PROTOCOL_ERROR);
    MUT(c[8] = 4, sizeof(resp_incomplete), RPC_S_PROTOCOL_ERROR);
    MUT(c[6] = 0x02, sizeof(resp_incomplete), RPC_S_PROTOCOL_ERROR);
    /* Another mechanism is parsed, and reported as not ours. */
    memcpy(c, resp_incomplete, sizeof(resp_incomplete));
    c[22] = 0x0b;
    ck_assert_uint_eq(spnego_parse_resp(c, sizeof(resp_incomplete), &r),
                      NO_ERROR);
    ck_assert_int_eq(r.mech_is_ntlmssp, 0);
    /* Fields out of order: responseToken before negState. */
    {
        static const uint8_t swapped[] = {0xa1, 0x0d, 0x30, 0x0b, 0xa2,
                                          0x04, 0x04, 0x02, 'h',  'i',
                                          0xa0, 0x03, 0x0a, 0x01, 0x01};

        ck_assert_uint_eq(spnego_parse_resp(swapped, sizeof(swapped), &r),
                          RPC_S_PROTOCOL_ERROR);
    }
    /* Non-minimal lengths: 0x81 for a length under 128, 0x82 under 256. */
    {
        static const uint8_t long81[] = {0xa1, 0x81, 0x07, 0x30, 0x05,
                                         0xa0, 0x03, 0x0a, 0x01, 0x00};
        static const uint8_t long82[] = {0xa1, 0x82, 0x00, 0x07, 0x30, 0x05,
                                         0xa0, 0x03, 0x0a, 0x01, 0x00};

        ck_assert_uint_eq(spnego_parse_resp(long81, sizeof(long81), &r),
                          RPC_S_PROTOCOL_ERROR);
        ck_assert_uint_eq(spnego_parse_resp(long82, sizeof(long82), &r),
                          RPC_S_PROTOCOL_ERROR);
    }
    /* A mechListMIC is noticed (the client refuses it). */
    {
        static const uint8_t mic[] = {0xa1, 0x0d, 0x30, 0x0b, 0xa0,
                                      0x03, 0x0a, 0x01, 0x00, 0xa3,
                                      0x04, 0x04, 0x02, 0x01, 0x02};

        ck_assert_uint_eq(spnego_parse_resp(mic, sizeof(mic), &r), NO_ERROR);
        ck_assert_int_eq(r.has_mic, 1);
    }
#undef MUT
}
END_TEST

static Suite *ntlmssp_suite(void)
{
    Suite *s = suite_create("ntlmssp");
    TCase *t = tcase_create("ms-nlmp");

    tcase_add_test(t, test_negotiate_message);
    tcase_add_test(t, test_spec_ntlmv2_authenticate);
    tcase_add_test(t, test_spec_seal);
    tcase_add_test(t, test_misuse);
    tcase_add_test(t, test_challenge_strict);
    tcase_add_test(t, test_server_timestamp);
    suite_add_tcase(s, t);
    t = tcase_create("spnego");
    tcase_add_test(t, test_spnego_wrap_init);
    tcase_add_test(t, test_spnego_wrap_resp_roundtrip);
    tcase_add_test(t, test_spnego_parse);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ntlmssp_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
