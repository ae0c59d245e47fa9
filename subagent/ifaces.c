/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces.c - the routers' interfaces (see ifaces.h). */
#include "ifaces.h"

#include <stdlib.h>
#include <string.h>

uint32_t iface_index_of(const char *name)
{
    uint32_t h = 2166136261u;

    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        unsigned char folded = *c >= 'A' && *c <= 'Z' ? *c + ('a' - 'A') : *c;
        h = (h ^ folded) * 16777619u;
    }
    return h != 0 ? h : 1;
}

/* ---- building a probe's set ---- */

static int iface_cmp_index(const void *a, const void *b)
{
    const struct iface_entry *x = a, *y = b;
    int c;

    if (x->row.index != y->row.index)
        return x->row.index < y->row.index ? -1 : 1;
    c = strcmp(x->row.name, y->row.name);
    return c;
}

static void iface_entries_free(struct iface_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].row.name);
    free(e);
}

/* The probe's entries as rows, indexed and sorted by index; NULL when out
 * of memory (or n is 0). */
static struct iface_entry *iface_entries_new(uint32_t router_id,
                                             const MPR_INTERFACE_0 *in,
                                             size_t n, size_t *kept)
{
    struct iface_entry *e = calloc(n ? n : 1, sizeof *e);
    size_t k = 0;

    *kept = 0;
    if (e == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char *name = MprmonWideToUtf8(in[i].wszInterfaceName);
        if (name == NULL) {
            iface_entries_free(e, k);
            return NULL;
        }
        e[k].row.router_id = router_id;
        e[k].row.name = name;
        e[k].row.index = iface_index_of(name);
        e[k].row.type = in[i].dwIfType;
        e[k].row.enabled = in[i].fEnabled != 0;
        e[k].row.state_known = true;
        e[k].row.state = in[i].dwConnectionState;
        e[k].row.reasons = in[i].fUnReachabilityReasons;
        e[k].row.last_error = in[i].dwLastError;
        k++;
    }
    qsort(e, k, sizeof *e, iface_cmp_index);
    /* Collisions (and a name listed twice) move up to the next free index:
     * indexes then ascend strictly in this order.  Past UINT32_MAX there is
     * no index left: such an entry is dropped. */
    for (size_t i = 1; i < k; i++) {
        if (e[i].row.index > e[i - 1].row.index)
            continue;
        if (e[i - 1].row.index == UINT32_MAX) {
            free(e[i].row.name);
            memmove(&e[i], &e[i + 1], (k - i - 1) * sizeof *e);
            k--;
            i--;
            continue;
        }
        e[i].row.index = e[i - 1].row.index + 1;
    }
    *kept = k;
    return e;
}

static const struct iface_entry *iface_find(const struct iface_set *set,
                                            uint32_t index, const char *name)
{
    size_t lo = 0, hi = set->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->entries[mid].row.index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < set->n && set->entries[lo].row.index == index &&
        strcmp(set->entries[lo].row.name, name) == 0)
        return &set->entries[lo];
    return NULL;
}

/* One probe's word on one interface through hysteresis: true when it
 * confirms a change worth a notification. */
static bool iface_hysteresis(struct iface_entry *e, unsigned need)
{
    enum iface_health now = e->row.state == ROUTER_IF_STATE_UNREACHABLE
                                ? IFACE_HEALTH_DOWN
                                : IFACE_HEALTH_UP;
    enum iface_health before = e->confirmed;

    if (now == e->confirmed) {
        e->candidate = IFACE_HEALTH_NONE;
        e->streak = 0;
        return false;
    }
    if (now != e->candidate) {
        e->candidate = now;
        e->streak = 0;
    }
    if (++e->streak < (need > 0 ? need : 1))
        return false;
    e->confirmed = now;
    e->candidate = IFACE_HEALTH_NONE;
    e->streak = 0;
    /* As for routers: "up" at start is no news, "down" at start is. */
    return !(before == IFACE_HEALTH_NONE && now == IFACE_HEALTH_UP);
}

static bool iface_rows_equal(const struct iface_row *a,
                             const struct iface_row *b)
{
    return a->index == b->index && strcmp(a->name, b->name) == 0 &&
           a->type == b->type && a->enabled == b->enabled &&
           a->state_known == b->state_known && a->state == b->state &&
           a->reasons == b->reasons && a->last_error == b->last_error &&
           a->last_change_ms == b->last_change_ms;
}

