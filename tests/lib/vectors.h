/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vectors.h - byte vectors for the Check suites of the NDR layers: hex text
 * to bytes, byte comparison, and the python3 that has impacket. */
#ifndef MPRMON_TEST_VECTORS_H
#define MPRMON_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/* Hex text to bytes; the test fails on bad hex so a typo cannot pass. */
size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap);

/* got must be exactly the bytes the hex text spells. */
void assert_bytes(const uint8_t *got, size_t got_len, const char *hex);

/* $PYTHON3_SYSTEM, or Debian's /usr/bin/python3 (where python3-impacket
 * is installed). */
const char *python3(void);

/* Can python3() import impacket's NDR engine? */
int impacket_available(void);

#endif
