/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ndr_priv.h - NDR 2.0 primitives (little-endian, C706 ch. 14, MS-RPCE 2.2.5)
 * for the call stubs: a bounded reader for responses and a writer into a
 * caller's buffer for requests.
 *
 * Both keep a sticky error: after the first failure every later call does
 * nothing (reads yield zero), so a decoder runs its whole sequence and checks
 * once at the end with ndr_reader_finish / ndr_writer_finish.  Each call also
 * returns the sticky code, for callers that want to stop early.
 *
 * Alignment is relative to the start of the stub buffer, which the DCE/RPC
 * layer places at an 8-aligned offset of the PDU.  Scalars align themselves
 * (u16 to 2, u32 and referents to 4) as NDR requires.
 *
 * Nothing here allocates: strings and arrays are returned as pointers into
 * the caller's buffer.
 */
#ifndef MPRMON_NDR_PRIV_H
#define MPRMON_NDR_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

/* Size of an NDR context handle on the wire: attributes (u32) + UUID. */
#define NDR_CONTEXT_HANDLE_SIZE 20

/* ---- Reader: every failure is RPC_X_BAD_STUB_DATA ---- */

struct ndr_reader {
    const uint8_t *buf;
    size_t len;
    size_t off;
    DWORD err; /* NO_ERROR until the first failure */
};

void ndr_reader_init(struct ndr_reader *r, const uint8_t *buf, size_t len);

/* Skip padding up to a multiple of n (1, 2, 4 or 8).  Pad bytes are not
 * checked: NDR leaves their value unspecified. */
DWORD ndr_get_align(struct ndr_reader *r, size_t n);
DWORD ndr_get_u8(struct ndr_reader *r, uint8_t *v);
DWORD ndr_get_u16(struct ndr_reader *r, uint16_t *v);
DWORD ndr_get_u32(struct ndr_reader *r, uint32_t *v);

/* Borrow n raw bytes (no alignment): *p points into the reader's buffer. */
DWORD ndr_get_bytes(struct ndr_reader *r, size_t n, const uint8_t **p);

/* The referent id of a unique or full pointer: 0 means NULL. */
DWORD ndr_get_referent(struct ndr_reader *r, uint32_t *referent);

/*
 * A conformant array of bytes: max_count (u32) then max_count bytes.
 * max_count above limit, or beyond the data left, fails.  *p borrows.
 */
DWORD ndr_get_conformant_bytes(struct ndr_reader *r, uint32_t limit,
                               const uint8_t **p, uint32_t *count);

/*
 * A conformant varying string of UTF-16 code units ([string] wchar_t*):
 * max_count, offset, actual_count, then actual_count units.  Requires
 * offset == 0, 1 <= actual_count <= max_count <= limit, a terminating NUL as
 * the last unit and no NUL before it.  *units borrows the raw little-endian
 * bytes; *count is actual_count, including the NUL.
 */
DWORD ndr_get_wstring(struct ndr_reader *r, uint32_t limit,
                      const uint8_t **units, uint32_t *count);

/* A 20-byte context handle (aligned to 4). */
DWORD ndr_get_context_handle(struct ndr_reader *r,
                             uint8_t handle[NDR_CONTEXT_HANDLE_SIZE]);

/* NO_ERROR only if nothing failed and every byte was consumed (trailing
 * bytes are malformed: a response stub holds exactly the out parameters). */
DWORD ndr_reader_finish(const struct ndr_reader *r);

/* ---- Writer ---- */

struct ndr_writer {
    uint8_t *buf;
    size_t cap;
    size_t off;
    uint32_t next_referent; /* referent ids handed out for unique pointers */
    /* NO_ERROR, ERROR_INSUFFICIENT_BUFFER or ERROR_INVALID_PARAMETER */
    DWORD err;
};

void ndr_writer_init(struct ndr_writer *w, uint8_t *buf, size_t cap);

/* Zero padding up to a multiple of n. Overflow: ERROR_INSUFFICIENT_BUFFER. */
DWORD ndr_put_align(struct ndr_writer *w, size_t n);
DWORD ndr_put_u32(struct ndr_writer *w, uint32_t v);
DWORD ndr_put_bytes(struct ndr_writer *w, const void *p, size_t n);
DWORD ndr_put_context_handle(struct ndr_writer *w,
                             const uint8_t handle[NDR_CONTEXT_HANDLE_SIZE]);

/*
 * A [string] wchar_t* (a reference pointer: no referent id) from UTF-8:
 * max_count = actual_count = UTF-16 units including the NUL, offset 0.
 * Invalid UTF-8, or more than max_units units (NUL included), gives
 * ERROR_INVALID_PARAMETER.
 */
DWORD ndr_put_wstring(struct ndr_writer *w, const char *utf8,
                      uint32_t max_units);

/* A [unique, string] wchar_t*: referent id 0 for NULL, else a fresh nonzero
 * id followed by the string as above. */
DWORD ndr_put_unique_wstring(struct ndr_writer *w, const char *utf8,
                             uint32_t max_units);

/* The sticky code; on NO_ERROR *len is the number of bytes written. */
DWORD ndr_writer_finish(const struct ndr_writer *w, size_t *len);

#endif
