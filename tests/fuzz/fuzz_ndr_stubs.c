/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_ndr_stubs.c - fuzz the response decoders of the MS-RRASM and MS-SCMR
 * stubs, the NDR reader's string and array primitives, and the writer's
 * UTF-8 -> UTF-16 string encoder.
 *
 * Input: one selector byte (mod 14: 0-2 GetInfo levels, 3-6 the four SCMR
 * replies, 7 the reader's string/array primitives, 8 the writer, 9-12 the
 * enumerations' replies (interfaces 0, connections 0 and 1, ports 0), 13
 * RRouterInterfaceGetInfo), then the bytes handed to the chosen code.  Seeds: corpus/rrasm/ and corpus/scmr/.
 * Invariants that must hold for any input are checked with abort().  See
 * tests/fuzz/local.mk for the replay build (make check) and libFuzzer.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndr_priv.h"
#include "rrasm_priv.h"
#include "scmr_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

static int fuzz_all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

static void fuzz_rrasm(DWORD level, const uint8_t *p, size_t n)
{
    void *info = (void *)1;
    DWORD status = 0xdeadbeef;
    DWORD rc = rrasm_decode_server_get_info(level, p, n, &info, &status);

    /* Info exactly when the call decoded and the server said success. */
    if (rc == NO_ERROR && status == NO_ERROR)
        FUZZ_CHECK(info != NULL);
    else
        FUZZ_CHECK(info == NULL);
    if (rc != NO_ERROR)
        FUZZ_CHECK(rc == RPC_X_BAD_STUB_DATA || rc == ERROR_NOT_ENOUGH_MEMORY);
    free(info);
}

/* Is every WCHAR array of the entries NUL-terminated?  Checked on the
 * first string of each structure, which all levels have at a known
 * place. */
static int fuzz_terminated(const WCHAR *w, size_t units)
{
    size_t i;

    for (i = 0; i < units; i++)
        if (w[i] == 0)
            return 1;
    return 0;
}

static void fuzz_list(unsigned which, const uint8_t *p, size_t n)
{
    static const struct {
        enum rrasm_list list;
        DWORD level;
    } kinds[] = {{RRASM_LIST_INTERFACES, 0},
                 {RRASM_LIST_CONNECTIONS, 0},
                 {RRASM_LIST_CONNECTIONS, 1},
                 {RRASM_LIST_PORTS, 0}};
    struct rrasm_list_request req = {.list = kinds[which].list,
                                     .level = kinds[which].level};
    struct rrasm_list_reply out;
    DWORD rc = rrasm_decode_list(&req, p, n, &out), i;

    FUZZ_CHECK(rc == NO_ERROR || rc == RPC_X_BAD_STUB_DATA ||
               rc == ERROR_NOT_ENOUGH_MEMORY);
    if (rc != NO_ERROR || (out.status != NO_ERROR &&
                           out.status != ERROR_MORE_DATA)) {
        FUZZ_CHECK(out.entries == NULL && out.entries_read == 0);
        return;
    }
    FUZZ_CHECK((out.entries != NULL) == (out.entries_read > 0));
    FUZZ_CHECK(out.entries_read <= out.total_entries);
    for (i = 0; i < out.entries_read; i++) {
        switch (which) {
        case 0:
            FUZZ_CHECK(fuzz_terminated(
                ((MPR_INTERFACE_0 *)out.entries)[i].wszInterfaceName, 257));
            break;
        case 1:
            FUZZ_CHECK(fuzz_terminated(
                ((RAS_CONNECTION_0 *)out.entries)[i].wszUserName, 257));
            break;
        case 2:
            FUZZ_CHECK(fuzz_terminated(((RAS_CONNECTION_1 *)out.entries)[i]
                                           .PppInfo.ip.wszRemoteAddress,
                                       16));
            break;
        default:
            FUZZ_CHECK(fuzz_terminated(
                ((RAS_PORT_0 *)out.entries)[i].wszDeviceType, 17));
            break;
        }
    }
    free(out.entries);
}

static void fuzz_interface_get_info(const uint8_t *p, size_t n)
{
    void *info = (void *)1;
    DWORD status = 0xdeadbeef;
    DWORD rc = rrasm_decode_interface_get_info(0, p, n, &info, &status);

    if (rc == NO_ERROR && status == NO_ERROR)
        FUZZ_CHECK(info != NULL &&
                   fuzz_terminated(((MPR_INTERFACE_0 *)info)->wszInterfaceName,
                                   257));
    else
        FUZZ_CHECK(info == NULL);
    free(info);
}

