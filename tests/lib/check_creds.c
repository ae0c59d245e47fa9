/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_creds.c - smbclient auth-file parsing, file checks, splitting. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds_priv.h"

#define SECRET "S3cr3t-hunter2"

static char tmpdir[256];

static void setup_tmpdir(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(tmpdir, sizeof(tmpdir), "%s/check_creds.XXXXXX",
             base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown_tmpdir(void)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Write text to tmpdir/name with mode; return the path (static buffer). */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char path[512];
    int fd;
    size_t len = strlen(text);

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
    return path;
}

static DWORD parse(const char *text, struct mpr_creds *c, char *err,
                   size_t errlen)
{
    return creds_parse_auth_text(text, strlen(text), c, err, errlen);
}

/* ---- parsing ---- */

START_TEST(test_parse_basic)
{
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(parse("username = alice\npassword = " SECRET
                            "\ndomain = CORP\n",
                            &c, err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(c.user, "alice");
    ck_assert_str_eq(c.password, SECRET);
    ck_assert_str_eq(c.domain, "CORP");
    creds_clear(&c);
    ck_assert_ptr_null(c.user);
    ck_assert_ptr_null(c.password);
    ck_assert_ptr_null(c.domain);
}
END_TEST

START_TEST(test_parse_layout)
{
    struct mpr_creds c = {0};
    char err[128];

    /* Comments, blank lines, CRLF, tabs, any key case, no final newline;
     * the value keeps inner and trailing blanks (as smbclient does). */
    ck_assert_uint_eq(parse("# a comment\r\n"
                            "  ; another\r\n"
                            "\r\n"
                            "   \t \n"
                            "\tUserName\t=\tbob\r\n"
                            "PASSWORD=pass word \r\n"
                            "Domain =WG",
                            &c, err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(c.user, "bob");
    ck_assert_str_eq(c.password, "pass word ");
    ck_assert_str_eq(c.domain, "WG");
    creds_clear(&c);
}
END_TEST

START_TEST(test_parse_password_with_equals_and_hash)
{
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(
        parse("username=u\npassword = a=b#c;d\n", &c, err, sizeof(err)),
        NO_ERROR);
    ck_assert_str_eq(c.password, "a=b#c;d");
    ck_assert_ptr_null(c.domain);
    creds_clear(&c);
}
END_TEST

START_TEST(test_parse_empty_password)
{
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(parse("username = u\npassword =\n", &c, err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(c.password, "");
    creds_clear(&c);
    ck_assert_uint_eq(parse("username = u\n", &c, err, sizeof(err)), NO_ERROR);
    ck_assert_ptr_null(c.password);
    creds_clear(&c);
}
END_TEST

START_TEST(test_parse_splits_user)
{
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(
        parse("username = CORP\\carol\npassword = x\n", &c, err, sizeof(err)),
        NO_ERROR);
    ck_assert_str_eq(c.user, "carol");
    ck_assert_str_eq(c.domain, "CORP");
    creds_clear(&c);
    /* An explicit domain wins: the user is taken as written. */
    ck_assert_uint_eq(parse("username = dave@corp.example\ndomain = D\n", &c,
                            err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(c.user, "dave@corp.example");
    ck_assert_str_eq(c.domain, "D");
    creds_clear(&c);
}
END_TEST

struct bad_text {
    const char *text;
    const char *msg; /* expected start of the error text */
};

static const struct bad_text bad_texts[] = {
    {"username = u\n" SECRET "\n", "line 2: expected"},
    {"username = u\npassword " SECRET "\n", "line 2: expected"},
    {"username = u\npasword = " SECRET "\n", "line 2: unknown key"},
    {SECRET " = x\nusername = u\n", "line 1: unknown key"},
    {"username = u\nrealm = R\n", "line 2: unknown key"},
    {"username = u\nusername = v\n", "line 2: username given twice"},
    {"username = u\npassword = " SECRET "\npassword = " SECRET "\n",
     "line 3: password given twice"},
    {"USERNAME = u\n\nDomain = a\ndomain = b\n", "line 4: domain given twice"},
    {"username =\n", "line 1: empty username"},
    {"username = u\ndomain = \t\n", "line 2: empty domain"},
    {"password = " SECRET "\n", "no username"},
    {"", "no username"},
    {"# only a comment\n", "no username"},
    {"= " SECRET "\n", "line 1: unknown key"},
    {"username = \\u\n", "username: empty"},
    {"username = DOM\\\n", "username: empty"},
    {"username = @dom\n", "username: empty"},
    {"ccache = FILE:/c\nusername = u\n", "a ccache brings its own"},
    {"ccache = FILE:/c\npassword = " SECRET "\n", "a ccache brings its own"},
    {"domain = D\nccache = /c\n", "a ccache brings its own"},
    {"ccache = /c\nccache = /d\n", "line 2: ccache given twice"},
    {"ccache =\n", "line 1: empty ccache"},
    {"keytab = /etc/krb5.keytab\n", "line 1: keytab is not read here"},
};

START_TEST(test_parse_bad)
{
    const struct bad_text *b = &bad_texts[_i];
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(parse(b->text, &c, err, sizeof(err)), ERROR_INVALID_DATA);
    ck_assert_msg(strncmp(err, b->msg, strlen(b->msg)) == 0,
                  "case %d: got '%s', want '%s...'", _i, err, b->msg);
    ck_assert_ptr_null(strstr(err, SECRET));
    ck_assert_ptr_null(c.user);
    ck_assert_ptr_null(c.password);
    ck_assert_ptr_null(c.domain);
    ck_assert_ptr_null(c.ccache);
}
END_TEST

START_TEST(test_parse_nul_byte)
{
    static const char text[] = "username = u\npassword = a\0b\n";
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(
        creds_parse_auth_text(text, sizeof(text) - 1, &c, err, sizeof(err)),
        ERROR_INVALID_DATA);
    ck_assert_str_eq(err, "line 2: NUL byte");
}
END_TEST

START_TEST(test_parse_length_bounded)
{
    /* Only len bytes are read: the rest of the buffer is not the file. */
    static const char text[] = "username = u\nusername = again\n";
    struct mpr_creds c = {0};
    char err[128];

    ck_assert_uint_eq(creds_parse_auth_text(text, 12, &c, err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(c.user, "u");
    creds_clear(&c);
}
END_TEST

START_TEST(test_parse_tiny_errbuf)
{
    struct mpr_creds c = {0};
    char err[4];

    ck_assert_uint_eq(parse("nonsense\n", &c, err, sizeof(err)),
                      ERROR_INVALID_DATA);
    ck_assert_str_eq(err, "lin");
    ck_assert_uint_eq(parse("nonsense\n", &c, NULL, 0), ERROR_INVALID_DATA);
}
END_TEST

START_TEST(test_parse_ccache)
{
    struct mpr_creds c = {0}, d = {0};
    char err[128];

    /* A cache alone is a complete identity: its principal is inside it. */
    ck_assert_uint_eq(
        parse("# Kerberos\nCCache = FILE:/run/mprmon/krb5cc\n", &c, err,
              sizeof(err)),
        NO_ERROR);
    ck_assert_str_eq(c.ccache, "FILE:/run/mprmon/krb5cc");
    ck_assert_ptr_null(c.user);
    ck_assert_ptr_null(c.password);
    ck_assert_uint_eq(creds_copy(&c, &d), NO_ERROR);
    ck_assert_str_eq(d.ccache, c.ccache);
    ck_assert_ptr_ne(d.ccache, c.ccache);
    creds_clear(&c);
    ck_assert_ptr_null(c.ccache);
    creds_clear(&d);
}
END_TEST

START_TEST(test_ccache_file)
{
    ck_assert_str_eq(creds_ccache_file("FILE:/tmp/cc"), "/tmp/cc");
    ck_assert_str_eq(creds_ccache_file("/tmp/cc"), "/tmp/cc");
    ck_assert_ptr_null(creds_ccache_file("KEYRING:persistent:0"));
    ck_assert_ptr_null(creds_ccache_file("KCM:"));
    ck_assert_ptr_null(creds_ccache_file("relative/cc"));
    ck_assert_ptr_null(creds_ccache_file(NULL));
}
END_TEST

/* ---- files ---- */

START_TEST(test_public_check)
{
    char why[300], cc[400], text[500];
    const char *auth;

    auth = write_file("ok.auth", "username = u\npassword = " SECRET "\n", 0600);
    ck_assert_uint_eq(MprmonCheckCredentialsFile(auth, why, sizeof(why)),
                      NO_ERROR);
    ck_assert_str_eq(why, "");
    auth = write_file("bad.auth", "username = u\npasswd = " SECRET "\n", 0600);
    ck_assert_uint_eq(MprmonCheckCredentialsFile(auth, why, sizeof(why)),
                      ERROR_INVALID_DATA);
    ck_assert_ptr_nonnull(strstr(why, "line 2: unknown key"));
    ck_assert_ptr_null(strstr(why, SECRET));

    /* The cache a file names is judged too: not yet there is fine (its
     * renewer may start later), there and readable by others is not. */
    snprintf(cc, sizeof(cc), "%s/cc", tmpdir);
    snprintf(text, sizeof(text), "ccache = FILE:%s\n", cc);
    auth = write_file("krb.auth", text, 0600);
    ck_assert_uint_eq(MprmonCheckCredentialsFile(auth, why, sizeof(why)),
                      NO_ERROR);
    write_file("cc", "ticket bytes", 0644);
    auth = write_file("krb.auth", text, 0600);
    ck_assert_uint_eq(MprmonCheckCredentialsFile(auth, why, sizeof(why)),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(why, "credentials cache"));
    ck_assert_ptr_nonnull(strstr(why, "mode 0644"));
    auth = write_file("mem.auth", "ccache = MEMORY:x\n", 0600);
    ck_assert_uint_eq(MprmonCheckCredentialsFile(auth, why, sizeof(why)),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_nonnull(strstr(why, "MEMORY"));
    ck_assert_uint_eq(MprmonCheckCredentialsFile(NULL, NULL, 0),
                      ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_private_file)
{
    char err[256], missing[300];
    const char *path = write_file("cc", "not parsed", 0600);

    ck_assert_uint_eq(creds_check_private_file(path, err, sizeof(err)),
                      NO_ERROR);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(chmod(path, 0604), 0);
    ck_assert_uint_eq(creds_check_private_file(path, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(err, "mode 0604"));
    snprintf(missing, sizeof(missing), "%s/none", tmpdir);
    ck_assert_uint_eq(creds_check_private_file(missing, err, sizeof(err)),
                      ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(creds_check_private_file(tmpdir, err, sizeof(err)),
                      ERROR_INVALID_DATA);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(test_load_ok)
{
    struct mpr_creds c = {0};
    char err[256];
    const char *path = write_file(
        "ok", "username = u\npassword = " SECRET "\ndomain = D\n", 0600);

    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)), NO_ERROR);
    ck_assert_str_eq(c.password, SECRET);
    creds_clear(&c);
    /* Owner-only read is fine too. */
    path = write_file("ro", "username = u\n", 0400);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)), NO_ERROR);
    creds_clear(&c);
}
END_TEST

static const mode_t unsafe_modes[] = {0640, 0644, 0604, 0620,
                                      0602, 0660, 0666, 0440};

/* Refused by permission bits even for root, for whom access() would say
 * yes: so this test means the same whoever runs it. */
START_TEST(test_load_unsafe_mode)
{
    struct mpr_creds c = {0};
    char err[512], want[16];
    const char *path = write_file(
        "unsafe", "username = u\npassword = " SECRET "\n", unsafe_modes[_i]);

    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(err, path));
    snprintf(want, sizeof(want), "%04o", (unsigned)unsafe_modes[_i]);
    ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks mode %s", err, want);
    ck_assert_ptr_null(strstr(err, SECRET));
    ck_assert_ptr_null(c.user);
    ck_assert_ptr_null(c.password);
}
END_TEST

START_TEST(test_load_missing)
{
    struct mpr_creds c = {0};
    char err[512], path[512];

    snprintf(path, sizeof(path), "%s/nope", tmpdir);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err, path));
    snprintf(path, sizeof(path), "%s/nodir/nope", tmpdir);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(test_load_malformed_names_path_and_line)
{
    struct mpr_creds c = {0};
    char err[512], want[600];
    const char *path = write_file("bad", "username = u\n" SECRET "\n", 0600);

    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_INVALID_DATA);
    snprintf(want, sizeof(want), "%s: line 2: ", path);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got '%s'", err);
    ck_assert_ptr_null(strstr(err, SECRET));
}
END_TEST

START_TEST(test_load_not_regular)
{
    struct mpr_creds c = {0};
    char err[512], path[512];

    /* A directory. */
    ck_assert_uint_eq(creds_load_file(tmpdir, &c, err, sizeof(err)),
                      ERROR_INVALID_DATA);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
    /* A FIFO must be refused without blocking in open(). */
    snprintf(path, sizeof(path), "%s/fifo", tmpdir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_INVALID_DATA);
}
END_TEST

START_TEST(test_load_symlink_checks_target)
{
    struct mpr_creds c = {0};
    char err[512], link[512], target[512];

    /* Links are followed; the target's mode is what counts. */
    snprintf(target, sizeof(target), "%s",
             write_file("t", "username = u\n", 0600));
    snprintf(link, sizeof(link), "%s/link", tmpdir);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_uint_eq(creds_load_file(link, &c, err, sizeof(err)), NO_ERROR);
    ck_assert_str_eq(c.user, "u");
    creds_clear(&c);
    ck_assert_int_eq(chmod(target, 0644), 0);
    ck_assert_uint_eq(creds_load_file(link, &c, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
}
END_TEST

/* The owner checks need a file owned by someone else, which only root can
 * make: run as another user, these tests check nothing and say so. */
static int owner_tests_possible(void)
{
    if (geteuid() == 0)
        return 1;
    fprintf(stderr, "check_creds: not root, owner checks not run\n");
    return 0;
}

#define OTHER_UID 65534 /* nobody on Debian */

START_TEST(test_load_foreign_owner)
{
    struct mpr_creds c = {0};
    char err[512], want[64];
    const char *path;

    if (!owner_tests_possible())
        return;
    path = write_file("foreign", "username = u\npassword = " SECRET "\n",
                      0600);
    ck_assert_int_eq(chown(path, OTHER_UID, (gid_t)-1), 0);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
    /* The message names the file, its owner and mode, and what we want. */
    ck_assert_msg(strstr(err, path) != NULL, "'%s' lacks the path", err);
    snprintf(want, sizeof(want), "owned by uid %u", OTHER_UID);
    ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
    ck_assert_msg(strstr(err, "0600") != NULL, "'%s' lacks the mode", err);
    ck_assert_msg(strstr(err, "uid 0") != NULL && strstr(err, "root"),
                  "'%s' does not say what is expected", err);
    ck_assert_ptr_null(strstr(err, SECRET));
    ck_assert_ptr_null(c.user);
    ck_assert_ptr_null(c.password);
}
END_TEST

/* Owned by the effective uid (not root) is fine, and so is root's file for
 * a process that can read it.  seteuid, not a child: under valgrind Check
 * does not fork, and the saved uid 0 lets the test switch back. */
START_TEST(test_load_owner_is_euid)
{
    struct mpr_creds c = {0};
    char err[512];
    const char *path;
    DWORD rc;

    if (!owner_tests_possible())
        return;
    ck_assert_int_eq(chmod(tmpdir, 0711), 0);
    path = write_file("mine", "username = u\npassword = " SECRET "\n", 0600);
    ck_assert_int_eq(chown(path, OTHER_UID, (gid_t)-1), 0);
    ck_assert_int_eq(seteuid(OTHER_UID), 0);
    rc = creds_load_file(path, &c, err, sizeof(err));
    ck_assert_int_eq(seteuid(0), 0);
    ck_assert_msg(rc == NO_ERROR, "rc %u: %s", (unsigned)rc, err);
    ck_assert_str_eq(c.password, SECRET);
    creds_clear(&c);
}
END_TEST

/* A link is judged by its target's owner, never the link's own. */
START_TEST(test_load_symlink_checks_target_owner)
{
    struct mpr_creds c = {0};
    char err[512], link[512], target[512];

    if (!owner_tests_possible())
        return;
    snprintf(target, sizeof(target), "%s",
             write_file("t", "username = u\n", 0600));
    snprintf(link, sizeof(link), "%s/link", tmpdir);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(lchown(link, OTHER_UID, (gid_t)-1), 0);
    ck_assert_uint_eq(creds_load_file(link, &c, err, sizeof(err)), NO_ERROR);
    creds_clear(&c);
    ck_assert_int_eq(lchown(link, 0, (gid_t)-1), 0);
    ck_assert_int_eq(chown(target, OTHER_UID, (gid_t)-1), 0);
    ck_assert_uint_eq(creds_load_file(link, &c, err, sizeof(err)),
                      ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(err, "owned by uid"));
}
END_TEST

START_TEST(test_load_too_large)
{
    struct mpr_creds c = {0};
    char err[512];
    size_t n = 70000;
    char *big = malloc(n + 1);
    const char *path;

    ck_assert_ptr_nonnull(big);
    memset(big, '#', n);
    big[n] = '\0';
    path = write_file("big", big, 0600);
    free(big);
    ck_assert_uint_eq(creds_load_file(path, &c, err, sizeof(err)),
                      ERROR_INVALID_DATA);
    ck_assert_ptr_nonnull(strstr(err, "larger than"));
}
END_TEST

/* ---- creds_from_strings / creds_copy ---- */

struct split_case {
    const char *user, *domain; /* in */
    const char *want_user, *want_domain;
    DWORD rc;
};

static const struct split_case split_cases[] = {
    {"alice", NULL, "alice", NULL, NO_ERROR},
    {"CORP\\alice", NULL, "alice", "CORP", NO_ERROR},
    {"alice@corp.example", NULL, "alice", "corp.example", NO_ERROR},
    {"a@b@corp", NULL, "a@b", "corp", NO_ERROR},
    {"CORP\\alice", "OTHER", "CORP\\alice", "OTHER", NO_ERROR},
    {"alice@corp", "D", "alice@corp", "D", NO_ERROR},
    {NULL, NULL, NULL, NULL, NO_ERROR},
    {NULL, "D", NULL, "D", NO_ERROR},
    {"\\alice", NULL, NULL, NULL, ERROR_INVALID_PARAMETER},
    {"CORP\\", NULL, NULL, NULL, ERROR_INVALID_PARAMETER},
    {"@corp", NULL, NULL, NULL, ERROR_INVALID_PARAMETER},
    {"alice@", NULL, NULL, NULL, ERROR_INVALID_PARAMETER},
    {"A\\B\\c", NULL, NULL, NULL, ERROR_INVALID_PARAMETER},
};

static void assert_str_or_null(const char *got, const char *want)
{
    if (want)
        ck_assert_str_eq(got, want);
    else
        ck_assert_ptr_null(got);
}

START_TEST(test_from_strings)
{
    const struct split_case *k = &split_cases[_i];
    struct mpr_creds c = {0};

    ck_assert_uint_eq(creds_from_strings(k->user, SECRET, k->domain, &c),
                      k->rc);
    if (k->rc == NO_ERROR) {
        assert_str_or_null(c.user, k->want_user);
        assert_str_or_null(c.domain, k->want_domain);
        ck_assert_str_eq(c.password, SECRET);
    } else {
        ck_assert_ptr_null(c.user);
        ck_assert_ptr_null(c.password);
    }
    creds_clear(&c);
}
END_TEST

START_TEST(test_copy)
{
    struct mpr_creds a = {0}, b = {0};

    ck_assert_uint_eq(creds_from_strings("D\\u", "p", NULL, &a), NO_ERROR);
    ck_assert_uint_eq(creds_copy(&a, &b), NO_ERROR);
    ck_assert_str_eq(b.user, "u");
    ck_assert_str_eq(b.domain, "D");
    ck_assert_str_eq(b.password, "p");
    ck_assert_ptr_ne(a.password, b.password);
    creds_clear(&a);
    ck_assert_str_eq(b.password, "p");
    creds_clear(&b);
    creds_clear(&b); /* twice is safe */
    creds_clear(NULL);
    ck_assert_uint_eq(creds_copy(NULL, &b), ERROR_INVALID_PARAMETER);
}
END_TEST

static Suite *creds_suite(void)
{
    Suite *s = suite_create("creds");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_parse_basic);
    tcase_add_test(tc, test_parse_layout);
    tcase_add_test(tc, test_parse_password_with_equals_and_hash);
    tcase_add_test(tc, test_parse_empty_password);
    tcase_add_test(tc, test_parse_splits_user);
    tcase_add_loop_test(tc, test_parse_bad, 0,
                        sizeof(bad_texts) / sizeof(bad_texts[0]));
    tcase_add_test(tc, test_parse_nul_byte);
    tcase_add_test(tc, test_parse_length_bounded);
    tcase_add_test(tc, test_parse_tiny_errbuf);
    tcase_add_test(tc, test_parse_ccache);
    tcase_add_test(tc, test_ccache_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("file");
    tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
    tcase_add_test(tc, test_load_ok);
    tcase_add_loop_test(tc, test_load_unsafe_mode, 0,
                        sizeof(unsafe_modes) / sizeof(unsafe_modes[0]));
    tcase_add_test(tc, test_load_missing);
    tcase_add_test(tc, test_load_malformed_names_path_and_line);
    tcase_add_test(tc, test_load_not_regular);
    tcase_add_test(tc, test_load_symlink_checks_target);
    tcase_add_test(tc, test_load_too_large);
    tcase_add_test(tc, test_load_foreign_owner);
    tcase_add_test(tc, test_load_owner_is_euid);
    tcase_add_test(tc, test_load_symlink_checks_target_owner);
    tcase_add_test(tc, test_private_file);
    tcase_add_test(tc, test_public_check);
    suite_add_tcase(s, tc);

    tc = tcase_create("strings");
    tcase_add_loop_test(tc, test_from_strings, 0,
                        sizeof(split_cases) / sizeof(split_cases[0]));
    tcase_add_test(tc, test_copy);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(creds_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
