/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_rrasm_lists.c - the enumeration stubs (interfaces, connections,
 * ports) and RRouterInterfaceGetInfo: request bytes, reply decoding,
 * hostile replies, and a cross-check with impacket's NDR engine. */
#include <config.h>

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rrasm_priv.h"
#include "vectors.h"

/* ---- building replies: the flat structures per MS-RRASM 2.2.1.2 ---- */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ASCII text into a WCHAR[units] array at p (the rest zero). */
static void putws(uint8_t *p, size_t units, const char *s)
{
    size_t i;

    memset(p, 0, 2 * units);
    for (i = 0; s[i] && i + 1 < units; i++)
        p[2 * i] = (uint8_t)s[i];
}

/* MPRI_INTERFACE_0: WCHAR[257], pad, six DWORDs; 540 bytes. */
static void interface_entry(uint8_t *p, const char *name, uint32_t handle,
                            uint32_t state, uint32_t reasons)
{
    memset(p, 0, 540);
    putws(p, 257, name);
    put32(p + 516, handle);
    put32(p + 520, 1);
    put32(p + 524, ROUTER_IF_TYPE_FULL_ROUTER);
    put32(p + 528, state);
    put32(p + 532, reasons);
    put32(p + 536, reasons ? 678 : 0);
}

/* RASI_CONNECTION_0: five DWORDs, WCHAR 257+257+16+17; 1114 bytes. */
static void connection0_entry(uint8_t *p, size_t stride, uint32_t handle,
                              const char *user)
{
    memset(p, 0, stride);
    put32(p, handle);
    put32(p + 4, handle + 1000);
    put32(p + 8, 60);
    put32(p + 12, ROUTER_IF_TYPE_CLIENT);
    put32(p + 16, RAS_FLAGS_PPP_CONNECTION);
    putws(p + 20, 257, user);
    putws(p + 534, 257, user);
    putws(p + 1048, 16, "CORP");
    putws(p + 1080, 17, "LAPTOP");
}

/* RASI_CONNECTION_1: two DWORDs, PPP_INFO (232 bytes), 12 DWORDs. */
static void connection1_entry(uint8_t *p, uint32_t handle)
{
    int i;

    memset(p, 0, 288);
    put32(p, handle);
    put32(p + 4, handle + 1000);
    putws(p + 52, 16, "10.8.0.1");
    putws(p + 84, 16, "10.8.0.77");
    for (i = 0; i < 12; i++)
        put32(p + 240 + 4 * i, 100u * (uint32_t)(i + 1));
}

/* RASI_PORT_0: five DWORDs, WCHAR 17+17+129+17; 380 bytes. */
static void port_entry(uint8_t *p, uint32_t handle)
{
    memset(p, 0, 380);
    put32(p, handle);
    put32(p + 4, 0);
    put32(p + 8, RAS_PORT_LISTENING);
    put32(p + 12, 4);
    putws(p + 20, 17, "VPN1-1");
    putws(p + 54, 17, "rastapi");
    putws(p + 88, 129, "WAN Miniport (SSTP)");
    putws(p + 346, 17, "vpn");
}

struct reply {
    uint8_t *bytes;
    size_t len;
};

/* The NDR of an enumeration's reply around size bytes of entries (NULL:
 * a NULL pBuffer); resume < 0 is a NULL resume pointer. */
static struct reply enum_reply(const uint8_t *entries, uint32_t size,
                               uint32_t read, uint32_t total, long resume,
                               uint32_t status)
{
    struct reply r;
    size_t n = 0;

    r.bytes = calloc(1, 40 + size + 4);
    ck_assert_ptr_nonnull(r.bytes);
    put32(r.bytes + n, size), n += 4;
    put32(r.bytes + n, entries ? 0x00020000u : 0), n += 4;
    if (entries) {
        put32(r.bytes + n, size), n += 4;
        memcpy(r.bytes + n, entries, size), n += size;
        n = (n + 3) & ~(size_t)3;
    }
    put32(r.bytes + n, read), n += 4;
    put32(r.bytes + n, total), n += 4;
    put32(r.bytes + n, resume < 0 ? 0 : 0x00020004u), n += 4;
    if (resume >= 0)
        put32(r.bytes + n, (uint32_t)resume), n += 4;
    put32(r.bytes + n, status), n += 4;
    r.len = n;
    return r;
}

