/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reasons.c - MprmonUnreachabilityText: an interface's unreachability
 * bits in words, for people and for text columns. */
#include "config.h"

#include <stdio.h>

#include "mprapi.h"

/* MPR_INTERFACE_* bits, lowest first. */
static const char *const reason_words[] = {
    "out-of-resources", "admin-disabled", "connection-failure",
    "service-paused",   "dialout-hours",  "no-media-sense",
    "no-device"};

#define REASON_BITS (sizeof(reason_words) / sizeof(reason_words[0]))

size_t MprmonUnreachabilityText(DWORD dwReasons, char *pszText, size_t cbText)
{
    size_t n = 0, i;
    DWORD unknown = dwReasons & ~(((DWORD)1 << REASON_BITS) - 1);

    if (!pszText || cbText == 0)
        return 0;
    pszText[0] = '\0';
    for (i = 0; i < REASON_BITS; i++)
        if (dwReasons & ((DWORD)1 << i))
            n += (size_t)snprintf(pszText + n, n < cbText ? cbText - n : 0,
                                  "%s%s", n ? "," : "", reason_words[i]);
    if (unknown)
        n += (size_t)snprintf(pszText + n, n < cbText ? cbText - n : 0,
                              "%s0x%x", n ? "," : "", (unsigned)unknown);
    if (n == 0)
        n = (size_t)snprintf(pszText, cbText, "none");
    return n < cbText ? n : cbText - 1;
}
