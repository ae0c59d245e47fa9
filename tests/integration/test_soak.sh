#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Soak: many flapping routers for a while, and the subagent does not grow.
#
# Routers share a few RRAS peers (one peer serves many routers).  Most peers
# flip their RemoteAccess service between running and stopped every few
# seconds (each stop drops the routers' connections, each start makes them
# connect again); the others go away and come back (their port is closed in
# between).  Notifications flow (hysteresis 1).  Every second the
# subagent's VmRSS and descriptor count are sampled.
#
# Verdicts:
#  - descriptors: the subagent starts with no routers, is reloaded to N
#    routers, soaks, and is reloaded to none again: it must then hold no
#    more descriptors than at the start (every connection given back);
#  - memory: after a warm-up (the first quarter), the mean VmRSS of the last
#    third of the samples may exceed that of the first third by at most
#    SOAK_RSS_TOL_PCT percent plus SOAK_RSS_TOL_KIB (malloc arenas and
#    caches settle late; a leak grows without end).  Not judged under
#    valgrind, whose own memory use grows as it meets new code;
#  - under MPRMON_VALGRIND=1 valgrind must find no leak or error;
#  - the table answers with all N rows throughout, snmpd never drops the
#    AgentX session (the reloads to N routers and back to none included),
#    and the subagent lives.
#
# Default (make check): 40 s, 100 routers, 5 peers.  MPRMON_LONG=1: 600 s,
# 1,000 routers, 10 peers.  MPRMON_SOAK_SECONDS, MPRMON_SOAK_ROUTERS,
# MPRMON_SOAK_INTERVAL override.  The samples stay in $SOAK_SAMPLES (set
# MPRMON_KEEP_TMP=1 to keep them).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

if [ "${MPRMON_LONG:-0}" = 1 ]; then
    SECONDS_=600 ROUTERS=1000 FLAPPERS=8 COMERS=2 INTERVAL=20
else
    SECONDS_=40 ROUTERS=100 FLAPPERS=4 COMERS=1 INTERVAL=5
fi
SECONDS_=${MPRMON_SOAK_SECONDS:-$SECONDS_}
ROUTERS=${MPRMON_SOAK_ROUTERS:-$ROUTERS}
INTERVAL=${MPRMON_SOAK_INTERVAL:-$INTERVAL}
FLIP_S=3 # service state flips every FLIP_S seconds
GONE_S=5 # come-and-go peers: GONE_S seconds up, GONE_S down
SOAK_RSS_TOL_PCT=5
SOAK_RSS_TOL_KIB=1024
PEERS=$((FLAPPERS + COMERS))

rras_peer_usable || exit 77
snmpd_start || exit $?
# Peers f0.. flap their service; g0.. come and go.
k=0
while [ "$k" -lt "$FLAPPERS" ]; do
    rras_peer_start "f$k" || exit 1
    k=$((k + 1))
done
k=0
while [ "$k" -lt "$COMERS" ]; do
    rras_peer_start "g$k" || exit 1
    k=$((k + 1))
done

