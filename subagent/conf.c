/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * conf.c - mprmon.conf: file -> validated router list.
 *
 * The format, one statement per line:
 *
 *   # a comment: '#' at the start of a line or after a blank
 *   concurrency 8              probes in flight, 1..256 (default 8)
 *   trap-rate 30               notifications per minute for the whole daemon,
 *                              0..10000 (default 30; 0 sends none)
 *   first-probes spread        new routers' first probes spread over their
 *                              interval (default), or "at-once"
 *   shared-snmpd no            "yes": other mprmon-subagents serve other rows
 *                              of the table through the same snmpd, so this
 *                              one registers its own rows only, and no
 *                              scalars (default no)
 *
 *   defaults {                 optional, at most once, anywhere in the file;
 *       interval 30            applies to every router that does not set the
 *       timeout 5000           key itself
 *   }
 *
 *   router 1 {                 1..4294967295: the row index in the MIB table,
 *       name vpn-gw-1          stable across reloads; unique
 *       address vpn1.example.net
 *       port 445
 *       auth-file /etc/mprmon/vpn1.auth
 *       interval 30
 *       timeout 5000
 *       hysteresis 2
 *       encryption if-available
 *   }
 *
 * Router keys (all but name and address may also appear in defaults):
 *   name        required; 1..63 printable ASCII characters, unique
 *               (case-insensitively); inner blanks are kept
 *   address     required; a DNS or NetBIOS name, an IPv4 address or an IPv6
 *               address (brackets optional); a leading "\\" is accepted
 *   port        SMB TCP port, 1..65535 (default 445)
 *   auth-file   absolute path of an smbclient authentication file, or "none"
 *               for an anonymous session (default none).  config_load
 *               checks that the file exists and that group and others can
 *               neither read nor write it
 *   interval    seconds between probes, 1..86400 (default 30)
 *   timeout     per-operation timeout in ms, 100..600000 (default 5000)
 *   hysteresis  consecutive agreeing probes before a state change is
 *               notified, 1..100 (default 2)
 *   encryption  off | if-available | required (default if-available)
 *   rpc-auth    none | connect | integrity | privacy: DCE/RPC authentication
 *               (SPNEGO/NTLM) on top of the SMB session (default none);
 *               needs an auth-file
 *   collect     what each probe reads besides the level-0 information:
 *               "none" (default) or any of interfaces, connections and
 *               ports, separated by blanks
 *   ports-exhausted  percent of one port type's ports in use, 1..100, at
 *               which mprRouterPortsExhausted is sent (needs collect
 *               ports), or "off" (default 100)
 *
 * A key's value is the rest of its line with outer blanks removed.  A brace
 * must end its line ("router 7 {") and "}" stands alone.  Anything else
 * (unknown keys, a key given twice in a block, numbers out of range, lines
 * longer than 4095 bytes, control characters) is an error reported as
 * "FILE:LINE: message".  Errors never quote an auth file's contents.
 */
#include "conf.h"
#include "strpool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_LINE_MAX 4096
#define CONFIG_FILE_MAX (4u * 1024 * 1024)
#define CONFIG_ROUTERS_MAX 65535u

#define DEFAULT_CONCURRENCY 8u
#define DEFAULT_TRAP_RATE 30u
#define DEFAULT_PORT 445u
#define DEFAULT_INTERVAL_S 30u
#define DEFAULT_TIMEOUT_MS 5000u
#define DEFAULT_HYSTERESIS 2u
#define DEFAULT_PORTS_EXHAUSTED_PCT 100u

enum config_key {
    KEY_NAME,
    KEY_ADDRESS,
    KEY_PORT,
    KEY_AUTH_FILE,
    KEY_INTERVAL,
    KEY_TIMEOUT,
    KEY_HYSTERESIS,
    KEY_ENCRYPTION,
    KEY_RPC_AUTH,
    KEY_COLLECT,
    KEY_PORTS_EXHAUSTED,
    KEY_COUNT
};

