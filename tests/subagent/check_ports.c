/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_ports.c - ports by type and exhaustion with hysteresis. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"

static void set_wide(WCHAR *dst, size_t units, const char *s)
{
    size_t i;

    for (i = 0; i + 1 < units && s[i] != '\0'; i++)
        dst[i] = (WCHAR)(unsigned char)s[i];
    dst[i] = 0;
}

static RAS_PORT_0 port(const char *device, const char *type,
                       RAS_PORT_CONDITION condition)
{
    RAS_PORT_0 p;

    memset(&p, 0, sizeof p);
    set_wide(p.wszDeviceName, MAX_DEVICE_NAME + 1, device);
    set_wide(p.wszDeviceType, MAX_DEVICETYPE_NAME + 1, type);
    p.dwPortCondition = condition;
    return p;
}

START_TEST(test_type_of_device)
{
    static const struct {
        const char *device, *type;
        enum port_type want;
    } cases[] = {
        {"WAN Miniport (PPTP)", "vpn", PORT_TYPE_PPTP},
        {"WAN Miniport (L2TP)", "vpn", PORT_TYPE_L2TP},
        {"WAN Miniport (SSTP)", "vpn", PORT_TYPE_SSTP},
        {"WAN Miniport (IKEv2)", "vpn", PORT_TYPE_IKEV2},
        {"wan miniport (ikev2)", "VPN", PORT_TYPE_IKEV2},
        {"WAN Miniport (PPPOE)", "PPPoE", PORT_TYPE_PPPOE},
        {"Broadband", "PPPoE", PORT_TYPE_PPPOE},
        {"Standard 56000 bps Modem", "modem", PORT_TYPE_OTHER},
        {"", "", PORT_TYPE_OTHER},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RAS_PORT_0 p = port(cases[i].device, cases[i].type, RAS_PORT_LISTENING);

        ck_assert_msg(port_type_of(&p) == cases[i].want, "%s: %d",
                      cases[i].device, (int)port_type_of(&p));
    }
    ck_assert_str_eq(port_type_name(PORT_TYPE_IKEV2), "IKEv2");
    ck_assert_str_eq(port_type_name(PORT_TYPE_OTHER), "other");
    ck_assert_ptr_null(port_type_name(0));
    ck_assert_ptr_null(port_type_name(PORT_TYPES + 1));
}
END_TEST

START_TEST(test_device_name_without_terminator)
{
    RAS_PORT_0 p = port("", "vpn", RAS_PORT_LISTENING);

    /* The library checks terminators; this must not read past the array
     * even so. */
    for (size_t i = 0; i <= MAX_DEVICE_NAME; i++)
        p.wszDeviceName[i] = 'x';
    ck_assert(port_type_of(&p) == PORT_TYPE_OTHER);
}
END_TEST

START_TEST(test_counts)
{
    RAS_PORT_0 ports[] = {
        port("WAN Miniport (SSTP)", "vpn", RAS_PORT_AUTHENTICATED),
        port("WAN Miniport (SSTP)", "vpn", RAS_PORT_AUTHENTICATING),
        port("WAN Miniport (SSTP)", "vpn", RAS_PORT_LISTENING),
        port("WAN Miniport (SSTP)", "vpn", RAS_PORT_NON_OPERATIONAL),
        port("WAN Miniport (L2TP)", "vpn", RAS_PORT_DISCONNECTED),
        port("WAN Miniport (PPTP)", "vpn", RAS_PORT_CALLING_BACK),
        port("WAN Miniport (PPTP)", "vpn", RAS_PORT_INITIALIZING),
    };
    struct port_counts c;

    port_counts_of(ports, sizeof ports / sizeof ports[0], &c);
    ck_assert_uint_eq(c.of[PORT_TYPE_SSTP - 1].ports, 4);
    ck_assert_uint_eq(c.of[PORT_TYPE_SSTP - 1].in_use, 2);
    ck_assert_uint_eq(c.of[PORT_TYPE_SSTP - 1].connected, 1);
    ck_assert_uint_eq(c.of[PORT_TYPE_L2TP - 1].ports, 1);
    ck_assert_uint_eq(c.of[PORT_TYPE_L2TP - 1].in_use, 0);
    ck_assert_uint_eq(c.of[PORT_TYPE_PPTP - 1].in_use, 2);
    ck_assert_uint_eq(c.of[PORT_TYPE_PPTP - 1].connected, 0);
    ck_assert_uint_eq(c.of[PORT_TYPE_IKEV2 - 1].ports, 0);
    port_counts_of(NULL, 0, &c);
    ck_assert_uint_eq(c.of[PORT_TYPE_SSTP - 1].ports, 0);
}
END_TEST

START_TEST(test_exhausted_threshold)
{
    struct port_type_count none = {0, 0, 0}, half = {4, 2, 2}, full = {4, 4, 3};

    ck_assert(!port_type_exhausted(&none, 100));
    ck_assert(!port_type_exhausted(&none, 1));
    ck_assert(port_type_exhausted(&full, 100));
    ck_assert(!port_type_exhausted(&half, 100));
    ck_assert(port_type_exhausted(&half, 50));
    ck_assert(!port_type_exhausted(&half, 51));
    ck_assert(!port_type_exhausted(&full, 0)); /* off */
}
END_TEST

static struct port_counts sstp(uint32_t ports, uint32_t in_use)
{
    struct port_counts c;

    memset(&c, 0, sizeof c);
    c.of[PORT_TYPE_SSTP - 1].ports = ports;
    c.of[PORT_TYPE_SSTP - 1].in_use = in_use;
    return c;
}

START_TEST(test_watch_hysteresis)
{
    struct ports_watch w;
    struct port_counts full = sstp(2, 2), free1 = sstp(2, 1);
    const unsigned bit = 1u << (PORT_TYPE_SSTP - 1);

    memset(&w, 0, sizeof w);
    /* Two agreeing readings confirm; the second fires, once. */
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), 0);
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), bit);
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), 0);
    /* No reading changes nothing. */
    ck_assert_uint_eq(ports_watch_update(&w, &free1, false, 100, 2), 0);
    /* One free reading is not enough to re-arm. */
    ck_assert_uint_eq(ports_watch_update(&w, &free1, true, 100, 2), 0);
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), 0);
    /* Two are; the next exhaustion fires again. */
    ck_assert_uint_eq(ports_watch_update(&w, &free1, true, 100, 2), 0);
    ck_assert_uint_eq(ports_watch_update(&w, &free1, true, 100, 2), 0);
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), 0);
    ck_assert_uint_eq(ports_watch_update(&w, &full, true, 100, 2), bit);
    /* A lower threshold: half in use is exhausted at once with 1. */
    memset(&w, 0, sizeof w);
    ck_assert_uint_eq(ports_watch_update(&w, &free1, true, 50, 1), bit);
    ck_assert_uint_eq(ports_watch_update(&w, &free1, true, 0, 1), 0);
}
END_TEST

static Suite *ports_suite(void)
{
    Suite *s = suite_create("ports");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_type_of_device);
    tcase_add_test(tc, test_device_name_without_terminator);
    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_exhausted_threshold);
    tcase_add_test(tc, test_watch_hysteresis);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ports_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
