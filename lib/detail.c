/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detail.c - thread-local failure detail for MprmonGetLastErrorDetail. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "detail_priv.h"

/* Thread-local so that callers on different handles never see each other's
 * text, and no lock is needed. */
static _Thread_local char detail_text[512];

void detail_set(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail_text, sizeof(detail_text), fmt, ap);
    va_end(ap);
}

void detail_clear(void)
{
    detail_text[0] = '\0';
}

const char *MprmonGetLastErrorDetail(void)
{
    return detail_text;
}
