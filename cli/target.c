/* SPDX-License-Identifier: GPL-3.0-or-later */
/* target.c - parse mprmon-probe's server arguments. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static int parse_port(const char *text, unsigned *port)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);

    if (*text == '\0' || *end != '\0' || v == 0 || v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

static int copy_host(const char *start, size_t len, char *host,
                     size_t hostlen)
{
    if (len == 0 || len >= hostlen)
        return -1;
    memcpy(host, start, len);
    host[len] = '\0';
    return 0;
}

int target_parse(const char *arg, char *host, size_t hostlen, unsigned *port,
                 char *err, size_t errlen)
{
    const char *colon = strchr(arg, ':');

    *port = 0;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (!close || copy_host(arg + 1, (size_t)(close - arg - 1), host,
                                hostlen) != 0) {
            snprintf(err, errlen, "'%s': expected [IPv6] or [IPv6]:PORT", arg);
            return -1;
        }
        if (close[1] == '\0')
            return 0;
        if (close[1] != ':' || parse_port(close + 2, port) != 0) {
            snprintf(err, errlen, "'%s': bad port after ']'", arg);
            return -1;
        }
        return 0;
    }
    /* One colon: host:port.  Two or more: a bare IPv6 literal. */
    if (colon && !strchr(colon + 1, ':')) {
        if (copy_host(arg, (size_t)(colon - arg), host, hostlen) != 0 ||
            parse_port(colon + 1, port) != 0) {
            snprintf(err, errlen, "'%s': expected HOST:PORT with PORT 1-65535",
                     arg);
            return -1;
        }
        return 0;
    }
    if (copy_host(arg, strlen(arg), host, hostlen) != 0) {
        snprintf(err, errlen, "'%s': empty or too long server name", arg);
        return -1;
    }
    return 0;
}
