/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_table.h - MPRMON-MIB scalars and mprRouterTable over the routers'
 * snapshot.
 *
 * The handlers only read the current snapshot: no locks held across
 * requests, no network.  Lookups are binary searches on the snapshot's rows
 * (sorted by id), so GET and GETNEXT stay O(log n) at 10,000 rows.
 *
 * The lookup and value functions below are pure (no Net-SNMP agent state)
 * so that Check tests can walk the table without snmpd. */
#ifndef MPRMON_MIB_TABLE_H
#define MPRMON_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "routers.h"
#include "snapshot.h"

/* OID arcs of MPRMON-MIB (netSnmpExperimental.4173). */
#define MPRMON_MIB_OID 1, 3, 6, 1, 4, 1, 8072, 9999, 4173
#define MPRMON_MIB_OID_LEN 9

/* mprRouterEntry columns. */
enum mib_router_column {
    MIB_COL_INDEX = 1, /* not-accessible */
    MIB_COL_NAME = 2,
    MIB_COL_ADDRESS = 3,
    MIB_COL_CONN_STATE = 4,
    MIB_COL_SERVICE_STATE = 5,
    MIB_COL_LAST_ERROR = 6,
    MIB_COL_LAST_ERROR_NAME = 7,
    MIB_COL_LAST_ERROR_TEXT = 8,
    MIB_COL_LAST_CHANGE = 9,
    MIB_COL_LAST_PROBE = 10,
    MIB_COL_PROBE_LATENCY = 11,
    MIB_COL_CONNECT_ATTEMPTS = 12,
    MIB_COL_CONNECT_FAILURES = 13,
    MIB_COL_UPTIME = 14,
    MIB_COL_TOTAL_PORTS = 15,
    MIB_COL_PORTS_IN_USE = 16,
    MIB_COL_PROBES = 17,
    MIB_COL_SERVICE_STATE_TEXT = 18,
    MIB_COL_SECONDS_SINCE_CHANGE = 19,
    MIB_COL_SECONDS_SINCE_PROBE = 20,
    MIB_COL_SECONDS_SINCE_ANSWER = 21,
    MIB_COL_STALE = 22,
    MIB_COL_CONNECTIONS = 23,
    MIB_COL_CLIENT_CONNECTIONS = 24,
    MIB_COL_ROUTER_CONNECTIONS = 25
};
#define MIB_COL_FIRST MIB_COL_NAME
#define MIB_COL_LAST MIB_COL_ROUTER_CONNECTIONS

/* mprRouterStale: the last answer is older than this many intervals. */
#define MIB_STALE_INTERVALS 3

/* Scalars under mprmonScalars. */
enum mib_scalar {
    MIB_SCALAR_ROUTERS_CONFIGURED = 1,
    MIB_SCALAR_ROUTERS_RUNNING = 2,
    MIB_SCALAR_START_TIME = 3
};

/* A cell's value: type is an ASN_* tag from Net-SNMP.  str points into the
 * row or to static text and lives as long as the snapshot. */
struct mib_value {
    unsigned char type;
    uint32_t num; /* INTEGER, Unsigned32, Gauge32, Counter32, TimeTicks */
    const char *str;
    size_t str_len;
};

/* Where a cell is: column and row position in the snapshot. */
struct mib_cell {
    unsigned column;
    size_t row;
};

/* Lookup results. */
enum mib_lookup {
    MIB_FOUND = 0,
    MIB_NO_SUCH_OBJECT = 1,   /* no such column */
    MIB_NO_SUCH_INSTANCE = 2, /* column exists, row does not */
    MIB_END = 3               /* GETNEXT: nothing after this in the table */
};

/* Position of the row with this id in the snapshot (binary search).
 * Returns 0 and fills *pos, or -1 if absent. */
int mib_table_find_row(const struct snapshot *s, uint32_t id, size_t *pos);

/* Position of the first row whose id is greater than id (the size if
 * none). */