static DWORD decode(enum rrasm_list list, DWORD level, struct reply r,
                    struct rrasm_list_reply *out)
{
    struct rrasm_list_request req = {.list = list, .level = level};
    DWORD rc = rrasm_decode_list(&req, r.bytes, r.len, out);

    free(r.bytes);
    return rc;
}

/* ---- requests ---- */

START_TEST(test_encode_requests)
{
    uint8_t buf[64];
    size_t len;
    struct rrasm_list_request req = {.list = RRASM_LIST_CONNECTIONS,
                                     .level = 1,
                                     .pref_max_len = 0x10000,
                                     .has_resume = 1,
                                     .resume = 7};

    /* dwLevel, the empty container, dwPreferedMaximumLength, the unique
     * resume pointer and its value. */
    ck_assert_uint_eq(rrasm_encode_list(&req, buf, sizeof(buf), &len),
                      NO_ERROR);
    assert_bytes(buf, len,
                 "01000000" "00000000" "00000000" "00000100" "00000200"
                 "07000000");
    req.has_resume = 0;
    ck_assert_uint_eq(rrasm_encode_list(&req, buf, sizeof(buf), &len),
                      NO_ERROR);
    assert_bytes(buf, len,
                 "01000000" "00000000" "00000000" "00000100" "00000000");
    /* Ports put hRasConnection after the level. */
    req.list = RRASM_LIST_PORTS;
    req.level = 0;
    req.connection = 0xFFFFFFFFu;
    ck_assert_uint_eq(rrasm_encode_list(&req, buf, sizeof(buf), &len),
                      NO_ERROR);
    assert_bytes(buf, len,
                 "00000000" "ffffffff" "00000000" "00000000" "00000100"
                 "00000000");
    ck_assert_uint_eq(rrasm_encode_interface_get_info(0, 17, buf, sizeof(buf),
                                                      &len),
                      NO_ERROR);
    assert_bytes(buf, len, "00000000" "00000000" "00000000" "11000000");
    ck_assert_uint_eq(rrasm_list_opnum(RRASM_LIST_INTERFACES), 20);
    ck_assert_uint_eq(rrasm_list_opnum(RRASM_LIST_CONNECTIONS), 1);
    ck_assert_uint_eq(rrasm_list_opnum(RRASM_LIST_PORTS), 4);
}
END_TEST

