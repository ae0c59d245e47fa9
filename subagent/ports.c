/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports.c - a router's ports by type, and exhaustion with hysteresis. */
#include "ports.h"

#include <string.h>

/* Does the UTF-16 string s contain the ASCII word (lower case), ignoring
 * the case of ASCII letters? */
static bool ports_wide_contains(const WCHAR *s, size_t units, const char *word)
{
    size_t n = strlen(word);

    for (size_t i = 0; i + n <= units && s[i] != 0; i++) {
        size_t k = 0;

        while (k < n) {
            WCHAR ch = s[i + k];

            if (ch >= 'A' && ch <= 'Z')
                ch = (WCHAR)(ch + ('a' - 'A'));
            if (ch != (unsigned char)word[k])
                break;
            k++;
        }
        if (k == n)
            return true;
    }
    return false;
}

enum port_type port_type_of(const RAS_PORT_0 *port)
{
    static const struct {
        const char *word;
        enum port_type type;
    } by_device[] = {{"pptp", PORT_TYPE_PPTP},
                     {"l2tp", PORT_TYPE_L2TP},
                     {"sstp", PORT_TYPE_SSTP},
                     {"ikev2", PORT_TYPE_IKEV2},
                     {"pppoe", PORT_TYPE_PPPOE}};
    const size_t units = sizeof port->wszDeviceName / sizeof(WCHAR);

    for (size_t i = 0; i < sizeof by_device / sizeof by_device[0]; i++)
        if (ports_wide_contains(port->wszDeviceName, units, by_device[i].word))
            return by_device[i].type;
    if (ports_wide_contains(port->wszDeviceType,
                            sizeof port->wszDeviceType / sizeof(WCHAR),
                            "pppoe"))
        return PORT_TYPE_PPPOE;
    return PORT_TYPE_OTHER;
}

const char *port_type_name(unsigned type)
{
    static const char *const names[PORT_TYPES] = {"PPTP",  "L2TP",  "SSTP",
                                                  "IKEv2", "PPPoE", "other"};

    return type >= 1 && type <= PORT_TYPES ? names[type - 1] : NULL;
}

static bool ports_condition_in_use(RAS_PORT_CONDITION c)
{
    return c == RAS_PORT_CALLING_BACK || c == RAS_PORT_AUTHENTICATING ||
           c == RAS_PORT_AUTHENTICATED || c == RAS_PORT_INITIALIZING;
}

void port_counts_of(const RAS_PORT_0 *ports, uint32_t n,
                    struct port_counts *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < n; i++) {
        struct port_type_count *c = &out->of[port_type_of(&ports[i]) - 1];

        c->ports++;
        if (ports_condition_in_use(ports[i].dwPortCondition))
            c->in_use++;
        if (ports[i].dwPortCondition == RAS_PORT_AUTHENTICATED)
            c->connected++;
    }
}

bool port_type_exhausted(const struct port_type_count *c, unsigned pct)
{
    return pct > 0 && c->ports > 0 &&
           (uint64_t)c->in_use * 100u >= (uint64_t)c->ports * pct;
}

unsigned ports_watch_update(struct ports_watch *w, const struct port_counts *c,
                            bool valid, unsigned pct, unsigned hysteresis)
{
    unsigned need = hysteresis > 0 ? hysteresis : 1, fired = 0;

    if (!valid)
        return 0;
    for (unsigned t = 0; t < PORT_TYPES; t++) {
        bool now = port_type_exhausted(&c->of[t], pct);

        if (now == w->exhausted[t]) {
            w->streak[t] = 0;
            continue;
        }
        if (w->streak[t] < UINT8_MAX)
            w->streak[t]++;
        if (w->streak[t] < need)
            continue;
        w->exhausted[t] = now;
        w->streak[t] = 0;
        if (now)
            fired |= 1u << t;
    }
    return fired;
}
