/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_config.c - mprmon.conf parsing and validation. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "subagent/conf.h"
#include "subagent/strpool.h"

static int parse(const char *text, struct daemon_config *cfg, char *err,
                 size_t errlen)
{
    return config_parse("test.conf", text, strlen(text), cfg, err, errlen);
}

START_TEST(test_good_file)
{
    static const char text[] = "# mprmon test\n"
                               "concurrency 4\n"
                               "trap-rate 12   # per minute\n"
                               "first-probes at-once\n"
                               "shared-snmpd yes\n"
                               "\n"
                               "router 20 {\n"
                               "    name vpn gw#2  # a comment\n"
                               "    address 192.0.2.7\n"
                               "    port 1445\n"
                               "    auth-file /etc/mprmon/gw2.auth\n"
                               "    interval 10\n"
                               "    timeout 2500\n"
                               "    hysteresis 3\n"
                               "    encryption required\n"
                               "}\n"
                               "\trouter 3 {\r\n"
                               "\tname vpn-gw-1\r\n"
                               "\taddress vpn1.example.net\r\n"
                               "}\r\n"
                               "router 4294967295 {\n"
                               "    name v6\n"
                               "    address [2001:db8::1]\n"
                               "    encryption off\n"
                               "}\n"
                               "defaults {\n"
                               "    interval 60\n"
                               "    auth-file /etc/mprmon/default.auth\n"
                               "}\n";
    struct daemon_config cfg;
    char err[256];
    const struct router_config *r;

    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.max_concurrency, 4);
    ck_assert_uint_eq(cfg.trap_rate_per_min, 12);
    ck_assert(cfg.first_probes_at_once);
    ck_assert(cfg.shared_snmpd);
    ck_assert_uint_eq(cfg.n_routers, 3);
    /* Sorted by id whatever the order in the file. */
    ck_assert_uint_eq(cfg.routers[0].id, 3);
    ck_assert_uint_eq(cfg.routers[1].id, 20);
    ck_assert_uint_eq(cfg.routers[2].id, 4294967295u);

    r = &cfg.routers[0];
    ck_assert_str_eq(r->name, "vpn-gw-1");
    ck_assert_str_eq(r->address, "vpn1.example.net");
    ck_assert_uint_eq(r->port, 445);
    ck_assert_str_eq(r->auth_file, "/etc/mprmon/default.auth");
    ck_assert_uint_eq(r->interval_s, 60);
    ck_assert_uint_eq(r->timeout_ms, 5000);
    ck_assert_uint_eq(r->hysteresis, 2);
    ck_assert_int_eq(r->encryption, MPRMON_ENCRYPTION_IF_AVAILABLE);

    r = &cfg.routers[1];
    /* '#' inside a value (no blank before it) is not a comment. */
    ck_assert_str_eq(r->name, "vpn gw#2");
    ck_assert_str_eq(r->address, "192.0.2.7");
    ck_assert_uint_eq(r->port, 1445);
    ck_assert_str_eq(r->auth_file, "/etc/mprmon/gw2.auth");
    ck_assert_uint_eq(r->interval_s, 10);
    ck_assert_uint_eq(r->timeout_ms, 2500);
    ck_assert_uint_eq(r->hysteresis, 3);
    ck_assert_int_eq(r->encryption, MPRMON_ENCRYPTION_REQUIRED);

    r = &cfg.routers[2];
    ck_assert_str_eq(r->address, "[2001:db8::1]");
    ck_assert_int_eq(r->encryption, MPRMON_ENCRYPTION_OFF);
    config_free(&cfg);
    ck_assert_ptr_null(cfg.routers);
    ck_assert_uint_eq(cfg.n_routers, 0);
}
END_TEST

