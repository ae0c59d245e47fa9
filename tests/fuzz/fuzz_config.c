/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_config.c - libFuzzer target over config_parse.
 *
 * Besides "no crash, no leak", an accepted config must satisfy what the
 * rest of the daemon relies on: ids sorted and unique, every number within
 * its documented range, strings terminated.  A violation aborts, which both
 * libFuzzer and the replay driver report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "subagent/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_config_check(const struct daemon_config *cfg)
{
    if (cfg->max_concurrency < 1 || cfg->max_concurrency > 256 ||
        cfg->trap_rate_per_min > 10000)
        abort();
    for (size_t i = 0; i < cfg->n_routers; i++) {
        const struct router_config *r = &cfg->routers[i];
        if (r->id == 0 || (i > 0 && r->id <= cfg->routers[i - 1].id))
            abort();
        if (memchr(r->name, '\0', sizeof r->name) == NULL ||
            memchr(r->address, '\0', sizeof r->address) == NULL ||
            r->auth_file == NULL ||
            memchr(r->auth_file, '\0', ROUTER_PATH_MAX) == NULL)
            abort();
        if (r->name[0] == '\0' || r->address[0] == '\0')
            abort();
        if (r->auth_file[0] != '\0' && r->auth_file[0] != '/')
            abort();
        if (r->port < 1 || r->port > 65535 || r->interval_s < 1 ||
            r->interval_s > 86400 || r->timeout_ms < 100 ||
            r->timeout_ms > 600000 || r->hysteresis < 1 || r->hysteresis > 100)
            abort();
        if (r->encryption != MPRMON_ENCRYPTION_OFF &&
            r->encryption != MPRMON_ENCRYPTION_IF_AVAILABLE &&
            r->encryption != MPRMON_ENCRYPTION_REQUIRED)
            abort();
        if (!router_config_equal(r, r) || !router_config_same_target(r, r))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct daemon_config cfg;
    char err[256];

    if (config_parse("fuzz", (const char *)data, size, &cfg, err, sizeof err) ==
        0) {
        fuzz_config_check(&cfg);
        config_free(&cfg);
    } else {
        /* Errors are "NAME:LINE: ..." or "NAME: ...", always terminated. */
        if (memchr(err, '\0', sizeof err) == NULL ||
            strncmp(err, "fuzz:", 5) != 0 || cfg.routers != NULL)
            abort();
    }
    return 0;
}
