/* SPDX-License-Identifier: GPL-3.0-or-later */
/* privdrop.h - give up root for a named user and group (mprmon-subagent -u).
 *
 * The subagent starts as root to reach snmpd's root-owned AgentX socket,
 * then runs as an ordinary user: a bug in the SNMP or SMB code then holds
 * that user's rights, not root's.  Kept apart from main.c so that the
 * checks that the drop really happened are in one small place. */
#ifndef MPRMON_PRIVDROP_H
#define MPRMON_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

struct privdrop_target {
    uid_t uid;
    gid_t gid;
};

/* Parse "USER[:GROUP]" (names, or numeric ids) and look them up.  Without
 * GROUP, the user's primary group from the password database.  Returns 0,
 * or -1 with a message in err. */
int privdrop_resolve(const char *spec, struct privdrop_target *out, char *err,
                     size_t errlen);

/* Become t: supplementary groups set to t->gid alone, then the gid, then
 * the uid (real, effective and saved).  Then checks that it holds: every id
 * is the target's, and when the target is not root, setuid(0) and
 * setgid(0) fail.  Returns 0, or -1 with a message in err (the process is
 * then in an unknown state and must exit). */
int privdrop_apply(const struct privdrop_target *t, char *err, size_t errlen);

#endif
