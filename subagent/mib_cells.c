/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mib_cells.c - the value of each mprRouterTable cell, from one row
 * (mib_table.h).  Pure: no agent state, so that tests can read cells
 * without snmpd, and notifications carry the same values as the table. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <string.h>

#include "mib_table.h"
#include "mprapi.h"

/* TruthValue (SNMPv2-TC). */
#define MIB_TRUE 1
#define MIB_FALSE 2

uint32_t mib_table_timestamp(uint64_t event_ms, uint64_t now_ms,
                             uint32_t uptime_ticks_now)
{
    uint64_t age_ticks;

    if (event_ms > now_ms)
        return uptime_ticks_now;
    age_ticks = (now_ms - event_ms) / 10;
    if (age_ticks >= uptime_ticks_now)
        return 0;
    return uptime_ticks_now - (uint32_t)age_ticks;
}

static uint32_t mib_seconds_since(uint64_t event_ms, uint64_t now_ms)
{
    uint64_t s = event_ms < now_ms ? (now_ms - event_ms) / 1000 : 0;

    return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

bool mib_table_cell_absent(const struct router_row *row, unsigned column)
{
    switch (column) {
    case MIB_COL_LAST_ERROR:
    case MIB_COL_LAST_ERROR_NAME:
    case MIB_COL_LAST_ERROR_TEXT:
    case MIB_COL_LAST_PROBE:
    case MIB_COL_PROBE_LATENCY:
    case MIB_COL_SECONDS_SINCE_PROBE:
        return row->last_probe_ms == 0;
    case MIB_COL_LAST_CHANGE:
    case MIB_COL_SECONDS_SINCE_CHANGE:
        return row->last_change_ms == 0;
    case MIB_COL_SECONDS_SINCE_ANSWER:
        return row->last_answer_ms == 0;
    case MIB_COL_UPTIME:
    case MIB_COL_TOTAL_PORTS:
    case MIB_COL_PORTS_IN_USE:
        return !row->info_valid;
    case MIB_COL_CONNECTIONS:
    case MIB_COL_CLIENT_CONNECTIONS:
    case MIB_COL_ROUTER_CONNECTIONS:
        return !row->conns_valid;
    default:
        return false;
    }
}

const char *mib_table_service_text(const struct router_row *row)
{
    switch (row->service_state) {
    case MPR_SVC_RUNNING:
        return "RemoteAccess is running";
    case MPR_SVC_STOPPED:
        return "RemoteAccess is stopped";
    case MPR_SVC_NOT_INSTALLED:
        return "RemoteAccess is not installed";
    case MPR_SVC_ACCESS_DENIED:
        return "RemoteAccess state unknown: the router's service manager "
               "denied access";
    case MPR_SVC_UNKNOWN:
        break;
    }
    if (row->last_probe_ms == 0)
        return "RemoteAccess state unknown: not probed yet";
    if (row->conn_state == MPR_CONN_FAILED)
        return "RemoteAccess state unknown: the router could not be reached";
    return "RemoteAccess state unknown";
}

bool mib_table_row_stale(const struct router_row *row, uint64_t now_ms)
{
    uint64_t since = row->last_answer_ms != 0 ? row->last_answer_ms
                                              : row->configured_ms;
    uint64_t limit = (uint64_t)MIB_STALE_INTERVALS * row->interval_s * 1000u;

    return now_ms > since && now_ms - since > limit;
}

static void mib_value_num(struct mib_value *out, u_char type, uint32_t num)
{
    out->type = type;
    out->num = num;
    out->str = NULL;
    out->str_len = 0;
}

static void mib_value_str(struct mib_value *out, const char *str, size_t maxlen)
{
    out->type = ASN_OCTET_STR;
    out->num = 0;
    out->str = str;
    /* Rows hold fixed arrays; never read past them even if unterminated. */
    out->str_len = strnlen(str, maxlen);
}

/* Columns that are text; DisplayString is at most 255 octets. */
static bool mib_text_value(const struct router_row *row, unsigned column,
                           struct mib_value *out)
{
    switch (column) {
    case MIB_COL_NAME:
        mib_value_str(out, row->name, sizeof(row->name));
        return true;
    case MIB_COL_ADDRESS:
        mib_value_str(out, row->address, sizeof(row->address));
        return true;
    case MIB_COL_LAST_ERROR_NAME:
        mib_value_str(out, MprmonErrorName(row->last_error), 255);
        return true;
    case MIB_COL_LAST_ERROR_TEXT:
        mib_value_str(out, MprmonErrorText(row->last_error), 255);
        return true;
    case MIB_COL_SERVICE_STATE_TEXT:
        mib_value_str(out, mib_table_service_text(row), 255);
        return true;
    default:
        return false;
    }
}

/* Columns that depend on the clock. */
static bool mib_time_value(const struct router_row *row, unsigned column,
                           uint64_t now_ms, uint32_t uptime_ticks_now,
                           struct mib_value *out)
{
    switch (column) {
    case MIB_COL_LAST_CHANGE:
        mib_value_num(
            out, ASN_TIMETICKS,
            mib_table_timestamp(row->last_change_ms, now_ms, uptime_ticks_now));
        return true;
    case MIB_COL_LAST_PROBE:
        mib_value_num(
            out, ASN_TIMETICKS,
            mib_table_timestamp(row->last_probe_ms, now_ms, uptime_ticks_now));
        return true;
    case MIB_COL_SECONDS_SINCE_CHANGE:
        mib_value_num(out, ASN_GAUGE,
                      mib_seconds_since(row->last_change_ms, now_ms));
        return true;
    case MIB_COL_SECONDS_SINCE_PROBE:
        mib_value_num(out, ASN_GAUGE,
                      mib_seconds_since(row->last_probe_ms, now_ms));
        return true;
    case MIB_COL_SECONDS_SINCE_ANSWER:
        mib_value_num(out, ASN_GAUGE,
                      mib_seconds_since(row->last_answer_ms, now_ms));
        return true;
    case MIB_COL_STALE:
        mib_value_num(out, ASN_INTEGER,
                      mib_table_row_stale(row, now_ms) ? MIB_TRUE : MIB_FALSE);
        return true;
    default:
        return false;
    }
}

/* Columns that are numbers from the last probe and the counters. */
static bool mib_number_value(const struct router_row *row, unsigned column,
                             struct mib_value *out)
{
    switch (column) {
    case MIB_COL_CONN_STATE:
        mib_value_num(out, ASN_INTEGER, (uint32_t)row->conn_state);
        return true;
    case MIB_COL_SERVICE_STATE:
        mib_value_num(out, ASN_INTEGER, (uint32_t)row->service_state);
        return true;
    case MIB_COL_LAST_ERROR:
        mib_value_num(out, ASN_UNSIGNED, row->last_error);
        return true;
    case MIB_COL_PROBE_LATENCY:
        mib_value_num(out, ASN_GAUGE, row->probe_latency_ms);
        return true;
    case MIB_COL_CONNECT_ATTEMPTS:
        mib_value_num(out, ASN_COUNTER, row->connect_attempts);
        return true;
    case MIB_COL_CONNECT_FAILURES:
        mib_value_num(out, ASN_COUNTER, row->connect_failures);
        return true;
    case MIB_COL_UPTIME:
        mib_value_num(out, ASN_GAUGE, row->uptime_s);
        return true;
    case MIB_COL_TOTAL_PORTS:
        mib_value_num(out, ASN_GAUGE, row->total_ports);
        return true;
    case MIB_COL_PORTS_IN_USE:
        mib_value_num(out, ASN_GAUGE, row->ports_in_use);
        return true;
    case MIB_COL_PROBES:
        mib_value_num(out, ASN_COUNTER, row->probes);
        return true;
    case MIB_COL_CONNECTIONS:
        mib_value_num(out, ASN_GAUGE, row->connections);
        return true;
    case MIB_COL_CLIENT_CONNECTIONS:
        mib_value_num(out, ASN_GAUGE, row->client_connections);
        return true;
    case MIB_COL_ROUTER_CONNECTIONS:
        mib_value_num(out, ASN_GAUGE, row->router_connections);
        return true;
    default:
        return false;
    }
}

int mib_table_cell_value(const struct router_row *row, unsigned column,
                         uint64_t now_ms, uint32_t uptime_ticks_now,
                         struct mib_value *out)
{
    if (column < MIB_COL_FIRST || column > MIB_COL_LAST)
        return -1;
    if (mib_table_cell_absent(row, column))
        return MIB_CELL_ABSENT;
    if (mib_text_value(row, column, out) ||
        mib_time_value(row, column, now_ms, uptime_ticks_now, out) ||
        mib_number_value(row, column, out))
        return 0;
    return -1;
}
