#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/bench_memory.sh - the subagent's resident memory per
# configured router, at steady state, and what a held connection costs.
#
# Runs, one after another, the same mprmon-subagent against a private snmpd:
#   base   BASE_N routers (one per probe worker, so every worker's malloc
#          arena and libsmbclient context exists, as in the big run);
#   big    N routers, none connected: most at a closed port (refused at
#          once), BLACKHOLED_N at the blackhole (connect hangs until the
#          timeout);
#   held   HELD_N routers at real impacket RRAS peers, every one connected
#          (the SMB session and the DIMSVC binding are kept between probes).
# per_router_kib = (RSS(big) - RSS(base)) / (N - BASE_N); target <= 2 KiB,
# judged as per_router_kib / 2 <= 1.
# held_conn_kib = (RSS(held) - RSS(base)) / HELD_N - per_router_kib; target
# <= 24 KiB and one descriptor per held connection, with 1,000 held at once.
#
# "Steady state, after an hour-equivalent of probe cycles": the closed-port
# routers run with interval 1 s and no backoff (hysteresis 100) until each
# has CYCLES probes (default 40).  At the default settings (interval 30 s,
# hysteresis 2) an unreachable router backs off to one probe per 600 s and
# gets about 12 probes an hour, so 40 probes are over three hours of its life;
# a reachable one gets 120 an hour.  RSS is sampled every ~10 s; the growth
# over the second half of the run is printed so that a leak per probe shows
# as a slope, not only as a total.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

N=$(bench_size 10000 500)
CYCLES=${BENCH_MEMORY_CYCLES:-$(bench_size 40 4)}
POLL_S=$(bench_size 5 1)
CONCURRENCY=8
BASE_N=$CONCURRENCY
# A few blackholed routers, probed rarely: each holds a worker for its
# whole timeout.
BLACKHOLED_N=2
HELD_N=$(bench_size 1000 20)
HELD_PEERS=$(bench_size 10 1)

snmpd_start || { bench_fail "snmpd did not start"; bench_finish; }
blackhole_start || { bench_fail "blackhole did not start"; bench_finish; }
CLOSED=$(closed_port)

# write_conf FILE N_CLOSED N_BLACKHOLED [PORT AUTHFILE]...: routers 1..
# at the closed port, then at the blackhole, then one per PORT AUTHFILE
# pair, round robin until HELD_N (only when pairs are given).  First probes
# at once: spread over the held routers' hour-long interval, most of them
# would not have connected when RSS is read.
write_conf() {
    _wc_file=$1 _wc_closed=$2 _wc_bh=$3
    shift 3
    awk -v nc="$_wc_closed" -v nb="$_wc_bh" -v closed="$CLOSED" \
        -v bh="$BLACKHOLE_PORT" -v conc="$CONCURRENCY" -v nh="$HELD_N" \
        -v peers="$*" 'BEGIN {
        printf "concurrency %d\ntrap-rate 0\nfirst-probes at-once\n", conc
        print "defaults {\n    interval 1\n    timeout 200\n    hysteresis 100\n}"
        id = 0
        for (i = 0; i < nc; i++)
            printf "router %d {\n name c%d\n address 127.0.0.1\n port %d\n}\n", ++id, id, closed
        # Blackholed probes hold a worker (and, see above, every open) for
        # the connect timeout: a long interval keeps them from starving the
        # closed-port routers.
        for (i = 0; i < nb; i++)
            printf "router %d {\n name b%d\n address 127.0.0.1\n port %d\n interval 60\n}\n", ++id, id, bh
        np = split(peers, pv, " ") / 2
        if (np > 0)
            for (i = 0; i < nh; i++) {
                k = i % np
                printf "router %d {\n name h%d\n address 127.0.0.1\n port %d\n auth-file %s\n interval 3600\n timeout 10000\n}\n",
                    ++id, id, pv[2 * k + 1], pv[2 * k + 2]
            }
    }' >"$_wc_file"
}

# probes_of ID: mprRouterProbes of one row (0 when it cannot be read).
probes_of() {
    _po=$(snmp_value "$MPR_ENTRY.17.$1")
    case $_po in '' | *[!0-9]*) echo 0 ;; *) echo "$_po" ;; esac
}

# run_until_cycles CONF LABEL SAMPLE_IDS...: start the subagent, wait until
# every sample row has CYCLES probes, then set RUN_RSS, RUN_THREADS, RUN_FDS
# (the subagent keeps running: the caller stops it).  The RSS log goes to
# $MPRMON_TEST_TMP/LABEL.rss (seconds rss_kib).  Not to be called in a
# subshell: the subagent must stay known to subagent_stop and the cleanup.
run_until_cycles() {
    _rc_conf=$1 _rc_label=$2
    shift 2
    subagent_start "$_rc_conf" || return 1
    _rc_t0=$(bench_now_ms)
    _rc_log=$MPRMON_TEST_TMP/$_rc_label.rss
    : >"$_rc_log"
    _rc_limit=$(( $(bench_size 400 60) * 1000 ))
    while :; do
        sleep "$POLL_S"
        kill -0 "$SUBAGENT_PID" 2>/dev/null || { echo "subagent died" >&2; return 1; }
        echo "$(( ($(bench_now_ms) - _rc_t0) / 1000 )) $(proc_rss_kib "$SUBAGENT_PID")" >>"$_rc_log"
        _rc_min=
        for _rc_id in "$@"; do
            _rc_p=$(probes_of "$_rc_id")
            if [ -z "$_rc_min" ] || [ "$_rc_p" -lt "$_rc_min" ]; then _rc_min=$_rc_p; fi
        done
        [ "$_rc_min" -ge "$CYCLES" ] && break
        if [ $(( $(bench_now_ms) - _rc_t0 )) -gt "$_rc_limit" ]; then
            echo "$_rc_label: only $_rc_min of $CYCLES probes after $((_rc_limit / 1000)) s" >&2
            return 1
        fi
    done
    RUN_RSS=$(proc_rss_kib "$SUBAGENT_PID")
    RUN_THREADS=$(proc_threads "$SUBAGENT_PID")
    RUN_FDS=$(proc_fds "$SUBAGENT_PID")
}