size_t mib_table_upper_bound(const struct snapshot *s, uint32_t id);

/* GET: suffix is the OID below mprRouterEntry (column.index).  Values of
 * oid are unsigned long as in Net-SNMP. */
enum mib_lookup mib_table_lookup_exact(const struct snapshot *s,
                                       const unsigned long *suffix,
                                       size_t suffix_len,
                                       struct mib_cell *cell);

/* GETNEXT: suffix is the OID below mprRouterEntry (any length, any values;
 * an empty suffix means "before the first cell").  Fills the first cell
 * lexicographically after it that has a value (mib_table_cell_absent).
 * Returns MIB_FOUND or MIB_END. */
enum mib_lookup mib_table_lookup_next(const struct snapshot *s,
                                      const unsigned long *suffix,
                                      size_t suffix_len, struct mib_cell *cell);

/*
 * The value of one cell.  TimeStamp columns are sysUpTime values, in
 * hundredths of a second, of when the event happened:
 *     ticks = uptime_ticks_now - (now_ms - event_ms) / 10
 * where now_ms is mono_now_ms() (the monotonic base of the row's *_ms
 * fields) and uptime_ticks_now is netsnmp_get_agent_uptime().  Net-SNMP's
 * subagent sets that clock to the master's sysUpTime when it connects, so
 * the stamps compare with the master's sysUpTime and with the sysUpTime.0
 * that send_v2trap puts in notifications.  An event before the master's
 * (re)start gives 0.
 * Returns 0; MIB_CELL_ABSENT for a cell with no current value (see
 * mib_table_cell_absent; *out untouched); -1 for a column that has no
 * value at all (index, out of range).
 */
#define MIB_CELL_ABSENT 1
int mib_table_cell_value(const struct router_row *row, unsigned column,
                         uint64_t now_ms, uint32_t uptime_ticks_now,
                         struct mib_value *out);

/* Does this cell lack a current value?  Unknown is not 0: such a cell is
 * noSuchInstance to GET and skipped by GETNEXT.  The last probe's error,
 * its time and duration are absent until a probe has finished; the last
 * change until there was one; the level-0 figures (uptime, ports) unless
 * the last probe read them; the connection counts unless the router
 * collects connections and the last probe read them; the time since the
 * last answer until the router answered once.  Depends on the row only, not on the clock. */
bool mib_table_cell_absent(const struct router_row *row, unsigned column);

/* TimeStamp conversion described above (event_ms must not be 0). */
uint32_t mib_table_timestamp(uint64_t event_ms, uint64_t now_ms,
                             uint32_t uptime_ticks_now);

/* mprRouterServiceStateText: the service state in words. */
const char *mib_table_service_text(const struct router_row *row);

/* mprRouterStale: no answer from the router for MIB_STALE_INTERVALS
 * intervals (counted from when it was configured if it never answered). */
bool mib_table_row_stale(const struct router_row *row, uint64_t now_ms);

/* Number of rows whose service state is running. */
uint32_t mib_table_count_running(const struct snapshot *s);

/* Register the scalars and the table with the agent; the handlers read
 * the routers' snapshots.  start is the wall-clock start time
 * (mprSubagentStartTime).  shared (shared-snmpd): register the table's
 * rows one by one, and no scalars, so that other subagents under the same
 * snmpd serve their own rows.  Returns 0 or -1 (logged). */
int mib_table_register(struct routers *routers, time_t start, bool shared);

/* With shared: register the rows the routers now have, unregister the
 * others (after a reload).  0, or -1 if a row could not be registered. */
int mib_table_sync_rows(void);

/* Unregister what mib_table_register registered. */
void mib_table_unregister(void);

/* For the exit, after agentx_leave: forget the registrations without
 * unregistering them one by one (each costs a search of the registry;
 * thousands with shared-snmpd); agentx_shutdown frees the registry. */
void mib_table_forget(void);

#endif