conf=$MPRMON_TEST_TMP/mprmon.conf
# write_conf N: N routers spread round-robin over the peers.
write_conf() {
    {
        echo "concurrency 8"
        echo "trap-rate 600"
        echo "defaults {"
        echo "    interval $INTERVAL"
        echo "    timeout 5000"
        echo "    hysteresis 1"
        echo "}"
        _wc_i=1
        while [ "$_wc_i" -le "$1" ]; do
            _wc_k=$(((_wc_i - 1) % PEERS))
            if [ "$_wc_k" -lt "$FLAPPERS" ]; then
                _wc_p=f$_wc_k
            else
                _wc_p=g$((_wc_k - FLAPPERS))
            fi
            subagent_conf_router "$_wc_i" "$_wc_p-$_wc_i" \
                "$(_rras_get "$_wc_p" PORT)" "$(_rras_get "$_wc_p" AUTHFILE)"
            _wc_i=$((_wc_i + 1))
        done
    } >"$conf.new" && mv -f "$conf.new" "$conf"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SUBAGENT_PID/status" 2>/dev/null; }

# The library's I/O thread, with its two descriptors (an eventfd and the
# event loop's epoll), starts at the first probe and stays for the life of
# the process: probe one router first, then count with none.
write_conf 1
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID
v=$(snmp_wait_value "$MPR_ENTRY.17.1" '[1-9][0-9]*' 60) ||
    fail "the first router was never probed (mprRouterProbes.1: $v)"
write_conf 0
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_SCALARS.1.0" 0 60) || fail "the subagent never answered (mprRoutersConfigured: $v)"
fds_empty0=$(fd_count)

write_conf "$ROUTERS"
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_SCALARS.1.0" "$ROUTERS" 60) ||
    fail "mprRoutersConfigured = $v after the reload to $ROUTERS routers"
echo "soak: $ROUTERS routers on $PEERS peers ($FLAPPERS flapping every ${FLIP_S}s, $COMERS coming and going every ${GONE_S}s), interval ${INTERVAL}s, ${SECONDS_}s; $fds_empty0 descriptors with no routers"

SOAK_SAMPLES=$MPRMON_TEST_TMP/soak-samples.txt
echo "# elapsed_s rss_kib fds" >"$SOAK_SAMPLES"
start=$(date +%s)
# The sampler: once a second, whatever the flapping loop is doing.
sampler_stop=$MPRMON_TEST_TMP/sampler.stop
(
    while [ ! -e "$sampler_stop" ] && kill -0 "$pid" 2>/dev/null; do
        echo "$(($(date +%s) - start)) $(rss_kib) $(own_fds "$pid")" >>"$SOAK_SAMPLES"
        sleep 1
    done
) &
sampler=$!
peers_track "$sampler"
gone_up=1
walks_bad=0
walks=0
next_walk=0
while :; do
    now=$(date +%s)
    t=$((now - start))
    [ "$t" -ge "$SECONDS_" ] && break
    kill -0 "$pid" 2>/dev/null || {
        fail "the subagent died after ${t}s"
        break
    }
    # Flappers, staggered: peer k is stopped in every other FLIP_S slot.
    k=0
    while [ "$k" -lt "$FLAPPERS" ]; do
        if [ $((((t + k) / FLIP_S) % 2)) = 0 ]; then s=running; else s=stopped; fi
        rras_peer_set_service "f$k" "$s"
        k=$((k + 1))
    done
    # Come-and-go peers, all together.
    if [ $(((t / GONE_S) % 2)) = 0 ]; then want=1; else want=0; fi
    if [ "$want" != "$gone_up" ]; then
        k=0
        while [ "$k" -lt "$COMERS" ]; do
            if [ "$want" = 1 ]; then
                rras_peer_restart "g$k" || fail "peer g$k did not come back"
            else
                rras_peer_stop "g$k"
            fi
            k=$((k + 1))
        done
        gone_up=$want
    fi
    # Every 10 s a walk of one column: all rows, answered in time.
    if [ "$t" -ge "$next_walk" ]; then
        next_walk=$((t + 10))
        walks=$((walks + 1))
        n=$(snmp_tool snmpbulkwalk -On -Cr60 "$MPR_ENTRY.4" | grep -c 'INTEGER:')
        [ "$n" = "$ROUTERS" ] || {
            walks_bad=$((walks_bad + 1))
            echo "  at ${t}s a walk gave $n rows of $ROUTERS"
        }
    fi
    sleep 0.5
done
: >"$sampler_stop"
wait "$sampler"
[ "$walks_bad" = 0 ] || fail "$walks_bad of $walks walks during the soak missed rows"
probes=$(snmp_tool snmpbulkwalk -On -Oqv -Cr60 "$MPR_ENTRY.17" | awk '{ s += $1 } END { print s + 0 }')
conns=$(snmp_tool snmpbulkwalk -On -Oqv -Cr60 "$MPR_ENTRY.12" | awk '{ s += $1 } END { print s + 0 }')
echo "during the soak: $probes probes, $conns connect attempts in all"

# Everyone back, then no routers: every connection must be given back.
k=0
while [ "$k" -lt "$FLAPPERS" ]; do
    rras_peer_set_service "f$k" running
    k=$((k + 1))
done
write_conf 0
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_SCALARS.1.0" 0 60) ||
    fail "mprRoutersConfigured = $v after the reload to no routers"
# Probes in flight end within their timeout (5 s per call, a few calls).
sleep 3
i=0
while :; do
    fds_empty1=$(fd_count)
    [ "$fds_empty1" -le "$fds_empty0" ] && break
    i=$((i + 1))
    [ "$i" -ge 10 ] && break
done
echo "descriptors with no routers: $fds_empty0 before the soak, $fds_empty1 after"
[ "$fds_empty1" -le "$fds_empty0" ] ||
    fail "descriptors with no routers: $fds_empty0 before the soak, $fds_empty1 after"

# Memory and descriptor trends over the soak.
awk -v tol_pct="$SOAK_RSS_TOL_PCT" -v tol_kib="$SOAK_RSS_TOL_KIB" \
    -v judge_rss="$([ "${MPRMON_VALGRIND:-0}" = 1 ] && echo 0 || echo 1)" '
    /^#/ { next }
    { n++; rss[n] = $2; fds[n] = $3 }
    END {
        if (n < 8) { print "too few samples: " n; exit 1 }
        w = int(n / 4)            # warm-up
        m = n - w; third = int(m / 3)
        for (i = w + 1; i <= w + third; i++) { r1 += rss[i]; f1 += fds[i] }
        for (i = n - third + 1; i <= n; i++) { r3 += rss[i]; f3 += fds[i] }
        r1 /= third; r3 /= third; f1 /= third; f3 /= third
        for (i = 1; i <= n; i++) {
            if (rss[i] > rmax) rmax = rss[i]
            if (fds[i] > fmax) fmax = fds[i]
        }
        printf "samples: %d (warm-up %d)\n", n, w
        printf "VmRSS kB: first %d, last %d, max %d; mean of first third %.0f, of last third %.0f (%+.1f%%)\n",
            rss[1], rss[n], rmax, r1, r3, (r3 - r1) * 100 / r1
        printf "descriptors: first %d, last %d, max %d; mean of first third %.1f, of last third %.1f\n",
            fds[1], fds[n], fmax, f1, f3
        limit = r1 * (1 + tol_pct / 100) + tol_kib
        if (judge_rss && r3 > limit) {
            printf "VmRSS grew: %.0f kB > %.0f kB allowed\n", r3, limit
            exit 1
        }
    }' "$SOAK_SAMPLES" || fail "memory grew during the soak (above)"

# The session with snmpd held throughout, the two big reloads included.
grep -q "AgentX master disconnected us" "$SUBAGENT_LOG" &&
    fail "snmpd dropped the AgentX session during the soak"
[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"
subagent_stop || fail "subagent exit status $? after SIGTERM (valgrind: see below)"

finish subagent_log_tail