# second_half_growth LABEL: RSS growth (KiB) from the middle to the end.
second_half_growth() {
    awk '{ t[NR] = $1; r[NR] = $2 } END {
        if (NR < 2) { print 0; exit } m = int((NR + 1) / 2); print r[NR] - r[m] }' \
        "$MPRMON_TEST_TMP/$1.rss"
}

conf=$MPRMON_TEST_TMP/mprmon.conf

# 1. Baseline: one closed-port router per worker.
write_conf "$conf" "$BASE_N" 0
run_until_cycles "$conf" base 1 "$BASE_N" ||
    { bench_fail "baseline run"; bench_finish; }
base_rss=$RUN_RSS base_fds=$RUN_FDS
subagent_stop
bench_figure base_rss_kib "$base_rss" "KiB ($BASE_N routers, $CYCLES probes each)"

# 2. N routers, none connected.
closed_n=$((N - BLACKHOLED_N))
write_conf "$conf" "$closed_n" "$BLACKHOLED_N"
t0=$(bench_now_ms)
run_until_cycles "$conf" big 1 $((closed_n / 2)) "$closed_n" ||
    { bench_fail "run with $N routers"; bench_finish; }
big_rss=$RUN_RSS big_threads=$RUN_THREADS big_fds=$RUN_FDS
big_s=$(( ($(bench_now_ms) - t0) / 1000 ))
growth=$(second_half_growth big)
subagent_stop
bench_figure big_rss_kib "$big_rss" "KiB ($closed_n closed + $BLACKHOLED_N blackholed routers, $CYCLES probes each, ${big_s} s)"
bench_figure big_threads "$big_threads"
bench_figure big_fds "$big_fds"
bench_figure big_rss_growth_second_half_kib "$growth" "KiB (a leak per probe would show here)"
per_router=$(awk -v b="$big_rss" -v a="$base_rss" -v n=$((N - BASE_N)) \
    'BEGIN { printf "%.2f", (b - a) / n }')
bench_figure per_router_kib "$per_router" "KiB per configured, not connected router"
bench_ratio per_router_kib_vs_2kib "$per_router" 2 1

# 3. Held connections to real RRAS peers.
if ! rras_peer_usable; then
    bench_figure held_conn_kib "skipped (impacket missing)"
    bench_finish
fi
pairs=""
for i in $(seq 1 "$HELD_PEERS"); do
    rras_peer_start "mem$i" || { bench_fail "rras peer mem$i"; bench_finish; }
    pairs="$pairs $(eval echo "\$RRAS_MEM${i}_PORT \$RRAS_MEM${i}_AUTHFILE")"
done
write_conf "$conf" "$BASE_N" 0 $pairs
subagent_start "$conf" || { bench_fail "held run"; bench_finish; }
first=$((BASE_N + 1)) last=$((BASE_N + HELD_N))
t0=$(bench_now_ms)
while :; do
    sleep "$POLL_S"
    # Every held router probed once and CONNECTED (mprRouterConnState 1).
    n_conn=$(snmp_tool snmpbulkwalk -On -Oqv -Oe -Cr50 "$MPR_ENTRY.4" |
        sed -n "${first},${last}p" | grep -c '^1$')
    [ "$n_conn" -ge "$HELD_N" ] && break
    if [ $(( $(bench_now_ms) - t0 )) -gt 300000 ]; then
        bench_fail "only $n_conn of $HELD_N routers connected after 300 s"
        bench_finish
    fi
done
sleep "$POLL_S"
held_rss=$(proc_rss_kib "$SUBAGENT_PID")
held_fds=$(proc_fds "$SUBAGENT_PID")
held_threads=$(proc_threads "$SUBAGENT_PID")
subagent_stop
bench_figure held_rss_kib "$held_rss" "KiB ($BASE_N closed + $HELD_N connected routers on $HELD_PEERS peers)"
bench_figure held_fds "$held_fds"
bench_figure held_threads "$held_threads"
held=$(awk -v h="$held_rss" -v a="$base_rss" -v n="$HELD_N" -v r="$per_router" \
    'BEGIN { printf "%.1f", (h - a) / n - r }')
bench_figure held_conn_kib "$held" "KiB per held connection (beyond the router's own)"
bench_ratio held_conn_kib_vs_24kib "$held" 24 1
fds_per_held=$(awk -v f="$held_fds" -v b="$base_fds" -v n="$HELD_N" \
    'BEGIN { printf "%.2f", (f - b) / n }')
bench_figure fds_per_held_conn "$fds_per_held"
bench_finish