static const char *const config_key_names[KEY_COUNT] = {
    "name",     "address", "port",       "auth-file",
    "interval", "timeout", "hysteresis", "encryption",
    "rpc-auth", "collect", "ports-exhausted",
};

/* A router (or the defaults block) while the file is being read: which keys
 * were given, and where, so that later checks can point at the line. */
struct stanza {
    struct router_config cfg;
    unsigned line;
    unsigned key_line[KEY_COUNT]; /* 0 = not set here */
};

struct parser {
    const char *name;
    char *err;
    size_t errlen;
    struct daemon_config out;
    struct stanza *routers;
    size_t n_routers;
    size_t cap_routers;
    struct stanza defaults;
    unsigned defaults_line; /* 0 = no defaults block */
    bool global_set[4]; /* concurrency, trap-rate, first-probes, shared-snmpd */
};

static int config_error(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int config_error(struct parser *p, unsigned line, const char *fmt, ...)
{
    va_list ap;
    char msg[512];

    if (p->err == NULL || p->errlen == 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(p->err, p->errlen, "%s:%u: %s", p->name, line, msg);
    else
        snprintf(p->err, p->errlen, "%s: %s", p->name, msg);
    return -1;
}

static bool config_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Digits only: no sign, no blanks, no hex, so "30s" or "-1" are errors. */
static int config_number(struct parser *p, unsigned line, const char *key,
                         const char *value, unsigned long long min,
                         unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;

    if (*value == '\0')
        return config_error(p, line, "%s needs a value", key);
    for (const char *c = value; *c != '\0'; c++) {
        if (*c < '0' || *c > '9')
            return config_error(p, line, "%s: '%.40s' is not a number", key,
                                value);
        unsigned d = (unsigned)(*c - '0');
        if (v > max / 10 || v * 10 > max - d)
            return config_error(p, line, "%s must be %llu..%llu", key, min,
                                max);
        v = v * 10 + d;
    }
    if (v < min)
        return config_error(p, line, "%s must be %llu..%llu", key, min, max);
    *out = v;
    return 0;
}

static int config_copy_string(struct parser *p, unsigned line, const char *key,
                              const char *value, char *dst, size_t dstlen)
{
    size_t len = strlen(value);

    if (len == 0)
        return config_error(p, line, "%s needs a value", key);
    if (len >= dstlen)
        return config_error(p, line, "%s is too long (at most %zu bytes)", key,
                            dstlen - 1);
    memcpy(dst, value, len + 1);
    return 0;
}

static int config_set_name(struct parser *p, unsigned line, const char *key,
                           const char *value, struct router_config *c)
{
    if (config_copy_string(p, line, key, value, c->name, sizeof c->name))
        return -1;
    for (const char *s = c->name; *s != '\0'; s++)
        if (*s < 0x20 || *s > 0x7e)
            return config_error(p, line, "name must be printable ASCII");
    return 0;
}

static int config_set_address(struct parser *p, unsigned line,
                              const char *key, const char *value,
                              struct router_config *c)
{
    const char *why;

    if (config_copy_string(p, line, key, value, c->address,
                           sizeof c->address))
        return -1;
    if (MprmonCheckServerName(c->address, &why) != NO_ERROR)
        return config_error(p, line, "address '%.60s': %s", c->address, why);
    return 0;
}

static int config_set_auth_file(struct parser *p, unsigned line,
                                const char *key, const char *value,
                                struct router_config *c)
{
    if (strcmp(value, "none") == 0) {
        c->auth_file = "";
        return 0;
    }
    if (value[0] == '\0')
        return config_error(p, line, "%s needs a value", key);
    if (strlen(value) >= ROUTER_PATH_MAX)
        return config_error(p, line, "%s is too long (at most %d bytes)", key,
                            ROUTER_PATH_MAX - 1);
    if (value[0] != '/')
        return config_error(p, line,
                            "auth-file must be an absolute path or 'none'");
    c->auth_file = strpool_intern(value);
    if (c->auth_file == NULL)
        return config_error(p, line, "out of memory");
    return 0;
}

static int config_set_encryption(struct parser *p, unsigned line,
                                 const char *value, struct router_config *c)
{
    if (strcmp(value, "off") == 0)
        c->encryption = MPRMON_ENCRYPTION_OFF;
    else if (strcmp(value, "if-available") == 0)
        c->encryption = MPRMON_ENCRYPTION_IF_AVAILABLE;
    else if (strcmp(value, "required") == 0)
        c->encryption = MPRMON_ENCRYPTION_REQUIRED;
    else
        return config_error(p, line,
                            "encryption must be off, if-available or "
                            "required");
    return 0;
}

static int config_set_rpc_auth(struct parser *p, unsigned line,
                               const char *value, struct router_config *c)
{
    if (strcmp(value, "none") == 0)
        c->rpc_auth_level = MPRMON_RPC_AUTHN_LEVEL_NONE;
    else if (strcmp(value, "connect") == 0)
        return config_error(p, line,
                            "rpc-auth connect is not offered on named "
                            "pipes: use integrity or privacy");
    else if (strcmp(value, "integrity") == 0)
        c->rpc_auth_level = MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY;
    else if (strcmp(value, "privacy") == 0)
        c->rpc_auth_level = MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY;
    else
        return config_error(p, line,
                            "rpc-auth must be none, integrity or privacy");
    return 0;
}

/* "none", or words among interfaces, connections and ports. */
static int config_set_collect(struct parser *p, unsigned line,
                              const char *value, struct router_config *c)
{
    static const struct {
        const char *word;
        unsigned bit;
    } words[] = {{"interfaces", COLLECT_INTERFACES},
                 {"connections", COLLECT_CONNECTIONS},
                 {"ports", COLLECT_PORTS}};
    const char *s = value;

    c->collect = 0;
    if (strcmp(value, "none") == 0)
        return 0;
    while (*s != '\0') {
        size_t n = strcspn(s, " \t"), k;

        for (k = 0; k < sizeof words / sizeof words[0]; k++)
            if (strlen(words[k].word) == n && strncmp(s, words[k].word, n) == 0)
                break;
        if (k == sizeof words / sizeof words[0])
            return config_error(p, line,
                                "collect: '%.*s' is not interfaces, "
                                "connections or ports (or none alone)",
                                (int)(n > 40 ? 40 : n), s);
        if (c->collect & words[k].bit)
            return config_error(p, line, "collect: '%s' given twice",
                                words[k].word);
        c->collect |= words[k].bit;
        s += n;
        s += strspn(s, " \t");
    }
    if (c->collect == 0)
        return config_error(p, line, "collect needs a value");
    return 0;
}

static int config_set_key(struct parser *p, struct stanza *st, bool is_router,
                          unsigned line, const char *key, const char *value)
{
    struct router_config *c = &st->cfg;
    unsigned long long n;
    int k;

    for (k = 0; k < KEY_COUNT; k++)
        if (strcmp(key, config_key_names[k]) == 0)
            break;
    if (k == KEY_COUNT)
        return config_error(p, line, "unknown key '%.40s' in %s block", key,
                            is_router ? "router" : "defaults");
    if (!is_router && (k == KEY_NAME || k == KEY_ADDRESS))
        return config_error(p, line, "'%s' belongs in a router block", key);
    if (st->key_line[k] != 0)
        return config_error(p, line, "'%s' given twice (first at line %u)", key,
                            st->key_line[k]);
    st->key_line[k] = line;

    switch ((enum config_key)k) {
    case KEY_NAME:
        return config_set_name(p, line, key, value, c);
    case KEY_ADDRESS:
        return config_set_address(p, line, key, value, c);
    case KEY_PORT:
        if (config_number(p, line, key, value, 1, 65535, &n))
            return -1;
        c->port = (unsigned)n;
        return 0;
    case KEY_AUTH_FILE:
        return config_set_auth_file(p, line, key, value, c);
    case KEY_INTERVAL:
        if (config_number(p, line, key, value, 1, 86400, &n))
            return -1;
        c->interval_s = (unsigned)n;
        return 0;
    case KEY_TIMEOUT:
        if (config_number(p, line, key, value, 100, 600000, &n))
            return -1;
        c->timeout_ms = (unsigned)n;
        return 0;
    case KEY_HYSTERESIS:
        if (config_number(p, line, key, value, 1, 100, &n))
            return -1;
        c->hysteresis = (unsigned)n;
        return 0;
    case KEY_ENCRYPTION:
        return config_set_encryption(p, line, value, c);
    case KEY_RPC_AUTH:
        return config_set_rpc_auth(p, line, value, c);
    case KEY_COLLECT:
        return config_set_collect(p, line, value, c);
    case KEY_PORTS_EXHAUSTED:
        if (strcmp(value, "off") == 0) {
            c->ports_exhausted_pct = 0;
            return 0;
        }
        if (config_number(p, line, key, value, 1, 100, &n))
            return -1;
        c->ports_exhausted_pct = (unsigned)n;
        return 0;
    case KEY_COUNT:
        break;
    }
    return -1;
}

static int config_set_global(struct parser *p, unsigned line, const char *key,
                             const char *value)
{
    unsigned long long n;

    if (strcmp(key, "concurrency") == 0) {
        if (p->global_set[0])
            return config_error(p, line, "'concurrency' given twice");
        if (config_number(p, line, key, value, 1, 256, &n))
            return -1;
        p->out.max_concurrency = (unsigned)n;
        p->global_set[0] = true;
        return 0;
    }
    if (strcmp(key, "trap-rate") == 0) {
        if (p->global_set[1])
            return config_error(p, line, "'trap-rate' given twice");
        if (config_number(p, line, key, value, 0, 10000, &n))
            return -1;
        p->out.trap_rate_per_min = (unsigned)n;
        p->global_set[1] = true;
        return 0;
    }
    if (strcmp(key, "first-probes") == 0) {
        if (p->global_set[2])
            return config_error(p, line, "'first-probes' given twice");
        if (strcmp(value, "spread") != 0 && strcmp(value, "at-once") != 0)
            return config_error(p, line,
                                "first-probes must be 'spread' or 'at-once'");
        p->out.first_probes_at_once = strcmp(value, "at-once") == 0;
        p->global_set[2] = true;
        return 0;
    }
    if (strcmp(key, "shared-snmpd") == 0) {
        if (p->global_set[3])
            return config_error(p, line, "'shared-snmpd' given twice");
        if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
            return config_error(p, line, "shared-snmpd must be 'yes' or 'no'");
        p->out.shared_snmpd = strcmp(value, "yes") == 0;
        p->global_set[3] = true;
        return 0;
    }
    for (int k = 0; k < KEY_COUNT; k++)
        if (strcmp(key, config_key_names[k]) == 0)
            return config_error(
                p, line, "'%s' belongs in a router or defaults block", key);
    return config_error(p, line, "unknown key '%.40s'", key);
}

static int config_open_router(struct parser *p, unsigned line,
                              const char *value)
{
    unsigned long long id;
    size_t len = strlen(value);
    char idtext[32];
    struct stanza *st;

    if (len < 1 || value[len - 1] != '{')
        return config_error(p, line, "expected 'router ID {'");
    len--;
    while (len > 0 && config_is_blank(value[len - 1]))
        len--;
    if (len == 0)
        return config_error(p, line, "router needs an id: 'router ID {'");
    if (len >= sizeof idtext)
        return config_error(p, line, "router id must be 1..4294967295");
    memcpy(idtext, value, len);
    idtext[len] = '\0';
    if (config_number(p, line, "router id", idtext, 1, 4294967295ull, &id))
        return -1;
    if (p->n_routers >= CONFIG_ROUTERS_MAX)
        return config_error(p, line, "too many routers (at most %u)",
                            CONFIG_ROUTERS_MAX);
    if (p->n_routers == p->cap_routers) {
        size_t cap = p->cap_routers ? p->cap_routers * 2 : 16;
        struct stanza *n = realloc(p->routers, cap * sizeof *n);
        if (n == NULL)
            return config_error(p, line, "out of memory");
        p->routers = n;
        p->cap_routers = cap;
    }
    st = &p->routers[p->n_routers++];
    memset(st, 0, sizeof *st);
    st->cfg.id = (uint32_t)id;
    st->cfg.auth_file = "";
    st->line = line;
    return 0;
}

static int config_close_router(struct parser *p, const struct stanza *st)
{
    if (st->key_line[KEY_NAME] == 0)
        return config_error(p, st->line, "router %u has no name",
                            (unsigned)st->cfg.id);
    if (st->key_line[KEY_ADDRESS] == 0)
        return config_error(p, st->line, "router %u has no address",
                            (unsigned)st->cfg.id);
    return 0;
}

/* Split one line (NUL-terminated, comment already cut) into key and value
 * and act on it.  *block is the open block: NULL at top level. */
static int config_statement(struct parser *p, unsigned line, char *text,
                            struct stanza **block, bool *in_router)
{
    char *key = text;
    char *value;
    size_t len;

    while (config_is_blank(*key))
        key++;
    len = strlen(key);
    while (len > 0 && config_is_blank(key[len - 1]))
        key[--len] = '\0';
    if (len == 0)
        return 0;
    value = key;
    while (*value != '\0' && !config_is_blank(*value))
        value++;
    if (*value != '\0') {
        *value++ = '\0';
        while (config_is_blank(*value))
            value++;
    }

    if (strcmp(key, "}") == 0) {
        if (*value != '\0')
            return config_error(p, line, "'}' must stand alone on its line");
        if (*block == NULL)
            return config_error(p, line, "'}' without an open block");
        if (*in_router && config_close_router(p, *block))
            return -1;
        *block = NULL;
        return 0;
    }
    if (*block != NULL) {
        if (strcmp(key, "router") == 0 || strcmp(key, "defaults") == 0)
            return config_error(p, line,
                                "'%s' inside a block: missing '}' for the "
                                "block at line %u",
                                key, (*block)->line);
        return config_set_key(p, *block, *in_router, line, key, value);
    }
    if (strcmp(key, "router") == 0) {
        if (config_open_router(p, line, value))
            return -1;
        *block = &p->routers[p->n_routers - 1];
        *in_router = true;
        return 0;
    }
    if (strcmp(key, "defaults") == 0) {
        if (strcmp(value, "{") != 0)
            return config_error(p, line, "expected 'defaults {'");
        if (p->defaults_line != 0)
            return config_error(p, line,
                                "a second defaults block (first at line %u)",
                                p->defaults_line);
        p->defaults_line = line;
        p->defaults.line = line;
        *block = &p->defaults;
        *in_router = false;
        return 0;
    }
    if (strcmp(key, "{") == 0 || *value == '{')
        return config_error(p, line,
                            "'{' must follow 'router ID' or "
                            "'defaults' on the same line");
    return config_set_global(p, line, key, value);
}

static int config_read_lines(struct parser *p, const char *text, size_t len)
{
    char buf[CONFIG_LINE_MAX];
    struct stanza *block = NULL;
    bool in_router = false;
    unsigned line = 0;
    size_t pos = 0;

    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        size_t n = end - pos;
        bool comment_ok = true;

        line++;
        if (n >= sizeof buf)
            return config_error(p, line, "line too long (at most %zu bytes)",
                                sizeof buf - 1);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = end + 1;
        /* Cut the comment first so that comments may say anything. */
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '#' && comment_ok) {
                buf[i] = '\0';
                n = i;
                break;
            }
            comment_ok = config_is_blank(buf[i]);
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
                return config_error(p, line, "control character (byte 0x%02x)",
                                    c);
        }
        if (config_statement(p, line, buf, &block, &in_router))
            return -1;
    }
    if (block != NULL)
        return config_error(p, block->line, "%s block is not closed with '}'",
                            in_router ? "router" : "defaults");
    return 0;
}