START_TEST(test_rpc_auth)
{
    static const char good[] = "defaults {\n"
                               "    rpc-auth integrity\n"
                               "    auth-file /etc/mprmon/default.auth\n"
                               "}\n"
                               "router 1 {\n"
                               "    name a\n"
                               "    address 192.0.2.1\n"
                               "}\n"
                               "router 2 {\n"
                               "    name b\n"
                               "    address 192.0.2.2\n"
                               "    rpc-auth privacy\n"
                               "}\n";
    static const char bad_value[] = "router 1 {\n"
                                    "    name a\n"
                                    "    address 192.0.2.1\n"
                                    "    rpc-auth sealed\n"
                                    "}\n";
    static const char anonymous[] = "router 1 {\n"
                                    "    name a\n"
                                    "    address 192.0.2.1\n"
                                    "    auth-file none\n"
                                    "    rpc-auth integrity\n"
                                    "}\n";
    static const char connect_level[] = "router 1 {\n"
                                        "    name a\n"
                                        "    address 192.0.2.1\n"
                                        "    rpc-auth connect\n"
                                        "}\n";
    struct daemon_config cfg;
    char err[256];

    ck_assert_int_eq(parse(good, &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.routers[0].rpc_auth_level,
                      MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY);
    ck_assert_uint_eq(cfg.routers[1].rpc_auth_level,
                      MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY);
    /* A different level is a different target: the handle must be redone. */
    struct router_config other = cfg.routers[0];
    ck_assert(router_config_same_target(&cfg.routers[0], &other));
    other.rpc_auth_level = MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY;
    ck_assert(!router_config_same_target(&cfg.routers[0], &other));
    config_free(&cfg);

    ck_assert_int_eq(parse(bad_value, &cfg, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "test.conf:4:") && strstr(err, "rpc-auth"),
                  "message: %s", err);
    ck_assert_int_eq(parse(anonymous, &cfg, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "test.conf:5:") && strstr(err, "auth-file"),
                  "message: %s", err);
    /* Named pipes offer no connect level: refused at load, with the way out. */
    ck_assert_int_eq(parse(connect_level, &cfg, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "test.conf:4:") && strstr(err, "integrity"),
                  "message: %s", err);
}
END_TEST

/* Each line, alone in a router block, is refused at its line (4) with
 * a message that names the key. */
static void assert_router_lines_refused(const char *const *lines, size_t n,
                                        const char *key)
{
    struct daemon_config cfg;
    char err[256], text[256];

    for (size_t i = 0; i < n; i++) {
        snprintf(text, sizeof text,
                 "router 1 {\n    name a\n    address 192.0.2.1\n    %s\n}\n",
                 lines[i]);
        ck_assert_int_eq(parse(text, &cfg, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "test.conf:4:") && strstr(err, key),
                      "%s: %s", lines[i], err);
    }
}

START_TEST(test_collect)
{
    static const char good[] = "defaults {\n"
                               "    collect interfaces  connections\n"
                               "}\n"
                               "router 1 {\n"
                               "    name a\n"
                               "    address 192.0.2.1\n"
                               "}\n"
                               "router 2 {\n"
                               "    name b\n"
                               "    address 192.0.2.2\n"
                               "    collect none\n"
                               "}\n"
                               "router 3 {\n"
                               "    name c\n"
                               "    address 192.0.2.3\n"
                               "    collect connections interfaces\n"
                               "}\n"
                               "router 4 {\n"
                               "    name d\n"
                               "    address 192.0.2.4\n"
                               "    collect ports\n"
                               "}\n";
    static const char *const bad[] = {"collect vpn", "collect interfaces x",
                                      "collect interfaces interfaces",
                                      "collect none interfaces", "collect",
                                      "collect ports ports"};
    struct daemon_config cfg;
    char err[256];

    ck_assert_int_eq(parse(good, &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.routers[0].collect,
                      COLLECT_INTERFACES | COLLECT_CONNECTIONS);
    ck_assert_uint_eq(cfg.routers[1].collect, 0);
    ck_assert_uint_eq(cfg.routers[2].collect,
                      COLLECT_INTERFACES | COLLECT_CONNECTIONS);
    ck_assert_uint_eq(cfg.routers[3].collect, COLLECT_PORTS);
    /* Collecting more or less keeps the router's handle and state. */
    struct router_config other = cfg.routers[0];
    other.collect = 0;
    ck_assert(router_config_same_target(&cfg.routers[0], &other));
    ck_assert(!router_config_equal(&cfg.routers[0], &other));
    config_free(&cfg);
    assert_router_lines_refused(bad, sizeof bad / sizeof bad[0], "collect");
    /* Nothing collected unless asked. */
    ck_assert_int_eq(parse("router 1 {\n    name a\n    address 192.0.2.1\n}\n",
                           &cfg, err, sizeof err),
                     0);
    ck_assert_uint_eq(cfg.routers[0].collect, 0);
    config_free(&cfg);
}
END_TEST

START_TEST(test_ports_exhausted)
{
    static const char good[] = "defaults {\n"
                               "    ports-exhausted 90\n"
                               "}\n"
                               "router 1 {\n"
                               "    name a\n"
                               "    address 192.0.2.1\n"
                               "}\n"
                               "router 2 {\n"
                               "    name b\n"
                               "    address 192.0.2.2\n"
                               "    ports-exhausted off\n"
                               "}\n"
                               "router 3 {\n"
                               "    name c\n"
                               "    address 192.0.2.3\n"
                               "    ports-exhausted 100\n"
                               "}\n";
    static const char *const bad[] = {"ports-exhausted 0",
                                      "ports-exhausted 101",
                                      "ports-exhausted 50%",
                                      "ports-exhausted"};
    struct daemon_config cfg;
    char err[256];

    ck_assert_int_eq(parse(good, &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.routers[0].ports_exhausted_pct, 90);
    ck_assert_uint_eq(cfg.routers[1].ports_exhausted_pct, 0);
    ck_assert_uint_eq(cfg.routers[2].ports_exhausted_pct, 100);
    /* A new threshold keeps the router's handle and state. */
    struct router_config other = cfg.routers[0];
    other.ports_exhausted_pct = 50;
    ck_assert(router_config_same_target(&cfg.routers[0], &other));
    ck_assert(!router_config_equal(&cfg.routers[0], &other));
    config_free(&cfg);
    assert_router_lines_refused(bad, sizeof bad / sizeof bad[0],
                                "ports-exhausted");
    /* All of one type's ports in use, unless told otherwise. */
    ck_assert_int_eq(parse("router 1 {\n    name a\n    address 192.0.2.1\n}\n",
                           &cfg, err, sizeof err),
                     0);
    ck_assert_uint_eq(cfg.routers[0].ports_exhausted_pct, 100);
    config_free(&cfg);
}
END_TEST

START_TEST(test_empty_and_defaults)
{
    struct daemon_config cfg;
    char err[256];

    ck_assert_int_eq(parse("", &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.n_routers, 0);
    ck_assert_uint_eq(cfg.max_concurrency, 8);
    ck_assert_uint_eq(cfg.trap_rate_per_min, 30);
    ck_assert(!cfg.first_probes_at_once);
    ck_assert(!cfg.shared_snmpd);
    config_free(&cfg);

    ck_assert_int_eq(parse("router 1 {\nname a\naddress b\nauth-file none\n}"
                           "\ntrap-rate 0",
                           &cfg, err, sizeof err),
                     0);
    ck_assert_uint_eq(cfg.n_routers, 1);
    ck_assert_str_eq(cfg.routers[0].auth_file, "");
    ck_assert_uint_eq(cfg.trap_rate_per_min, 0);
    config_free(&cfg);
}
END_TEST

/* Each bad input, the line the error must name, and a word of the reason. */
static const struct bad_case {
    const char *text;
    unsigned line;
    const char *words;
} bad_cases[] = {
    {"colour blue\n", 1, "unknown key 'colour'"},
    {"\nrouter 1 {\n name a\n address b\n speed 9\n}\n", 5, "unknown key"},
    {"router 0 {\n", 1, "1..4294967295"},
    {"router 4294967296 {\n", 1, "1..4294967295"},
    {"router 99999999999999999999999 {\n", 1, "1..4294967295"},
    {"router -1 {\n", 1, "not a number"},
    {"router x {\n", 1, "not a number"},
    {"router 1\n", 1, "expected 'router ID {'"},
    {"router {\n", 1, "needs an id"},
    {"router 1 {\n name a\n address b\n", 1, "not closed"},
    {"defaults {\n interval 5\n", 1, "not closed"},
    {"}\n", 1, "without an open block"},
    {"router 1 {\n name a\n address b\n} x\n", 4, "stand alone"},
    {"router 1 {\n name a\n address b\nrouter 2 {\n", 4, "missing '}'"},
    {"router 1 {\n address b\n}\n", 1, "has no name"},
    {"router 1 {\n name a\n}\n", 1, "has no address"},
    {"router 1 {\n name a\n address\n}\n", 3, "needs a value"},
    {"router 1 {\n name a\n address bad host\n}\n", 3, "address"},
    {"router 1 {\n name a\n address a/b\n}\n", 3, "address"},
    {"router 1 {\n name a\n address user@host\n}\n", 3, "address"},
    {"router 1 {\n name a\n address 1.2.3.256\n}\n", 3, "IPv4"},
    {"router 1 {\n name a\n address 1:2:3\n}\n", 3, "IPv6"},
    {"router 1 {\n name a\n address [::1\n}\n", 3, "]"},
    {"router 1 {\n name a\n address host..example\n}\n", 3, "labels"},
    {"router 1 {\n name a\n address -host\n}\n", 3, "address"},
    /* Resolvers would read these as numbers: 127.0.0.123, 127.0.0.1. */
    {"router 1 {\n name a\n address localhost.123\n}\n", 3, "last label"},
    {"router 1 {\n name a\n address 0x7f000001\n}\n", 3, "hexadecimal"},
    {"router 1 {\n name a\n address b\n port 0\n}\n", 4, "1..65535"},
    {"router 1 {\n name a\n address b\n port 65536\n}\n", 4, "1..65535"},
    {"router 1 {\n name a\n address b\n port 44 5\n}\n", 4, "not a number"},
    {"router 1 {\n name a\n address b\n interval 0\n}\n", 4, "1..86400"},
    {"router 1 {\n name a\n address b\n interval 86401\n}\n", 4, "1..86400"},
    {"router 1 {\n name a\n address b\n interval 30s\n}\n", 4, "not a number"},
    {"router 1 {\n name a\n address b\n timeout 99\n}\n", 4, "100..600000"},
    {"router 1 {\n name a\n address b\n hysteresis 0\n}\n", 4, "1..100"},
    {"router 1 {\n name a\n address b\n hysteresis 101\n}\n", 4, "1..100"},
    {"router 1 {\n name a\n address b\n encryption maybe\n}\n", 4,
     "encryption must be"},
    {"router 1 {\n name a\n address b\n auth-file rel/path\n}\n", 4,
     "absolute"},
    {"router 1 {\n name a\n address b\n name c\n}\n", 4, "given twice"},
    {"router 1 {\n name a\n address b\n}\nrouter 1 {\n name c\n address d\n}"
     "\n",
     5, "duplicate router id 1 (first at line 1)"},
    {"router 1 {\n name Gw\n address b\n}\nrouter 2 {\n name gw\n address "
     "d\n}\n",
     6, "duplicate router name"},
    {"defaults {\n name x\n}\n", 2, "belongs in a router block"},
    {"defaults {\n}\ndefaults {\n}\n", 3, "second defaults block"},
    {"defaults\n", 1, "expected 'defaults {'"},
    {"interval 5\n", 1, "belongs in a router or defaults block"},
    {"concurrency 0\n", 1, "1..256"},
    {"concurrency 257\n", 1, "1..256"},
    {"concurrency 2\nconcurrency 3\n", 2, "given twice"},
    {"trap-rate 10001\n", 1, "0..10000"},
    {"first-probes soon\n", 1, "'spread' or 'at-once'"},
    {"first-probes spread\nfirst-probes at-once\n", 2, "given twice"},
    {"shared-snmpd maybe\n", 1, "'yes' or 'no'"},
    {"shared-snmpd no\nshared-snmpd yes\n", 2, "given twice"},
    {"router 1 {\n name a\x01\n}\n", 2, "control character"},
    {"router 1 {\n name caf\xc3\xa9\n address b\n}\n", 2, "printable ASCII"},
    {"router 1\n{\n", 1, "expected"},
};

START_TEST(test_bad_input)
{
    const struct bad_case *c = &bad_cases[_i];
    struct daemon_config cfg;
    char err[256];
    char prefix[64];

    ck_assert_msg(parse(c->text, &cfg, err, sizeof err) == -1,
                  "case %d accepted", _i);
    snprintf(prefix, sizeof prefix, "test.conf:%u: ", c->line);
    ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
                  "case %d: '%s' does not start with '%s'", _i, err, prefix);
    ck_assert_msg(strstr(err, c->words) != NULL,
                  "case %d: '%s' does not say '%s'", _i, err, c->words);
    ck_assert_ptr_null(cfg.routers);
    ck_assert_uint_eq(cfg.n_routers, 0);
}
END_TEST

START_TEST(test_limits)
{
    char text[8192];
    char name[ROUTER_NAME_MAX + 1];
    char host[300];
    struct daemon_config cfg;
    char err[256];

    /* A 63-character name is the longest. */
    memset(name, 'n', ROUTER_NAME_MAX - 1);
    name[ROUTER_NAME_MAX - 1] = '\0';
    snprintf(text, sizeof text, "router 1 {\nname %s\naddress h\n}\n", name);
    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), 0);
    ck_assert_str_eq(cfg.routers[0].name, name);
    config_free(&cfg);
    strcat(name, "n");
    snprintf(text, sizeof text, "router 1 {\nname %s\naddress h\n}\n", name);
    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "test.conf:2: name is too long"));

    /* 253 characters of host name pass, 254 do not. */
    for (int i = 0; i < 253; i++)
        host[i] = (i % 50 == 49) ? '.' : 'h';
    host[253] = '\0';
    snprintf(text, sizeof text, "router 1 {\nname a\naddress %s\n}\n", host);
    ck_assert_msg(parse(text, &cfg, err, sizeof err) == 0, "%s", err);
    config_free(&cfg);
    strcat(host, "h");
    snprintf(text, sizeof text, "router 1 {\nname a\naddress %s\n}\n", host);
    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "test.conf:3: "));
    ck_assert_ptr_nonnull(strstr(err, "253"));

    /* Upper bounds are inclusive. */
    ck_assert_int_eq(parse("concurrency 256\ntrap-rate 10000\nrouter "
                           "4294967295 {\nname a\naddress b\nport 65535\n"
                           "interval 86400\ntimeout 600000\nhysteresis "
                           "100\n}\n",
                           &cfg, err, sizeof err),
                     0);
    ck_assert_uint_eq(cfg.routers[0].id, 4294967295u);
    ck_assert_uint_eq(cfg.routers[0].timeout_ms, 600000);
    config_free(&cfg);

    /* A line of 4095 bytes is read, 4096 is too long. */
    memset(text, ' ', 4095);
    memcpy(text, "# ", 2);
    text[4095] = '\0';
    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), 0);
    config_free(&cfg);
    memset(text, ' ', 4096);
    memcpy(text, "# ", 2);
    text[4096] = '\n';
    text[4097] = '\0';
    ck_assert_int_eq(parse(text, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "test.conf:1: line too long"));

    /* A NUL byte in the text is refused, not taken as its end. */
    ck_assert_int_eq(
        config_parse("x.conf", "concurrency 2\n\0x", 17, &cfg, err, sizeof err),
        -1);
    ck_assert_ptr_nonnull(strstr(err, "x.conf:2: contains a NUL byte"));

    /* A tiny error buffer is truncated, not overrun; none at all is fine. */
    {
        char tiny[8];
        memset(tiny, 'X', sizeof tiny);
        ck_assert_int_eq(parse("bogus 1\n", &cfg, tiny, 5), -1);
        ck_assert_str_eq(tiny, "test");
        ck_assert_int_eq(tiny[5], 'X');
        ck_assert_int_eq(parse("bogus 1\n", &cfg, NULL, 0), -1);
    }
}
END_TEST