/* Would the table show the same rows with e[0..n) as with set's? */
static bool iface_same_rows(const struct iface_set *set,
                            const struct iface_entry *e, size_t n)
{
    if (set->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!iface_rows_equal(&set->entries[i].row, &e[i].row))
            return false;
    return true;
}

int iface_set_update(struct iface_set *set, uint32_t router_id,
                     const MPR_INTERFACE_0 *entries, size_t n,
                     uint64_t now_ms, unsigned hysteresis,
                     struct iface_change *changes, size_t max,
                     size_t *n_changes)
{
    size_t k;
    struct iface_entry *e = iface_entries_new(router_id, entries, n, &k);
    bool changed;

    *n_changes = 0;
    if (e == NULL)
        return -1;
    for (size_t i = 0; i < k; i++) {
        const struct iface_entry *old = iface_find(set, e[i].row.index,
                                                   e[i].row.name);
        if (old != NULL) {
            e[i].confirmed = old->confirmed;
            e[i].candidate = old->candidate;
            e[i].streak = old->streak;
            e[i].row.last_change_ms = old->row.last_change_ms;
            if (!old->row.state_known || old->row.state != e[i].row.state)
                e[i].row.last_change_ms = now_ms;
        } else {
            /* Found at the first read: no change seen yet.  Later: it
             * appeared now. */
            e[i].row.last_change_ms = set->read ? now_ms : 0;
        }
        if (iface_hysteresis(&e[i], hysteresis) && *n_changes < max) {
            changes[*n_changes].down = e[i].confirmed == IFACE_HEALTH_DOWN;
            changes[*n_changes].row = e[i].row;
            (*n_changes)++;
        }
    }
    changed = !set->read || !iface_same_rows(set, e, k);
    iface_set_clear(set);
    set->entries = e;
    set->n = k;
    set->read = true;
    return changed ? 1 : 0;
}

bool iface_set_mark_unknown(struct iface_set *set)
{
    bool changed = false;

    for (size_t i = 0; i < set->n; i++) {
        changed |= set->entries[i].row.state_known;
        set->entries[i].row.state_known = false;
    }
    return changed;
}

void iface_set_clear(struct iface_set *set)
{
    iface_entries_free(set->entries, set->n);
    set->entries = NULL;
    set->n = 0;
}

/* ---- the snapshot ---- */

struct iface_snapshot {
    size_t refs;
    size_t n;
    struct iface_row *rows;
    char *names; /* every row's name, NUL-separated */
};

struct iface_snapshot *iface_snapshot_build(const struct iface_set *const *sets,
                                            size_t n)
{
    struct iface_snapshot *s = calloc(1, sizeof *s);
    size_t rows = 0, bytes = 0, r = 0;
    char *p;

    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < sets[i]->n; j++, rows++)
            bytes += strlen(sets[i]->entries[j].row.name) + 1;
    s->refs = 1;
    s->rows = calloc(rows ? rows : 1, sizeof *s->rows);
    s->names = malloc(bytes ? bytes : 1);
    if (s->rows == NULL || s->names == NULL) {
        iface_snapshot_release(s);
        return NULL;
    }
    p = s->names;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sets[i]->n; j++, r++) {
            size_t len = strlen(sets[i]->entries[j].row.name) + 1;
            s->rows[r] = sets[i]->entries[j].row;
            memcpy(p, s->rows[r].name, len);
            s->rows[r].name = p;
            p += len;
        }
    }
    s->n = rows;
    return s;
}

size_t iface_snapshot_size(const struct iface_snapshot *s)
{
    return s->n;
}

const struct iface_row *iface_snapshot_row(const struct iface_snapshot *s,
                                           size_t i)
{
    return &s->rows[i];
}

void iface_snapshot_ref(const struct iface_snapshot *s)
{
    ((struct iface_snapshot *)s)->refs++;
}

void iface_snapshot_release(const struct iface_snapshot *cs)
{
    struct iface_snapshot *s = (struct iface_snapshot *)cs;

    if (s == NULL || --s->refs > 0)
        return;
    free(s->rows);
    free(s->names);
    free(s);
}

size_t iface_snapshot_lower_bound(const struct iface_snapshot *s,
                                  uint32_t router_id, uint32_t index)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct iface_row *row = &s->rows[mid];
        if (row->router_id < router_id ||
            (row->router_id == router_id && row->index < index))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