static void fuzz_scmr(unsigned which, const uint8_t *p, size_t n)
{
    struct scmr_handle h;
    struct scmr_service_status st;
    DWORD status = 0xdeadbeef, rc;

    switch (which) {
    case 0:
    case 1:
        rc = which == 0 ? scmr_decode_open_sc_manager(p, n, &h, &status)
                        : scmr_decode_open_service(p, n, &h, &status);
        /* A usable handle only on success; zeros otherwise. */
        if (rc == NO_ERROR && status == NO_ERROR)
            FUZZ_CHECK(!fuzz_all_zero(h.bytes, sizeof(h.bytes)));
        else
            FUZZ_CHECK(fuzz_all_zero(h.bytes, sizeof(h.bytes)));
        break;
    case 2:
        rc = scmr_decode_query_service_status(p, n, &st, &status);
        if (rc != NO_ERROR || status != NO_ERROR)
            FUZZ_CHECK(st.current_state == 0 && st.service_type == 0);
        break;
    default:
        rc = scmr_decode_close_service_handle(p, n, &status);
        break;
    }
    FUZZ_CHECK(rc == NO_ERROR || rc == RPC_X_BAD_STUB_DATA);
    /* Every well-formed reply of these calls has a fixed size. */
    if (rc == NO_ERROR)
        FUZZ_CHECK(n == (which == 2 ? 32u : 24u));
}

static void fuzz_reader(const uint8_t *p, size_t n)
{
    struct ndr_reader r;
    const uint8_t *units, *bytes;
    uint32_t count, ref, i;

    ndr_reader_init(&r, p, n);
    ndr_get_referent(&r, &ref);
    if (ndr_get_wstring(&r, 1024, &units, &count) == NO_ERROR) {
        FUZZ_CHECK(count >= 1 && units >= p && units + 2 * count <= p + n);
        FUZZ_CHECK(units[2 * count - 2] == 0 && units[2 * count - 1] == 0);
        for (i = 0; i + 1 < count; i++)
            FUZZ_CHECK(units[2 * i] != 0 || units[2 * i + 1] != 0);
    }
    if (ndr_get_conformant_bytes(&r, 4096, &bytes, &count) == NO_ERROR)
        FUZZ_CHECK(bytes >= p && bytes + count <= p + n);
    ndr_reader_finish(&r);
}

/* Encode the input as a UTF-8 string; what encodes must decode back. */
static void fuzz_writer(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    uint8_t *buf;
    size_t cap = 16 + 4 * (n + 1), len;
    struct ndr_writer w;
    struct ndr_reader r;
    const uint8_t *units;
    uint32_t count, ref;
    DWORD rc;

    if (s == NULL)
        return;
    memcpy(s, p, n);
    s[n] = '\0';
    buf = malloc(cap);
    if (buf == NULL) {
        free(s);
        return;
    }
    ndr_writer_init(&w, buf, cap);
    ndr_put_unique_wstring(&w, s, 0xFFFFFFFFu);
    rc = ndr_writer_finish(&w, &len);
    FUZZ_CHECK(rc == NO_ERROR || rc == ERROR_INVALID_PARAMETER);
    if (rc == NO_ERROR) {
        FUZZ_CHECK(len <= cap);
        ndr_reader_init(&r, buf, len);
        ndr_get_referent(&r, &ref);
        ndr_get_wstring(&r, 0xFFFFFFFFu, &units, &count);
        FUZZ_CHECK(ndr_reader_finish(&r) == NO_ERROR);
        FUZZ_CHECK(ref != 0 && count >= 1 && count <= strlen(s) + 1);
    }
    free(buf);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned sel;

    if (size == 0)
        return 0;
    sel = data[0] % 14;
    data++;
    size--;
    if (sel < 3)
        fuzz_rrasm(sel, data, size);
    else if (sel < 7)
        fuzz_scmr(sel - 3, data, size);
    else if (sel == 7)
        fuzz_reader(data, size);
    else if (sel == 8)
        fuzz_writer(data, size);
    else if (sel < 13)
        fuzz_list(sel - 9, data, size);
    else
        fuzz_interface_get_info(data, size);
    return 0;
}