static void config_apply_defaults(struct parser *p)
{
    const struct stanza *d = &p->defaults;

    for (size_t i = 0; i < p->n_routers; i++) {
        struct stanza *st = &p->routers[i];
        struct router_config *c = &st->cfg;

        if (st->key_line[KEY_PORT] == 0)
            c->port = d->key_line[KEY_PORT] ? d->cfg.port : DEFAULT_PORT;
        if (st->key_line[KEY_AUTH_FILE] == 0) {
            c->auth_file = d->cfg.auth_file;
            /* Errors about an inherited file point at the defaults. */
            st->key_line[KEY_AUTH_FILE] = d->key_line[KEY_AUTH_FILE];
        }
        if (st->key_line[KEY_INTERVAL] == 0)
            c->interval_s = d->key_line[KEY_INTERVAL] ? d->cfg.interval_s
                                                      : DEFAULT_INTERVAL_S;
        if (st->key_line[KEY_TIMEOUT] == 0)
            c->timeout_ms = d->key_line[KEY_TIMEOUT] ? d->cfg.timeout_ms
                                                     : DEFAULT_TIMEOUT_MS;
        if (st->key_line[KEY_HYSTERESIS] == 0)
            c->hysteresis = d->key_line[KEY_HYSTERESIS] ? d->cfg.hysteresis
                                                        : DEFAULT_HYSTERESIS;
        if (st->key_line[KEY_ENCRYPTION] == 0)
            c->encryption = d->key_line[KEY_ENCRYPTION]
                                ? d->cfg.encryption
                                : MPRMON_ENCRYPTION_IF_AVAILABLE;
        if (st->key_line[KEY_RPC_AUTH] == 0)
            c->rpc_auth_level = d->key_line[KEY_RPC_AUTH]
                                    ? d->cfg.rpc_auth_level
                                    : MPRMON_RPC_AUTHN_LEVEL_NONE;
        if (st->key_line[KEY_COLLECT] == 0)
            c->collect = d->key_line[KEY_COLLECT] ? d->cfg.collect : 0;
        if (st->key_line[KEY_PORTS_EXHAUSTED] == 0)
            c->ports_exhausted_pct = d->key_line[KEY_PORTS_EXHAUSTED]
                                         ? d->cfg.ports_exhausted_pct
                                         : DEFAULT_PORTS_EXHAUSTED_PCT;
    }
}

