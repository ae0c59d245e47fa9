/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vectors.c - byte-vector helpers shared by the NDR-layer suites. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2, i;

    ck_assert_uint_eq(strlen(hex) % 2, 0);
    ck_assert_uint_le(n, cap);
    for (i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

void assert_bytes(const uint8_t *got, size_t got_len, const char *hex)
{
    uint8_t want[1024];
    size_t n = hex_to_bytes(hex, want, sizeof(want));

    ck_assert_uint_eq(got_len, n);
    ck_assert_mem_eq(got, want, n);
}

const char *python3(void)
{
    const char *p = getenv("PYTHON3_SYSTEM");

    return p && *p ? p : "/usr/bin/python3";
}

int impacket_available(void)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd),
             "'%s' -c 'import impacket.dcerpc.v5.ndr' >/dev/null 2>&1",
             python3());
    return system(cmd) == 0;
}
