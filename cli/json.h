/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h - the little JSON that mprmon-probe --json writes. */
#ifndef MPRMON_CLI_JSON_H
#define MPRMON_CLI_JSON_H

#include <stddef.h>

/*
 * Write s as a JSON string literal (with the quotes) into out, snprintf
 * style: at most outlen bytes including the NUL; returns the length the
 * whole literal needs, so a result >= outlen means it was cut.  '"', '\\'
 * and control characters are escaped; bytes that are not valid UTF-8 become
 * U+FFFD, so the output is always valid JSON whatever a server or the
 * command line sent.  s NULL gives the literal null.
 */
size_t json_escape(const char *s, char *out, size_t outlen);

#endif