static int config_cmp_id(const void *a, const void *b)
{
    const struct stanza *x = a, *y = b;

    if (x->cfg.id != y->cfg.id)
        return x->cfg.id < y->cfg.id ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int config_cmp_name(const void *a, const void *b)
{
    const struct stanza *const *x = a, *const *y = b;
    int c = strcasecmp((*x)->cfg.name, (*y)->cfg.name);

    if (c != 0)
        return c;
    return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/* Sorting keeps the checks O(n log n) for large router lists. */
static int config_check_unique(struct parser *p)
{
    const struct stanza **by_name;

    if (p->n_routers == 0)
        return 0;
    qsort(p->routers, p->n_routers, sizeof *p->routers, config_cmp_id);
    for (size_t i = 1; i < p->n_routers; i++)
        if (p->routers[i].cfg.id == p->routers[i - 1].cfg.id)
            return config_error(p, p->routers[i].line,
                                "duplicate router id %u (first at line %u)",
                                (unsigned)p->routers[i].cfg.id,
                                p->routers[i - 1].line);
    by_name = malloc(p->n_routers * sizeof *by_name);
    if (by_name == NULL)
        return config_error(p, 0, "out of memory");
    for (size_t i = 0; i < p->n_routers; i++)
        by_name[i] = &p->routers[i];
    qsort(by_name, p->n_routers, sizeof *by_name, config_cmp_name);
    for (size_t i = 1; i < p->n_routers; i++) {
        if (strcasecmp(by_name[i]->cfg.name, by_name[i - 1]->cfg.name) == 0) {
            unsigned line = by_name[i]->key_line[KEY_NAME];
            unsigned first = by_name[i - 1]->key_line[KEY_NAME];
            char name[ROUTER_NAME_MAX];
            memcpy(name, by_name[i]->cfg.name, sizeof name);
            free(by_name);
            return config_error(p, line,
                                "duplicate router name '%s' (first at line "
                                "%u)",
                                name, first);
        }
    }
    free(by_name);
    return 0;
}

/* The daemon reads the auth files at every connect; finding a missing,
 * unsafe or malformed one at load time turns a silent probe failure into a
 * config error.  The library's own check: the message names the file and
 * the line, never the file's text. */
static int config_check_auth_file(struct parser *p, const struct stanza *st)
{
    const char *path = st->cfg.auth_file;
    char why[320];

    if (path[0] == '\0')
        return 0;
    if (MprmonCheckCredentialsFile(path, why, sizeof why) != NO_ERROR)
        return config_error(p, st->key_line[KEY_AUTH_FILE], "auth-file %s",
                            why);
    return 0;
}

/* Pooled paths are equal exactly when their pointers are, and routers
 * that inherit the defaults' file come in runs: checking a path once per
 * run keeps a 65,535-router file quick to load. */
static int config_check_auth_files(struct parser *p)
{
    const char *checked = NULL;

    for (size_t i = 0; i < p->n_routers; i++) {
        if (p->routers[i].cfg.auth_file == checked)
            continue;
        if (config_check_auth_file(p, &p->routers[i]))
            return -1;
        checked = p->routers[i].cfg.auth_file;
    }
    return 0;
}

/* RPC-level authentication signs with the account's keys: an anonymous
 * router cannot have it. */
static int config_check_rpc_auth(struct parser *p)
{
    for (size_t i = 0; i < p->n_routers; i++) {
        const struct stanza *st = &p->routers[i];
        if (st->cfg.rpc_auth_level != MPRMON_RPC_AUTHN_LEVEL_NONE &&
            st->cfg.auth_file[0] == '\0')
            return config_error(p,
                                st->key_line[KEY_RPC_AUTH]
                                    ? st->key_line[KEY_RPC_AUTH]
                                    : st->line,
                                "rpc-auth needs an auth-file (router %u)",
                                (unsigned)st->cfg.id);
    }
    return 0;
}

static int config_run(const char *name, const char *text, size_t len,
                      bool check_files, struct daemon_config *out, char *err,
                      size_t errlen)
{
    struct parser p;
    int rc = -1;

    memset(out, 0, sizeof *out);
    memset(&p, 0, sizeof p);
    p.name = name != NULL ? name : "(config)";
    p.err = err;
    p.errlen = errlen;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    p.defaults.cfg.auth_file = "";
    p.out.max_concurrency = DEFAULT_CONCURRENCY;
    p.out.trap_rate_per_min = DEFAULT_TRAP_RATE;

    if (text == NULL && len > 0) {
        config_error(&p, 0, "no text");
        goto out;
    }
    const char *nul = len > 0 ? memchr(text, '\0', len) : NULL;
    if (nul != NULL) {
        unsigned line = 1;
        for (const char *c = text; c < nul; c++)
            line += *c == '\n';
        config_error(&p, line, "contains a NUL byte");
        goto out;
    }
    if (config_read_lines(&p, text, len))
        goto out;
    config_apply_defaults(&p);
    if (config_check_unique(&p))
        goto out;
    if (config_check_rpc_auth(&p))
        goto out;
    if (check_files && config_check_auth_files(&p))
        goto out;

    if (p.n_routers > 0) {
        p.out.routers = calloc(p.n_routers, sizeof *p.out.routers);
        if (p.out.routers == NULL) {
            config_error(&p, 0, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < p.n_routers; i++)
            p.out.routers[i] = p.routers[i].cfg;
    }
    p.out.n_routers = p.n_routers;
    *out = p.out;
    rc = 0;
out:
    free(p.routers);
    return rc;
}

int config_parse(const char *name, const char *text, size_t len,
                 struct daemon_config *out, char *err, size_t errlen)
{
    return config_run(name, text, len, false, out, err, errlen);
}

static int config_load_file(const char *path, bool check_files,
                            struct daemon_config *out, char *err,
                            size_t errlen)
{
    struct stat sb;
    char *text = NULL;
    size_t len = 0;
    int fd;
    int rc;

    memset(out, 0, sizeof *out);
    if (path == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "no configuration file given");
        return -1;
    }
    /* O_NONBLOCK: a FIFO at the path would otherwise block the open until
     * a writer comes, and a reload runs in the thread that answers SNMP.
     * It is refused below as not a regular file; regular files ignore the
     * flag. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size > (off_t)CONFIG_FILE_MAX) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: %s", path,
                     S_ISREG(sb.st_mode) ? "file too large (over 4 MiB)"
                                         : "not a regular file");
        close(fd);
        return -1;
    }
    text = malloc((size_t)sb.st_size + 1);
    if (text == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: out of memory", path);
        close(fd);
        return -1;
    }
    while (len < (size_t)sb.st_size) {
        ssize_t n = read(fd, text + len, (size_t)sb.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
            free(text);
            close(fd);
            return -1;
        }
        if (n == 0)
            break; /* shrank while we read: parse what we got */
        len += (size_t)n;
    }
    close(fd);
    rc = config_run(path, text, len, check_files, out, err, errlen);
    free(text);
    return rc;
}

int config_load(const char *path, struct daemon_config *out, char *err,
                size_t errlen)
{
    return config_load_file(path, true, out, err, errlen);
}

int config_load_files_later(const char *path, struct daemon_config *out,
                            char *err, size_t errlen)
{
    return config_load_file(path, false, out, err, errlen);
}

void config_free(struct daemon_config *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->routers);
    cfg->routers = NULL;
    cfg->n_routers = 0;
}

static const char *config_or_empty(const char *s)
{
    return s != NULL ? s : "";
}

int router_config_same_target(const struct router_config *a,
                              const struct router_config *b)
{
    return a->id == b->id && strcmp(a->address, b->address) == 0 &&
           a->port == b->port &&
           strcmp(config_or_empty(a->auth_file),
                  config_or_empty(b->auth_file)) == 0 &&
           a->encryption == b->encryption &&
           a->rpc_auth_level == b->rpc_auth_level;
}

int router_config_equal(const struct router_config *a,
                        const struct router_config *b)
{
    return router_config_same_target(a, b) && a->interval_s == b->interval_s &&
           a->timeout_ms == b->timeout_ms && a->hysteresis == b->hysteresis &&
           a->collect == b->collect &&
           a->ports_exhausted_pct == b->ports_exhausted_pct;
}

bool config_routers_sorted(const struct daemon_config *cfg)
{
    if (cfg->n_routers > 0 && cfg->routers == NULL)
        return false;
    for (size_t i = 1; i < cfg->n_routers; i++)
        if (cfg->routers[i].id <= cfg->routers[i - 1].id)
            return false;
    return true;
}