START_TEST(test_many_routers)
{
    size_t cap = 2000 * 64;
    char *text = malloc(cap);
    size_t len = 0;
    struct daemon_config cfg;
    char err[256];

    ck_assert_ptr_nonnull(text);
    /* Written in descending order: the parser sorts. */
    for (unsigned id = 2000; id >= 1; id--)
        len += (size_t)snprintf(text + len, cap - len,
                                "router %u {\nname r%u\naddress h%u\n}\n", id,
                                id, id);
    ck_assert_int_eq(config_parse("big", text, len, &cfg, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.n_routers, 2000);
    for (size_t i = 0; i < cfg.n_routers; i++)
        ck_assert_uint_eq(cfg.routers[i].id, i + 1);
    config_free(&cfg);
    free(text);
}
END_TEST

/* Auth-file paths are pooled: routers that share a file share one string,
 * parsing the same file again adds nothing to the pool, and a copy of a
 * stanza stays valid after its config is freed (the prober's in-flight
 * probes keep such copies across a reload). */
START_TEST(test_auth_file_pooled)
{
    static const char text[] = "defaults {\nauth-file /etc/mprmon/shared.auth\n}\n"
                               "router 1 {\nname a\naddress h\n}\n"
                               "router 2 {\nname b\naddress h\n}\n"
                               "router 3 {\nname c\naddress h\n"
                               "auth-file /etc/mprmon/own.auth\n}\n"
                               "router 4 {\nname d\naddress h\n"
                               "auth-file none\n}\n";
    struct daemon_config cfg;
    struct router_config copy, zeroed;
    char err[256];
    char path[ROUTER_PATH_MAX + 16];
    char line[ROUTER_PATH_MAX + 64];
    size_t pooled;

    ck_assert_msg(parse(text, &cfg, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_eq(cfg.routers[0].auth_file, cfg.routers[1].auth_file);
    ck_assert_str_eq(cfg.routers[2].auth_file, "/etc/mprmon/own.auth");
    ck_assert_str_eq(cfg.routers[3].auth_file, "");
    copy = cfg.routers[0];
    config_free(&cfg);
    pooled = strpool_count();
    ck_assert_msg(parse(text, &cfg, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(strpool_count(), pooled);
    ck_assert_ptr_eq(cfg.routers[0].auth_file, copy.auth_file);
    ck_assert_str_eq(copy.auth_file, "/etc/mprmon/shared.auth");
    ck_assert(router_config_same_target(&copy, &cfg.routers[0]));
    config_free(&cfg);

    /* A zeroed stanza (NULL path) means anonymous, like "". */
    memset(&zeroed, 0, sizeof zeroed);
    copy = zeroed;
    copy.auth_file = "";
    ck_assert(router_config_same_target(&zeroed, &copy));
    copy.auth_file = "/x";
    ck_assert(!router_config_same_target(&zeroed, &copy));

    /* ROUTER_PATH_MAX - 1 bytes is the longest path. */
    path[0] = '/';
    memset(path + 1, 'p', ROUTER_PATH_MAX - 2);
    path[ROUTER_PATH_MAX - 1] = '\0';
    snprintf(line, sizeof line, "router 1 {\nname a\naddress h\nauth-file %s\n}\n",
             path);
    ck_assert_msg(parse(line, &cfg, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(cfg.routers[0].auth_file, path);
    config_free(&cfg);
    strcat(path, "p");
    snprintf(line, sizeof line, "router 1 {\nname a\naddress h\nauth-file %s\n}\n",
             path);
    ck_assert_int_eq(parse(line, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "test.conf:4: auth-file is too long"));
}
END_TEST

START_TEST(test_equal)
{
    struct daemon_config cfg;
    char err[256];
    struct router_config a, b;

    ck_assert_int_eq(
        parse("router 1 {\nname a\naddress h\n}\n", &cfg, err, sizeof err), 0);
    a = cfg.routers[0];
    config_free(&cfg);

    b = a;
    ck_assert(router_config_equal(&a, &b));
    ck_assert(router_config_same_target(&a, &b));
    strcpy(b.name, "renamed");
    ck_assert(router_config_equal(&a, &b));
    b.interval_s++;
    ck_assert(!router_config_equal(&a, &b));
    ck_assert(router_config_same_target(&a, &b));
    b = a;
    strcpy(b.address, "other");
    ck_assert(!router_config_equal(&a, &b));
    ck_assert(!router_config_same_target(&a, &b));
    b = a;
    b.port = 1445;
    ck_assert(!router_config_same_target(&a, &b));
    b = a;
    b.auth_file = "/x";
    ck_assert(!router_config_same_target(&a, &b));
    b = a;
    b.encryption = MPRMON_ENCRYPTION_REQUIRED;
    ck_assert(!router_config_same_target(&a, &b));
}
END_TEST

/* config_load on real files in a private temp dir. */
static char tmpdir[256];

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/check_config.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
    char cmd[300];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
}

START_TEST(test_load_auth_files)
{
    char conf[512], auth[512], text[2048], err[512];
    struct daemon_config cfg;

    snprintf(conf, sizeof conf, "%s/mprmon.conf", tmpdir);
    snprintf(auth, sizeof auth, "%s/gw.auth", tmpdir);
    write_file(auth, "username = admin\npassword = s3cret-pw\n", 0600);
    snprintf(text, sizeof text,
             "concurrency 2\n"
             "defaults {\n"
             "  auth-file %s\n"
             "}\n"
             "router 5 {\n"
             "  name gw\n"
             "  address 127.0.0.1\n"
             "}\n",
             auth);
    write_file(conf, text, 0644);
    ck_assert_msg(config_load(conf, &cfg, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(cfg.n_routers, 1);
    ck_assert_str_eq(cfg.routers[0].auth_file, auth);
    config_free(&cfg);

    /* Group-readable: refused, naming the file and the defaults line, and
     * never showing what is inside. */
    ck_assert_int_eq(chmod(auth, 0640), 0);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, ":3: auth-file "));
    ck_assert_ptr_nonnull(strstr(err, auth));
    ck_assert_ptr_nonnull(strstr(err, "group or others"));
    ck_assert_ptr_null(strstr(err, "s3cret"));
    ck_assert_ptr_null(cfg.routers);

    ck_assert_int_eq(chmod(auth, 0604), 0);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "group or others"));

    /* Malformed: refused at load with the auth file's own line, not at
     * every probe. */
    write_file(auth, "username = admin\npasword = s3cret-pw\n", 0600);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_msg(strstr(err, ":3: auth-file ") && strstr(err, "line 2"), "%s",
                  err);
    ck_assert_ptr_null(strstr(err, "s3cret"));

    /* Someone else's file: they could rewrite it at will. */
    write_file(auth, "username = admin\npassword = s3cret-pw\n", 0600);
    if (geteuid() == 0) {
        ck_assert_int_eq(chown(auth, 65534, 65534), 0);
        ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "owned by uid 65534"), "%s", err);
        ck_assert_int_eq(chown(auth, 0, 0), 0);
    }

    /* Missing file. */
    ck_assert_int_eq(unlink(auth), 0);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, auth));
    ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));

    /* A directory is not an auth file. */
    ck_assert_int_eq(mkdir(auth, 0700), 0);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));

    /* config_parse never looks at files. */
    ck_assert_int_eq(
        config_parse("x", text, strlen(text), &cfg, err, sizeof err), 0);
    config_free(&cfg);
}
END_TEST

