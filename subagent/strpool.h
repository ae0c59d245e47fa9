/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strpool.h - immutable strings interned for the life of the process.
 *
 * struct router_config is copied by value into the registry, the prober and
 * every probe in flight, and some copies outlive the config they came from
 * (a probe that started before a reload ends after it).  An auth-file path
 * held by value cost 1 KiB in each copy, about 4 KiB per router; interned, a
 * copy holds a pointer.  Pooled strings are never changed or freed, so every
 * copy stays valid without reference counts.
 *
 * The pool grows only with the distinct strings ever interned (in the daemon:
 * the distinct auth-file paths of the configs it loaded), never with the
 * number of routers, probes or reloads of the same file.  Thread-safe. */
#ifndef MPRMON_STRPOOL_H
#define MPRMON_STRPOOL_H

#include <stddef.h>

/* The pooled string equal to s (the same pointer for equal strings), or
 * NULL when out of memory. */
const char *strpool_intern(const char *s);

/* How many distinct strings the pool holds (for tests). */
size_t strpool_count(void);

#endif