START_TEST(test_encode_bad_level_and_small_buffer)
{
    uint8_t buf[64];
    size_t len = 99;
    struct rrasm_list_request req = {.list = RRASM_LIST_INTERFACES,
                                     .level = 1};

    ck_assert_uint_eq(rrasm_encode_list(&req, buf, sizeof(buf), &len),
                      ERROR_INVALID_LEVEL);
    ck_assert_uint_eq(len, 0);
    req.list = RRASM_LIST_CONNECTIONS;
    req.level = 2;
    ck_assert_uint_eq(rrasm_encode_list(&req, buf, sizeof(buf), &len),
                      ERROR_INVALID_LEVEL);
    req.level = 0;
    ck_assert_uint_eq(rrasm_encode_list(&req, buf, 8, &len),
                      ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(rrasm_encode_interface_get_info(1, 1, buf, sizeof(buf),
                                                      &len),
                      ERROR_INVALID_LEVEL);
}
END_TEST

/* ---- replies ---- */

START_TEST(test_decode_interfaces)
{
    uint8_t entries[2 * 540];
    struct rrasm_list_reply out;
    const MPR_INTERFACE_0 *f;

    interface_entry(entries, "Branch-Paris", 17, ROUTER_IF_STATE_CONNECTED, 0);
    interface_entry(entries + 540, "Branch-Lyon", 18,
                    ROUTER_IF_STATE_UNREACHABLE,
                    MPR_INTERFACE_CONNECTION_FAILURE);
    ck_assert_uint_eq(decode(RRASM_LIST_INTERFACES, 0,
                             enum_reply(entries, sizeof(entries), 2, 5, 2,
                                        ERROR_MORE_DATA),
                             &out),
                      NO_ERROR);
    ck_assert_uint_eq(out.status, ERROR_MORE_DATA);
    ck_assert_uint_eq(out.entries_read, 2);
    ck_assert_uint_eq(out.total_entries, 5);
    ck_assert(out.has_resume);
    ck_assert_uint_eq(out.resume, 2);
    f = out.entries;
    ck_assert_uint_eq(f[0].wszInterfaceName[0], 'B');
    ck_assert_uint_eq(f[0].wszInterfaceName[12], 0);
    ck_assert_ptr_eq(f[0].hInterface, (HANDLE)(uintptr_t)17);
    ck_assert_int_eq(f[0].fEnabled, 1);
    ck_assert_uint_eq(f[0].dwIfType, ROUTER_IF_TYPE_FULL_ROUTER);
    ck_assert_uint_eq(f[0].dwConnectionState, ROUTER_IF_STATE_CONNECTED);
    ck_assert_uint_eq(f[1].dwConnectionState, ROUTER_IF_STATE_UNREACHABLE);
    ck_assert_uint_eq(f[1].fUnReachabilityReasons,
                      MPR_INTERFACE_CONNECTION_FAILURE);
    ck_assert_uint_eq(f[1].dwLastError, 678);
    free(out.entries);
}
END_TEST

/* Packed (1114) and C-aligned (1116, 1120) strides are both arrays of
 * RASI_CONNECTION_0; anything else is not. */
START_TEST(test_decode_connection0_strides)
{
    static const size_t strides[] = {1114, 1116, 1120, 1115, 1118, 1200};
    size_t stride = strides[_i];
    int ok = _i < 3;
    uint8_t *entries = calloc(3, stride);
    struct rrasm_list_reply out;
    DWORD rc;

    ck_assert_ptr_nonnull(entries);
    for (int k = 0; k < 3; k++)
        connection0_entry(entries + k * stride, stride, 100u + (unsigned)k,
                          k == 2 ? "carol" : "alice");
    rc = decode(RRASM_LIST_CONNECTIONS, 0,
                enum_reply(entries, (uint32_t)(3 * stride), 3, 3, 0,
                           NO_ERROR),
                &out);
    free(entries);
    if (!ok) {
        ck_assert_uint_eq(rc, RPC_X_BAD_STUB_DATA);
        ck_assert_ptr_null(out.entries);
        return;
    }
    ck_assert_uint_eq(rc, NO_ERROR);
    {
        const RAS_CONNECTION_0 *c = out.entries;
        ck_assert_ptr_eq(c[2].hConnection, (HANDLE)(uintptr_t)102);
        ck_assert_ptr_eq(c[2].hInterface, (HANDLE)(uintptr_t)1102);
        ck_assert_uint_eq(c[2].dwConnectDuration, 60);
        ck_assert_uint_eq(c[2].dwConnectionFlags, RAS_FLAGS_PPP_CONNECTION);
        ck_assert_uint_eq(c[2].wszUserName[0], 'c');
        ck_assert_uint_eq(c[2].wszLogonDomain[3], 'P');
        ck_assert_uint_eq(c[2].wszRemoteComputer[5], 'P');
    }
    free(out.entries);
}
END_TEST

START_TEST(test_decode_connection1)
{
    uint8_t entries[288];
    struct rrasm_list_reply out;
    const RAS_CONNECTION_1 *s;

    connection1_entry(entries, 5);
    ck_assert_uint_eq(decode(RRASM_LIST_CONNECTIONS, 1,
                             enum_reply(entries, sizeof(entries), 1, 1, -1,
                                        NO_ERROR),
                             &out),
                      NO_ERROR);
    ck_assert(!out.has_resume);
    s = out.entries;
    ck_assert_ptr_eq(s->hConnection, (HANDLE)(uintptr_t)5);
    ck_assert_uint_eq(s->PppInfo.ip.wszAddress[7], '1');
    ck_assert_uint_eq(s->PppInfo.ip.wszRemoteAddress[8], '7');
    ck_assert_uint_eq(s->dwBytesXmited, 100);
    ck_assert_uint_eq(s->dwBytesRcved, 200);
    ck_assert_uint_eq(s->dwFramesRcved, 400);
    ck_assert_uint_eq(s->dwCompressionRatioOut, 1200);
    free(out.entries);
}
END_TEST

START_TEST(test_decode_ports)
{
    uint8_t entries[380];
    struct rrasm_list_reply out;
    const RAS_PORT_0 *p;

    port_entry(entries, 9);
    ck_assert_uint_eq(decode(RRASM_LIST_PORTS, 0,
                             enum_reply(entries, sizeof(entries), 1, 1, 0,
                                        NO_ERROR),
                             &out),
                      NO_ERROR);
    p = out.entries;
    ck_assert_ptr_eq(p->hPort, (HANDLE)(uintptr_t)9);
    ck_assert_ptr_null(p->hConnection);
    ck_assert_uint_eq(p->dwPortCondition, RAS_PORT_LISTENING);
    ck_assert_uint_eq(p->dwTotalNumberOfCalls, 4);
    ck_assert_uint_eq(p->wszDeviceName[4], 'M');
    ck_assert_uint_eq(p->wszDeviceType[0], 'v');
    free(out.entries);
}
END_TEST

/* An empty list: no entries, whatever the buffer. */
START_TEST(test_decode_empty)
{
    struct rrasm_list_reply out;

    ck_assert_uint_eq(decode(RRASM_LIST_PORTS, 0,
                             enum_reply(NULL, 0, 0, 0, 0, NO_ERROR), &out),
                      NO_ERROR);
    ck_assert_ptr_null(out.entries);
    ck_assert_uint_eq(out.entries_read, 0);
}
END_TEST

/* The server's own failure: its code, nothing else, even with bytes. */
START_TEST(test_decode_server_error)
{
    uint8_t entries[380];
    struct rrasm_list_reply out;

    port_entry(entries, 1);
    ck_assert_uint_eq(decode(RRASM_LIST_PORTS, 0,
                             enum_reply(entries, sizeof(entries), 1, 1, 0,
                                        ERROR_ACCESS_DENIED),
                             &out),
                      NO_ERROR);
    ck_assert_uint_eq(out.status, ERROR_ACCESS_DENIED);
    ck_assert_ptr_null(out.entries);
    ck_assert_uint_eq(out.entries_read, 0);
}
END_TEST

/* Replies that lie: each must be RPC_X_BAD_STUB_DATA with nothing out. */
START_TEST(test_decode_hostile)
{
    uint8_t entries[2 * 540];
    struct rrasm_list_reply out;
    struct reply r;

    interface_entry(entries, "a", 1, 3, 0);
    interface_entry(entries + 540, "b", 2, 3, 0);
    switch (_i) {
    case 0: /* one entry more than the bytes hold */
        r = enum_reply(entries, sizeof(entries), 3, 3, 0, NO_ERROR);
        break;
    case 1: /* fewer in total than were read */
        r = enum_reply(entries, sizeof(entries), 2, 1, 0, NO_ERROR);
        break;
    case 2: /* a name filling its array, no NUL */
        for (int k = 0; k < 257; k++)
            entries[540 + 2 * k] = 'x';
        r = enum_reply(entries, sizeof(entries), 2, 2, 0, NO_ERROR);
        break;
    case 3: /* entries claimed, NULL pBuffer */
        r = enum_reply(NULL, 0, 2, 2, 0, NO_ERROR);
        break;
    default: /* the conformance disagrees with dwBufferSize */
        r = enum_reply(entries, sizeof(entries), 2, 2, 0, NO_ERROR);
        put32(r.bytes, 540);
        break;
    }
    ck_assert_uint_eq(decode(RRASM_LIST_INTERFACES, 0, r, &out),
                      RPC_X_BAD_STUB_DATA);
    ck_assert_ptr_null(out.entries);
}
END_TEST

/* Every prefix of a good reply fails cleanly (valgrind watches reads). */
START_TEST(test_decode_every_truncation)
{
    uint8_t entries[380];
    struct reply full;
    struct rrasm_list_request req = {.list = RRASM_LIST_PORTS};
    struct rrasm_list_reply out;
    size_t n;

    port_entry(entries, 1);
    full = enum_reply(entries, sizeof(entries), 1, 1, 0, NO_ERROR);
    for (n = 0; n < full.len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        ck_assert_ptr_nonnull(cut);
        memcpy(cut, full.bytes, n);
        ck_assert_uint_eq(rrasm_decode_list(&req, cut, n, &out),
                          RPC_X_BAD_STUB_DATA);
        ck_assert_ptr_null(out.entries);
        free(cut);
    }
    free(full.bytes);
}
END_TEST

START_TEST(test_decode_interface_get_info)
{
    uint8_t bytes[600];
    void *info = (void *)1;
    DWORD status = 0xdead;
    size_t n = 0;

    put32(bytes, 540), n += 4;
    put32(bytes + n, 0x00020000u), n += 4;
    put32(bytes + n, 540), n += 4;
    interface_entry(bytes + n, "Branch-Paris", 17, 3, 0), n += 540;
    put32(bytes + n, NO_ERROR), n += 4;
    ck_assert_uint_eq(rrasm_decode_interface_get_info(0, bytes, n, &info,
                                                      &status),
                      NO_ERROR);
    ck_assert_uint_eq(status, NO_ERROR);
    ck_assert_ptr_eq(((MPR_INTERFACE_0 *)info)->hInterface,
                     (HANDLE)(uintptr_t)17);
    free(info);
    /* The server's ERROR_INVALID_HANDLE, with a NULL buffer. */
    memset(bytes, 0, 8);
    put32(bytes + 8, ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(rrasm_decode_interface_get_info(0, bytes, 12, &info,
                                                      &status),
                      NO_ERROR);
    ck_assert_uint_eq(status, ERROR_INVALID_HANDLE);
    ck_assert_ptr_null(info);
    /* Success without the structure is malformed. */
    put32(bytes + 8, NO_ERROR);
    ck_assert_uint_eq(rrasm_decode_interface_get_info(0, bytes, 12, &info,
                                                      &status),
                      RPC_X_BAD_STUB_DATA);
}
END_TEST

/* ---- Cross-check: the envelope from impacket's NDR engine ---- */

/*
 * impacket has no MS-RRASM module, so the script declares the reply of
 * RRasAdminPortEnum from its IDL (3.1.4.5) with impacket's NDR classes:
 * DIM_INFORMATION_CONTAINER, two DWORDs, a unique LPDWORD and the
 * return, around RASI_PORT_0 entries packed with struct from 2.2.1.2.75
 * ('<5I' then WCHAR 17, 17, 129, 17).  It prints per case
 *   entries status resume condition calls hex
 * and the decoder must agree on every value.
 */
static const char xcheck_script[] =
    "import struct\n"
    "from impacket.dcerpc.v5.ndr import NDRSTRUCT, NDRCALL, NDRPOINTER, "
    "NDRUniConformantArray\n"
    "from impacket.dcerpc.v5.dtypes import DWORD, LPDWORD, NULL\n"
    "class BA(NDRUniConformantArray):\n"
    "    item = 'c'\n"
    "class PBA(NDRPOINTER):\n"
    "    referent = (('Data', BA),)\n"
    "class DIC(NDRSTRUCT):\n"
    "    structure = (('dwBufferSize', DWORD), ('pBuffer', PBA))\n"
    "class Resp(NDRCALL):\n"
    "    structure = (('pInfoStruct', DIC), ('lpdwEntriesRead', DWORD),\n"
    "                 ('lpdwTotalEntries', DWORD),\n"
    "                 ('lpdwResumeHandle', LPDWORD), ('ErrorCode', DWORD))\n"
    "def ws(s, n):\n"
    "    b = s.encode('utf-16-le')\n"
    "    return b + bytes(2 * n - len(b))\n"
    "def port(h, cond, calls):\n"
    "    return (struct.pack('<5I', h, 0, cond, calls, 30) + ws('VPN', 17) +\n"
    "            ws('rastapi', 17) + ws('WAN Miniport (SSTP)', 129) +\n"
    "            ws('vpn', 17))\n"
    "for n, status, resume in ((1, 0, 0), (3, 234, 3), (2, 0, 9)):\n"
    "    x = Resp()\n"
    "    buf = b''.join(port(i + 1, 3 + i % 2, 10 * i) for i in range(n))\n"
    "    x['pInfoStruct']['dwBufferSize'] = len(buf)\n"
    "    x['pInfoStruct']['pBuffer'] = list(buf)\n"
    "    x['lpdwEntriesRead'] = n\n"
    "    x['lpdwTotalEntries'] = n + 5\n"
    "    x['lpdwResumeHandle'] = resume\n"
    "    x['ErrorCode'] = status\n"
    "    last = n - 1\n"
    "    print(n, status, resume, 3 + last % 2, 10 * last, "
    "x.getData().hex())\n";

START_TEST(test_decode_matches_impacket)
{
    char path[] = "/tmp/mprmon-lists-xcheck.XXXXXX";
    char cmd[600], line[8192], hex[8000];
    int fd = mkstemp(path), cases = 0;
    FILE *f, *p;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(xcheck_script, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>&1", python3(), path);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while (fgets(line, sizeof(line), p) != NULL) {
        unsigned n, status, resume, cond, calls;
        static uint8_t bytes[4096];
        struct rrasm_list_request req = {.list = RRASM_LIST_PORTS};
        struct rrasm_list_reply out;
        const RAS_PORT_0 *last;
        size_t len;

        ck_assert_msg(sscanf(line, "%u %u %u %u %u %7999s", &n, &status,
                             &resume, &cond, &calls, hex) == 6,
                      "impacket script said: %s", line);
        len = hex_to_bytes(hex, bytes, sizeof(bytes));
        ck_assert_uint_eq(rrasm_decode_list(&req, bytes, len, &out), NO_ERROR);
        ck_assert_uint_eq(out.status, status);
        ck_assert_uint_eq(out.entries_read, n);
        ck_assert_uint_eq(out.total_entries, n + 5);
        ck_assert(out.has_resume);
        ck_assert_uint_eq(out.resume, resume);
        last = (const RAS_PORT_0 *)out.entries + (n - 1);
        ck_assert_ptr_eq(last->hPort, (HANDLE)(uintptr_t)n);
        ck_assert_uint_eq(last->dwPortCondition, cond);
        ck_assert_uint_eq(last->dwTotalNumberOfCalls, calls);
        ck_assert_uint_eq(last->dwConnectDuration, 30);
        ck_assert_uint_eq(last->wszDeviceName[18], ')');
        ck_assert_uint_eq(last->wszDeviceType[2], 'n');
        free(out.entries);
        cases++;
    }
    pclose(p);
    unlink(path);
    ck_assert_int_eq(cases, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rrasm_lists");
    TCase *te = tcase_create("encode");
    TCase *td = tcase_create("decode");
    SRunner *sr;
    int failed;
    bool cross_checked;

    tcase_add_test(te, test_encode_requests);
    tcase_add_test(te, test_encode_bad_level_and_small_buffer);
    suite_add_tcase(s, te);

    tcase_add_test(td, test_decode_interfaces);
    tcase_add_loop_test(td, test_decode_connection0_strides, 0, 6);
    tcase_add_test(td, test_decode_connection1);
    tcase_add_test(td, test_decode_ports);
    tcase_add_test(td, test_decode_empty);
    tcase_add_test(td, test_decode_server_error);
    tcase_add_loop_test(td, test_decode_hostile, 0, 5);
    tcase_add_test(td, test_decode_every_truncation);
    tcase_add_test(td, test_decode_interface_get_info);
    suite_add_tcase(s, td);

    cross_checked = impacket_available();
    if (cross_checked) {
        TCase *tx = tcase_create("impacket");
        tcase_set_timeout(tx, 60);
        tcase_add_test(tx, test_decode_matches_impacket);
        suite_add_tcase(s, tx);
    } else {
        printf("check_rrasm_lists: %s cannot import impacket; skipping the "
               "cross-check (SKIP if the rest passes)\n",
               python3());
    }

    sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed != 0)
        return EXIT_FAILURE;
    return cross_checked ? EXIT_SUCCESS : 77;
}
