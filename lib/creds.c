/* SPDX-License-Identifier: GPL-3.0-or-later */
/* creds.c - credentials: smbclient authentication files, splitting, wiping.
 *
 * The file format is smbclient's -A file: "username = x", "password = y",
 * "domain = z".  Like Samba, the key is compared without case and the value
 * starts after the blanks that follow '='; the rest of the line is the value,
 * trailing blanks included (a password may end in a space).  Unlike Samba,
 * we are strict: an unknown key, a line without '=', or a key given twice is
 * an error, because silently ignoring a typo would connect as someone else
 * (or anonymously).  Error texts name the line, never its value.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds_priv.h"

/* An auth file is three short lines; anything bigger is not one. */
#define CREDS_FILE_MAX 65536

static void creds_errf(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void creds_errf(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!errbuf || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

static void creds_free_str(char **s)
{
    if (*s) {
        explicit_bzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void creds_clear(struct mpr_creds *c)
{
    if (!c)
        return;
    creds_free_str(&c->domain);
    creds_free_str(&c->user);
    creds_free_str(&c->password);
    creds_free_str(&c->ccache);
}

static char *creds_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/*
 * Split "DOM\\user" or "user@dom" into c->user / c->domain when c->domain is
 * NULL.  c->user is replaced.  ERROR_INVALID_PARAMETER for an empty part.
 */
static DWORD creds_split_user(struct mpr_creds *c)
{
    char *sep, *user, *dom;
    const char *u = c->user;
    size_t ulen, dlen;
    const char *upart, *dpart;

    if (!u || c->domain)
        return NO_ERROR;
    if ((sep = strchr(u, '\\')) != NULL) {
        dpart = u;
        dlen = (size_t)(sep - u);
        upart = sep + 1;
        ulen = strlen(upart);
    } else if ((sep = strrchr(u, '@')) != NULL) {
        upart = u;
        ulen = (size_t)(sep - u);
        dpart = sep + 1;
        dlen = strlen(dpart);
    } else {
        return NO_ERROR;
    }
    if (ulen == 0 || dlen == 0 || memchr(upart, '\\', ulen))
        return ERROR_INVALID_PARAMETER;
    user = creds_strndup(upart, ulen);
    dom = creds_strndup(dpart, dlen);
    if (!user || !dom) {
        free(user);
        free(dom);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    creds_free_str(&c->user);
    c->user = user;
    c->domain = dom;
    return NO_ERROR;
}

DWORD creds_from_strings(const char *user, const char *password,
                         const char *domain, struct mpr_creds *out)
{
    struct mpr_creds c = {0};
    DWORD rc;

    if (!out)
        return ERROR_INVALID_PARAMETER;
    if ((user && !(c.user = strdup(user))) ||
        (password && !(c.password = strdup(password))) ||
        (domain && !(c.domain = strdup(domain)))) {
        creds_clear(&c);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    rc = creds_split_user(&c);
    if (rc != NO_ERROR) {
        creds_clear(&c);
        return rc;
    }
    *out = c;
    return NO_ERROR;
}

DWORD creds_copy(const struct mpr_creds *src, struct mpr_creds *dst)
{
    struct mpr_creds c = {0};

    if (!src || !dst)
        return ERROR_INVALID_PARAMETER;
    if ((src->user && !(c.user = strdup(src->user))) ||
        (src->password && !(c.password = strdup(src->password))) ||
        (src->domain && !(c.domain = strdup(src->domain))) ||
        (src->ccache && !(c.ccache = strdup(src->ccache)))) {
        creds_clear(&c);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *dst = c;
    return NO_ERROR;
}

static int creds_is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Compare key (len n) with name, ignoring case. */
static int creds_key_is(const char *key, size_t n, const char *name)
{
    size_t i;

    if (strlen(name) != n)
        return 0;
    for (i = 0; i < n; i++) {
        char ch = key[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if (ch != name[i])
            return 0;
    }
    return 1;
}

/* Parse one non-comment line into out.  Messages never contain the value. */
static DWORD creds_parse_line(const char *line, size_t len, unsigned lineno,
                              struct mpr_creds *out, char *errbuf,
                              size_t errlen)
{
    const char *eq = memchr(line, '=', len);
    size_t kb = 0, ke, vb;
    char **slot;
    const char *what;

    if (!eq) {
        creds_errf(errbuf, errlen, "line %u: expected \"key = value\"", lineno);
        return ERROR_INVALID_DATA;
    }
    ke = (size_t)(eq - line);
    while (kb < ke && creds_is_blank(line[kb]))
        kb++;
    while (ke > kb && creds_is_blank(line[ke - 1]))
        ke--;
    if (creds_key_is(line + kb, ke - kb, "username")) {
        slot = &out->user;
        what = "username";
    } else if (creds_key_is(line + kb, ke - kb, "password")) {
        slot = &out->password;
        what = "password";
    } else if (creds_key_is(line + kb, ke - kb, "domain")) {
        slot = &out->domain;
        what = "domain";
    } else if (creds_key_is(line + kb, ke - kb, "ccache")) {
        slot = &out->ccache;
        what = "ccache";
    } else if (creds_key_is(line + kb, ke - kb, "keytab")) {
        /* Samba's client gets tickets from a password or a cache only. */
        creds_errf(errbuf, errlen,
                   "line %u: keytab is not read here: keep a credentials "
                   "cache fresh from it (k5start -f KEYTAB -k FILE:PATH, or "
                   "kinit -k -t KEYTAB -c FILE:PATH from a timer) and name "
                   "that cache with \"ccache = FILE:PATH\"",
                   lineno);
        return ERROR_INVALID_DATA;
    } else {
        /* The key may be a mistyped password: do not echo it. */
        creds_errf(errbuf, errlen,
                   "line %u: unknown key (expected username, password, "
                   "domain or ccache)",
                   lineno);
        return ERROR_INVALID_DATA;
    }
    if (*slot) {
        creds_errf(errbuf, errlen, "line %u: %s given twice", lineno, what);
        return ERROR_INVALID_DATA;
    }
    vb = (size_t)(eq - line) + 1;
    while (vb < len && creds_is_blank(line[vb]))
        vb++;
    /* An empty password is a real (if poor) password; an empty user or
     * domain is a mistake. */
    if (vb == len && slot != &out->password) {
        creds_errf(errbuf, errlen, "line %u: empty %s", lineno, what);
        return ERROR_INVALID_DATA;
    }
    *slot = creds_strndup(line + vb, len - vb);
    if (!*slot) {
        creds_errf(errbuf, errlen, "out of memory");
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    return NO_ERROR;
}

DWORD creds_parse_auth_text(const char *text, size_t len, struct mpr_creds *out,
                            char *errbuf, size_t errlen)
{
    struct mpr_creds c = {0};
    size_t pos = 0;
    unsigned lineno = 0;
    DWORD rc;

    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out || (!text && len))
        return ERROR_INVALID_PARAMETER;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;
        size_t b = 0;

        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (memchr(line, '\0', llen)) {
            creds_errf(errbuf, errlen, "line %u: NUL byte", lineno);
            rc = ERROR_INVALID_DATA;
            goto fail;
        }
        /* Files written on Windows end lines with CR LF. */
        if (llen > 0 && line[llen - 1] == '\r')
            llen--;
        while (b < llen && creds_is_blank(line[b]))
            b++;
        if (b == llen || line[b] == '#' || line[b] == ';')
            continue;
        rc = creds_parse_line(line, llen, lineno, &c, errbuf, errlen);
        if (rc != NO_ERROR)
            goto fail;
    }
    if (c.ccache && (c.password || c.user || c.domain)) {
        /* The cache names its own principal; a second identity beside it
         * would leave the reader guessing which one is used. */
        creds_errf(errbuf, errlen,
                   "a ccache brings its own principal: give no username, "
                   "password or domain with it");
        rc = ERROR_INVALID_DATA;
        goto fail;
    }
    if (!c.user && !c.ccache) {
        creds_errf(errbuf, errlen, "no username line");
        rc = ERROR_INVALID_DATA;
        goto fail;
    }
    rc = creds_split_user(&c);
    if (rc == ERROR_INVALID_PARAMETER) {
        creds_errf(errbuf, errlen, "username: empty user or domain part");
        rc = ERROR_INVALID_DATA;
    }
    if (rc != NO_ERROR)
        goto fail;
    *out = c;
    return NO_ERROR;
fail:
    creds_clear(&c);
    return rc;
}

/* A file holding a secret: regular, no group or other bits, owned by us
 * or root (why: see creds_load_file). */
static DWORD creds_check_stat(const struct stat *st, const char *path,
                              char *errbuf, size_t errlen)
{
    if (!S_ISREG(st->st_mode)) {
        creds_errf(errbuf, errlen, "%s: not a regular file", path);
        return ERROR_INVALID_DATA;
    }
    if (st->st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
        creds_errf(errbuf, errlen,
                   "%s: mode %04o lets group or others read or write it "
                   "(chmod 600 it)",
                   path, (unsigned)(st->st_mode & 07777));
        return ERROR_ACCESS_DENIED;
    }
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        creds_errf(errbuf, errlen,
                   "%s: owned by uid %u (mode %04o); it must belong to uid "
                   "%u, which this process runs as, or to root (chown it)",
                   path, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777),
                   (unsigned)geteuid());
        return ERROR_ACCESS_DENIED;
    }
    return NO_ERROR;
}

const char *creds_ccache_file(const char *name)
{
    if (!name)
        return NULL;
    if (strncmp(name, "FILE:", 5) == 0)
        return name + 5;
    return name[0] == '/' ? name : NULL;
}

/* A cache that exists must already be private; one that does not yet may
 * appear later (its renewer may start after us) and is checked again at
 * each connect. */
DWORD creds_check_ccache(const struct mpr_creds *c, char *errbuf,
                         size_t errlen)
{
    const char *file = creds_ccache_file(c->ccache);
    char err[256];
    DWORD rc;

    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (c->ccache && strncmp(c->ccache, "MEMORY:", 7) == 0) {
        creds_errf(errbuf, errlen,
                   "credentials cache %s: a MEMORY cache is empty in this "
                   "process",
                   c->ccache);
        return ERROR_INVALID_PARAMETER;
    }
    if (!file)
        return NO_ERROR;
    rc = creds_check_private_file(file, err, sizeof(err));
    if (rc == NO_ERROR || rc == ERROR_FILE_NOT_FOUND)
        return NO_ERROR;
    creds_errf(errbuf, errlen, "credentials cache %s", err);
    return rc;
}

DWORD creds_check_private_file(const char *path, char *errbuf, size_t errlen)
{
    struct stat st;
    int e;

    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (stat(path, &st) != 0) {
        e = errno;
        creds_errf(errbuf, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT || e == ENOTDIR ? ERROR_FILE_NOT_FOUND
                                           : ERROR_ACCESS_DENIED;
    }
    return creds_check_stat(&st, path, errbuf, errlen);
}

/*
 * Symlinks are followed (no O_NOFOLLOW): credentials are commonly deployed as
 * links (Kubernetes secrets, /etc/alternatives-style setups), and what
 * matters is the file we actually read, which fstat() on the open descriptor
 * checks without a race: its owner and mode, not the link's.  A link to
 * someone else's file therefore fails the owner check below.  O_NONBLOCK
 * keeps a FIFO planted at the path from blocking the open; it is then
 * refused as not a regular file.
 *
 * The check is on the permission bits, not access(): run as root, access()
 * would allow everything, yet a 0640 file still leaks the password to its
 * group, so it is refused whoever we are.
 *
 * The owner must be our effective uid or root.  Anyone else who owns the
 * file can rewrite it at will (chmod it, point us at their own account) or
 * read it; root may own it because root can read any file anyway.
 */
/* Opens PATH for reading without following it into a terminal or blocking
 * on a FIFO; sets *fd_out, or returns the code for why not. */
static DWORD creds_open(const char *path, int *fd_out, char *errbuf,
                        size_t errlen)
{
    int e;

    *fd_out = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd_out >= 0)
        return NO_ERROR;
    e = errno;
    creds_errf(errbuf, errlen, "%s: %s", path, strerror(e));
    if (e == ENOENT || e == ENOTDIR)
        return ERROR_FILE_NOT_FOUND;
    if (e == ENOMEM)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (e == EMFILE || e == ENFILE)
        return ERROR_TOO_MANY_OPEN_FILES;
    return ERROR_ACCESS_DENIED;
}

/* Reads FD to EOF into BUF (CREDS_FILE_MAX + 1 bytes) rather than trusting
 * st_size: the file may change while it is read.  *got counts what read()
 * stored, even on failure, so that the caller wipes all of it. */
static DWORD creds_read_all(int fd, const char *path, char *buf, size_t *got,
                            char *errbuf, size_t errlen)
{
    ssize_t r;

    for (;;) {
        r = read(fd, buf + *got, CREDS_FILE_MAX + 1 - *got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            creds_errf(errbuf, errlen, "%s: %s", path, strerror(errno));
            return ERROR_ACCESS_DENIED;
        }
        if (r == 0)
            return NO_ERROR;
        *got += (size_t)r;
        if (*got > CREDS_FILE_MAX) {
            creds_errf(errbuf, errlen, "%s: larger than %d bytes", path,
                       CREDS_FILE_MAX);
            return ERROR_INVALID_DATA;
        }
    }
}

/* Checks the open file's owner, mode and size before anything is read. */
static DWORD creds_check_fd(int fd, const char *path, char *errbuf,
                            size_t errlen)
{
    struct stat st;
    DWORD rc;

    if (fstat(fd, &st) != 0) {
        creds_errf(errbuf, errlen, "%s: %s", path, strerror(errno));
        return ERROR_ACCESS_DENIED;
    }
    rc = creds_check_stat(&st, path, errbuf, errlen);
    if (rc != NO_ERROR)
        return rc;
    if (st.st_size > CREDS_FILE_MAX) {
        creds_errf(errbuf, errlen, "%s: larger than %d bytes", path,
                   CREDS_FILE_MAX);
        return ERROR_INVALID_DATA;
    }
    return NO_ERROR;
}

DWORD creds_load_file(const char *path, struct mpr_creds *out, char *errbuf,
                      size_t errlen)
{
    char *buf = NULL;
    size_t got = 0;
    int fd;
    DWORD rc;

    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!path || !out)
        return ERROR_INVALID_PARAMETER;
    rc = creds_open(path, &fd, errbuf, errlen);
    if (rc != NO_ERROR)
        return rc;
    rc = creds_check_fd(fd, path, errbuf, errlen);
    if (rc == NO_ERROR) {
        buf = malloc(CREDS_FILE_MAX + 1);
        rc = buf ? creds_read_all(fd, path, buf, &got, errbuf, errlen)
                 : ERROR_NOT_ENOUGH_MEMORY;
    }
    if (rc == NO_ERROR) {
        /* Prefix parse errors with the path: "FILE: line N: ...". */
        char msg[256];
        rc = creds_parse_auth_text(buf, got, out, msg, sizeof(msg));
        if (rc != NO_ERROR)
            creds_errf(errbuf, errlen, "%s: %s", path, msg);
    }
    if (buf) {
        /* Only what read() stored can hold a secret.  Wiping all 64 KiB
         * was most of the library's own work in a connect (callgrind, in
         * bench/bench_connect.sh). */
        explicit_bzero(buf, got);
        free(buf);
    }
    close(fd);
    return rc;
}
