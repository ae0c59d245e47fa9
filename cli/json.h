/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h - the little JSON that mprmon-probe --json writes. */
#ifndef MPRMON_CLI_JSON_H
#define MPRMON_CLI_JSON_H

#include <stddef.h>

#include "mprapi.h"

/*
 * Write s as a JSON string literal (with the quotes) into out, snprintf
 * style: at most outlen bytes including the NUL; returns the length the
 * whole literal needs, so a result >= outlen means it was cut.  '"', '\\'
 * and control characters are escaped; bytes that are not valid UTF-8 become
 * U+FFFD, so the output is always valid JSON whatever a server or the
 * command line sent.  s NULL gives the literal null.
 */
size_t json_escape(const char *s, char *out, size_t outlen);

/* Print s to stdout as a JSON string literal, however long. */
void json_print_string(const char *s);

/* Print the members "code":N,"name":"SYMBOL" of a Windows code. */
void json_print_code(DWORD code);

#endif
