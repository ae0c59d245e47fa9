/* SPDX-License-Identifier: GPL-3.0-or-later */
/* target.h - "HOST[:PORT]" arguments of mprmon-probe. */
#ifndef MPRMON_CLI_TARGET_H
#define MPRMON_CLI_TARGET_H

#include <stddef.h>

/*
 * Split arg into host and port: "host", "host:port", "[v6]", "[v6]:port" and
 * a bare IPv6 literal (two or more ':') are accepted.  *port is 0 when none
 * was given.  Returns 0, or -1 with a message in err.
 */
int target_parse(const char *arg, char *host, size_t hostlen, unsigned *port,
                 char *err, size_t errlen);

#endif
