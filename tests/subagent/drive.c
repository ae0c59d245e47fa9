/* SPDX-License-Identifier: GPL-3.0-or-later */
/* drive.c - the daemon's loop for tests (drive.h). */
#include "drive.h"

#include <check.h>
#include <poll.h>

static void drive_once(struct routers *r, uint64_t end_ms)
{
    uint64_t now = mono_now_ms();
    long wait = routers_next_wakeup_ms(r, now);
    long left = end_ms > now ? (long)(end_ms - now) : 0;
    struct pollfd p = {.fd = routers_fd(r, mono_now_ms()), .events = POLLIN};

    if (wait < 0 || wait > left)
        wait = left;
    if (wait > 50)
        wait = 50; /* check the caller's condition often */
    (void)poll(&p, 1, (int)wait);
    routers_process(r, mono_now_ms());
}

void drive_for(struct routers *r, unsigned ms)
{
    uint64_t end = mono_now_ms() + ms;

    while (mono_now_ms() < end)
        drive_once(r, end);
}

struct router_row drive_row(struct routers *r, uint32_t id)
{
    const struct snapshot *s = routers_snapshot(r);
    struct router_row copy;
    size_t i;

    for (i = 0; i < snapshot_size(s); i++)
        if (snapshot_row(s, i)->id == id)
            break;
    ck_assert_msg(i < snapshot_size(s), "router %u not in the table",
                  (unsigned)id);
    copy = *snapshot_row(s, i);
    snapshot_release(s);
    return copy;
}

bool drive_until_probes(struct routers *r, uint32_t id, uint32_t probes,
                        unsigned limit_ms, struct router_row *out)
{
    uint64_t end = mono_now_ms() + limit_ms;

    for (;;) {
        *out = drive_row(r, id);
        if (out->probes >= probes)
            return true;
        if (mono_now_ms() >= end)
            return false;
        drive_once(r, end);
    }
}
