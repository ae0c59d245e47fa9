/* SPDX-License-Identifier: GPL-3.0-or-later */
/* get_latency.c - SNMP GET latency, one line per request, for
 * bench_isolation.sh.
 *
 *   get_latency HOST:PORT COMMUNITY OID COUNT
 *
 * Sends COUNT synchronous SNMPv2c GETs of OID one after another and prints
 * each round trip in microseconds.  A request that times out or answers
 * with an error is reported on stderr and makes the exit status 1: a
 * latency figure over failed requests would mean nothing.  The process
 * start and session set-up are not timed, unlike a loop of snmpget. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long get_latency_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* One GET; returns 0 if it answered with a value. */
static int get_latency_one(netsnmp_session *ss, const oid *name, size_t len)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    netsnmp_pdu *resp = NULL;
    int st, rc = -1;

    if (pdu == NULL)
        return -1;
    snmp_add_null_var(pdu, name, len);
    st = snmp_synch_response(ss, pdu, &resp);
    if (st == STAT_SUCCESS && resp != NULL &&
        resp->errstat == SNMP_ERR_NOERROR && resp->variables != NULL &&
        resp->variables->type != SNMP_NOSUCHOBJECT &&
        resp->variables->type != SNMP_NOSUCHINSTANCE &&
        resp->variables->type != SNMP_ENDOFMIBVIEW)
        rc = 0;
    else if (st == STAT_TIMEOUT)
        fprintf(stderr, "get_latency: timeout\n");
    else
        fprintf(stderr, "get_latency: no value (status %d)\n", st);
    if (resp != NULL)
        snmp_free_pdu(resp);
    return rc;
}

int main(int argc, char **argv)
{
    netsnmp_session sess, *ss;
    oid name[MAX_OID_LEN];
    size_t len = MAX_OID_LEN;
    long count;
    int failed = 0;

    if (argc != 5) {
        fprintf(stderr, "usage: get_latency HOST:PORT COMMUNITY OID COUNT\n");
        return 2;
    }
    count = strtol(argv[4], NULL, 10);
    if (count <= 0) {
        fprintf(stderr, "get_latency: COUNT must be positive\n");
        return 2;
    }
    setenv("MIBS", "", 0);
    init_snmp("get_latency");
    if (read_objid(argv[3], name, &len) == 0) {
        fprintf(stderr, "get_latency: bad OID %s\n", argv[3]);
        return 2;
    }
    snmp_sess_init(&sess);
    sess.version = SNMP_VERSION_2c;
    sess.peername = argv[1];
    sess.community = (u_char *)argv[2];
    sess.community_len = strlen(argv[2]);
    sess.timeout = 5000000; /* µs: far above any latency worth measuring */
    sess.retries = 0;
    ss = snmp_open(&sess);
    if (ss == NULL) {
        snmp_sess_perror("get_latency", &sess);
        return 1;
    }
    for (long i = 0; i < count; i++) {
        long long t0 = get_latency_now_us();
        if (get_latency_one(ss, name, len) != 0) {
            failed = 1;
            continue;
        }
        printf("%lld\n", get_latency_now_us() - t0);
    }
    snmp_close(ss);
    snmp_shutdown("get_latency");
    return failed;
}