START_TEST(test_load_errors)
{
    char conf[512], err[512];
    struct daemon_config cfg;

    snprintf(conf, sizeof conf, "%s/absent.conf", tmpdir);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, conf));
    ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));

    ck_assert_int_eq(config_load(tmpdir, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));

    snprintf(conf, sizeof conf, "%s/bad.conf", tmpdir);
    write_file(conf, "concurrency 2\nrouter 1 {\n  name a\n  addres b\n}\n",
               0644);
    ck_assert_int_eq(config_load(conf, &cfg, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, conf));
    ck_assert_ptr_nonnull(strstr(err, ":4: unknown key 'addres'"));
    ck_assert_int_eq(config_load(NULL, &cfg, err, sizeof err), -1);
}
END_TEST

/* The shipped example must stay valid (its auth files do not exist here, so
 * it goes through config_parse). */
START_TEST(test_example_file)
{
    const char *srcdir = getenv("top_srcdir");
    char path[1024], err[512];
    static char text[65536];
    struct daemon_config cfg;
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "%s/etc/mprmon.conf.example",
             srcdir != NULL ? srcdir : ".");
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    n = fread(text, 1, sizeof text, f);
    fclose(f);
    ck_assert_msg(config_parse(path, text, n, &cfg, err, sizeof err) == 0, "%s",
                  err);
    ck_assert_uint_ge(cfg.n_routers, 2);
    config_free(&cfg);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    TCase *files = tcase_create("load");

    tcase_add_test(tc, test_good_file);
    tcase_add_test(tc, test_empty_and_defaults);
    tcase_add_test(tc, test_rpc_auth);
    tcase_add_test(tc, test_collect);
    tcase_add_test(tc, test_ports_exhausted);
    tcase_add_loop_test(tc, test_bad_input, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_many_routers);
    tcase_add_test(tc, test_equal);
    tcase_add_test(tc, test_auth_file_pooled);
    tcase_add_test(tc, test_example_file);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(files, tmp_setup, tmp_teardown);
    tcase_add_test(files, test_load_auth_files);
    tcase_add_test(files, test_load_errors);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(config_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
