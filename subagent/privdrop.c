/* SPDX-License-Identifier: GPL-3.0-or-later */
/* privdrop.c - give up root for a named user and group (see privdrop.h). */
/* config.h defines _GNU_SOURCE, for getresuid, setresuid and friends. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

static int privdrop_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int privdrop_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* All digits, and fits an id (not (id_t)-1, which means "unchanged" to
 * the set*id calls). */
static int privdrop_number(const char *s, unsigned long *out)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return 0;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *out < (unsigned long)UINT_MAX;
}

static int privdrop_user(const char *name, struct privdrop_target *out,
                         int *have_gid, char *err, size_t errlen)
{
    struct passwd *pw;
    unsigned long n;

    errno = 0;
    pw = getpwnam(name);
    if (pw == NULL && privdrop_number(name, &n)) {
        errno = 0;
        pw = getpwuid((uid_t)n);
        if (pw == NULL) {
            /* A bare uid with no account is allowed, with a group. */
            out->uid = (uid_t)n;
            *have_gid = 0;
            return 0;
        }
    }
    if (pw == NULL)
        return privdrop_errf(err, errlen, "no such user '%s'%s%s", name,
                             errno ? ": " : "", errno ? strerror(errno) : "");
    out->uid = pw->pw_uid;
    out->gid = pw->pw_gid;
    *have_gid = 1;
    return 0;
}

static int privdrop_group(const char *name, gid_t *out, char *err,
                          size_t errlen)
{
    struct group *gr;
    unsigned long n;

    errno = 0;
    gr = getgrnam(name);
    if (gr != NULL) {
        *out = gr->gr_gid;
        return 0;
    }
    if (privdrop_number(name, &n)) {
        *out = (gid_t)n;
        return 0;
    }
    return privdrop_errf(err, errlen, "no such group '%s'%s%s", name,
                         errno ? ": " : "", errno ? strerror(errno) : "");
}

int privdrop_resolve(const char *spec, struct privdrop_target *out, char *err,
                     size_t errlen)
{
    char *copy, *colon;
    int have_gid = 0, rc;

    if (spec == NULL || spec[0] == '\0' || spec[0] == ':')
        return privdrop_errf(err, errlen, "-u needs USER[:GROUP]");
    copy = strdup(spec);
    if (copy == NULL)
        return privdrop_errf(err, errlen, "out of memory");
    colon = strchr(copy, ':');
    if (colon != NULL)
        *colon++ = '\0';
    memset(out, 0, sizeof(*out));
    rc = privdrop_user(copy, out, &have_gid, err, errlen);
    if (rc == 0 && colon != NULL) {
        if (colon[0] == '\0')
            rc = privdrop_errf(err, errlen, "-u %s: empty group", spec);
        else
            rc = privdrop_group(colon, &out->gid, err, errlen);
        have_gid = rc == 0;
    }
    if (rc == 0 && !have_gid)
        rc = privdrop_errf(err, errlen,
                           "uid %s has no account, so no primary group: "
                           "give one (-u %s:GROUP)",
                           copy, copy);
    free(copy);
    return rc;
}

/* Every id now is the target's: real, effective and saved, and the only
 * group is the target's. */
static int privdrop_verify(const struct privdrop_target *t, char *err,
                           size_t errlen)
{
    uid_t ru, eu, su;
    gid_t rg, eg, sg, groups[2];
    int n;

    if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
        return privdrop_errf(err, errlen, "getresuid: %s", strerror(errno));
    if (ru != t->uid || eu != t->uid || su != t->uid || rg != t->gid ||
        eg != t->gid || sg != t->gid)
        return privdrop_errf(err, errlen,
                             "ids after the drop are uid %u/%u/%u gid "
                             "%u/%u/%u, not %u and %u",
                             (unsigned)ru, (unsigned)eu, (unsigned)su,
                             (unsigned)rg, (unsigned)eg, (unsigned)sg,
                             (unsigned)t->uid, (unsigned)t->gid);
    n = getgroups(2, groups);
    if (n < 0 || n > 1 || (n == 1 && groups[0] != t->gid))
        return privdrop_errf(err, errlen,
                             "supplementary groups were not dropped");
    if (t->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
        return privdrop_errf(err, errlen, "setuid(0) still works after the "
                                          "drop");
    if (t->gid != 0 && t->uid != 0 && (setgid(0) == 0 || setegid(0) == 0))
        return privdrop_errf(err, errlen, "setgid(0) still works after the "
                                          "drop");
    return 0;
}

int privdrop_apply(const struct privdrop_target *t, char *err, size_t errlen)
{
    /* Groups first: once the uid is not root, they cannot change. */
    if (setgroups(1, &t->gid) != 0)
        return privdrop_errf(err, errlen, "setgroups(%u): %s",
                             (unsigned)t->gid, strerror(errno));
    if (setresgid(t->gid, t->gid, t->gid) != 0)
        return privdrop_errf(err, errlen, "setresgid(%u): %s",
                             (unsigned)t->gid, strerror(errno));
    if (setresuid(t->uid, t->uid, t->uid) != 0)
        return privdrop_errf(err, errlen, "setresuid(%u): %s",
                             (unsigned)t->uid, strerror(errno));
    return privdrop_verify(t, err, errlen);
}
