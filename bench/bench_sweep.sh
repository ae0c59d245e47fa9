#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/bench_sweep.sh - the probe sweep.  N configured
# routers, every one probed once; how long until each has a fresh result,
# against the bound sum(per-probe time) / concurrency.
#
# Routers by id (interleaved, so no class is probed first by accident):
#   id % REAL_EVERY == 0
#                  real: impacket RRAS peers (tests/peers/rras_peer.py),
#                  shared round robin by REAL_PEERS peer processes; each
#                  router holds its own SMB session and DIMSVC binding
#   id % 10 == 5   blackholed: bench/blackhole.py (connects hang until the
#                  client gives up)
#   otherwise      closed: a loopback port nobody listens on (refused)
# Interval 3600 s and first-probes at-once, so in the sweep every router is
# probed exactly once, as fast as concurrency allows.
#
# Figures:
#   sweep_ms       from the start of the first probe to the end of the last,
#                  from the table itself: min(LastProbe - ProbeLatency) to
#                  max(LastProbe) over all rows (TimeStamps, 10 ms steps);
#                  polling the table only tells when to read it
#   bound_ms       sum over classes of n_class * t_class / concurrency, with
#                  t_class the mean ProbeLatency of that class in this same
#                  run (what a probe of that class cost the worker doing it,
#                  with the peers as loaded as they were).  sweep_ms / bound_ms
#                  is 1 / (how busy the concurrency slots were kept);
#                  target <= 1.2 against the bound from probes alone.
#   wall_ms        subagent launch to the poll that saw every row probed
#                  (adds config load, AgentX set-up and poll granularity)
#   max threads and descriptors of the subagent during the sweep, its
#   RLIMIT_NOFILE, and how many real routers were left connected (the held
#   connections the peers took).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

N=$(bench_size 10000 100)
# Real routers: one in REAL_EVERY.  A probe of the impacket peer costs
# about 0.3 s of CPU on this machine (its Python SMB and NTLM, and a
# second session for the SCM query), the same two cores everything else
# runs on: 200 keep the sweep's CPU within what the blackholed routers'
# waiting leaves idle.  A real router's CPU is on the router.
REAL_EVERY=$(bench_size 50 10)
CONCURRENCY=$(bench_size 100 16)
REAL_PEERS=$(bench_size 4 1)
POLL_S=$(bench_size 3 1)
# libmprapi's connect to a host that never answers gives up after 5 s
# whatever the timeout asked for (libsmbclient's own connect timeout), so
# 5000 ms is also what a blackholed probe costs.
TIMEOUT_MS=5000
LIMIT_S=$(bench_size 400 40)

rras_peer_usable || { bench_fail "impacket missing: no real peers"; bench_finish; }
snmpd_start || { bench_fail "snmpd did not start"; bench_finish; }
blackhole_start || { bench_fail "blackhole did not start"; bench_finish; }
CLOSED=$(closed_port)
pairs=""
for i in $(seq 1 "$REAL_PEERS"); do
    rras_peer_start "sweep$i" || { bench_fail "rras peer sweep$i"; bench_finish; }
    pairs="$pairs $(eval echo "\$RRAS_SWEEP${i}_PORT \$RRAS_SWEEP${i}_AUTHFILE")"
done

# write_conf FILE N CONCURRENCY REAL_EVERY: routers 1..N, classes by id as
# above (real: id % REAL_EVERY == 0).
write_conf() {
    awk -v n="$2" -v conc="$3" -v re="$4" -v to="$TIMEOUT_MS" -v closed="$CLOSED" \
        -v bh="$BLACKHOLE_PORT" -v peers="$pairs" 'BEGIN {
        np = split(peers, pv, " ") / 2
        printf "concurrency %d\ntrap-rate 0\nfirst-probes at-once\n", conc
        printf "defaults {\n    interval 3600\n    timeout %d\n    hysteresis 1\n}\n", to
        real = 0
        for (id = 1; id <= n; id++) {
            printf "router %d {\n name r%d\n address 127.0.0.1\n", id, id
            if (id % re == 0) {
                k = real++ % np
                printf " port %d\n auth-file %s\n", pv[2 * k + 1], pv[2 * k + 2]
            } else if (id % 10 == 5) {
                printf " port %d\n", bh
            } else {
                printf " port %d\n", closed
            }
            print "}"
        }
    }' >"$1"
}

# walk_column COL: "id value" per row.
walk_column() {
    snmp_tool snmpbulkwalk -On -Oq -Oe -Ot -Cr100 "$MPR_ENTRY.$1" |
        awk '{ n = split($1, a, "."); print a[n], $2 }'
}

# wait_all_probed N: poll until every one of N rows has a probe; sets
# PROBED.  Returns 1 (after bench_fail) when the subagent died or LIMIT_S
# passed.
wait_all_probed() {
    _wa_t0=$(bench_now_ms)
    while :; do
        sleep "$POLL_S"
        kill -0 "$SUBAGENT_PID" 2>/dev/null || { bench_fail "subagent died"; return 1; }
        PROBED=$(walk_column 17 | awk '$2 >= 1 { n++ } END { print n + 0 }')
        [ "$PROBED" -ge "$1" ] && return 0
        if [ $(( $(bench_now_ms) - _wa_t0 )) -gt $((LIMIT_S * 1000)) ]; then
            bench_fail "only $PROBED of $1 routers probed after $LIMIT_S s"
            return 1
        fi
    done
}

# 1. Calibration: the per-probe time of each class alone, one probe at a
# time (concurrency 1): a tenth of them real, a tenth blackholed.
conf=$MPRMON_TEST_TMP/calibrate.conf
CALIB_N=$(bench_size 30 10)
write_conf "$conf" "$CALIB_N" 1 10
subagent_start "$conf" || { bench_fail "subagent did not start"; bench_finish; }
wait_all_probed "$CALIB_N" || bench_finish
walk_column 11 | awk '{ c = ($1 % 10 == 0) ? "real" : ($1 % 10 == 5) ? "blackholed" : "closed"
        print c, $2 }' | sort -k1,1 -k2n >"$MPRMON_TEST_TMP/calibration.txt"
subagent_stop
# class -> median latency alone
calib() {
    awk -v c="$1" '$1 == c { v[++n] = $2 } END { print (n ? v[int((n + 1) / 2)] : 0) }' \
        "$MPRMON_TEST_TMP/calibration.txt"
}
t_real=$(calib real) t_bh=$(calib blackholed) t_closed=$(calib closed)
bench_figure alone_probe_ms "real $t_real, blackholed $t_bh, closed $t_closed" "(median, concurrency 1)"

conf=$MPRMON_TEST_TMP/mprmon.conf
write_conf "$conf" "$N" "$CONCURRENCY" "$REAL_EVERY"
n_real=$((N / REAL_EVERY))
n_bh=$(( (N + 5) / 10 ))
n_closed=$((N - n_real - n_bh))

t0=$(bench_now_ms)
subagent_start "$conf" || { bench_fail "subagent did not start"; bench_finish; }
# Threads and descriptors of the subagent, sampled until the sweep ends.
samples=$MPRMON_TEST_TMP/samples
(
    while kill -0 "$SUBAGENT_PID" 2>/dev/null; do
        echo "$(proc_threads "$SUBAGENT_PID") $(proc_fds "$SUBAGENT_PID")"
        sleep 0.2
    done
) >"$samples" 2>/dev/null &
sampler=$!
peers_track "$sampler"

wait_all_probed "$N" || bench_finish
wall_ms=$(( $(bench_now_ms) - t0 ))
kill "$sampler" 2>/dev/null
wait "$sampler" 2>/dev/null

walk_column 10 >"$MPRMON_TEST_TMP/last.txt"
walk_column 11 >"$MPRMON_TEST_TMP/latency.txt"
walk_column 4 >"$MPRMON_TEST_TMP/conn.txt"
nofile=$(awk '/^Max open files/ { print $4 }' "/proc/$SUBAGENT_PID/limits")

# One line per class: class n mean_ms median_ms; then "sweep start end".
awk -v conc="$CONCURRENCY" -v re="$REAL_EVERY" '
    FILENAME ~ /last/ { last[$1] = $2 * 10; next }
    FILENAME ~ /latency/ { lat[$1] = $2; next }
    FILENAME ~ /conn/ { conn[$1] = $2; next }
    END {
        first = -1; end = 0
        for (id in last) {
            c = (id % re == 0) ? "real" : (id % 10 == 5) ? "blackholed" : "closed"
            n[c]++; sum[c] += lat[id]; v[c, n[c]] = lat[id]
            s = last[id] - lat[id]
            if (first < 0 || s < first) first = s
            if (last[id] > end) end = last[id]
            if (c == "real" && conn[id] == 1) held++
        }
        for (c in n) {
            # median by insertion sort on a copy (n is at most a few 1000)
            m = n[c]
            for (i = 1; i <= m; i++) w[i] = v[c, i]
            for (i = 2; i <= m; i++) { x = w[i]; j = i - 1
                while (j >= 1 && w[j] > x) { w[j + 1] = w[j]; j-- } w[j + 1] = x }
            printf "class %s %d %.1f %d\n", c, m, sum[c] / m, w[int((m + 1) / 2)]
            bound += sum[c] / conc
        }
        printf "sweep %d %.0f %d\n", end - first, bound, held + 0
    }' "$MPRMON_TEST_TMP/last.txt" "$MPRMON_TEST_TMP/latency.txt" \
    "$MPRMON_TEST_TMP/conn.txt" >"$MPRMON_TEST_TMP/summary.txt"

while read -r kind a b c d; do
    case $kind in
    class)
        bench_figure "probe_ms_$a" "$c" "ms mean, $d ms median, over $b routers"
        ;;
    sweep)
        sweep_ms=$a bound_ms=$b held=$c
        ;;
    esac
done <"$MPRMON_TEST_TMP/summary.txt"

max_threads=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$samples")
max_fds=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$samples")
bench_figure routers "$N" "($n_real real on $REAL_PEERS peers, $n_bh blackholed, $n_closed closed; concurrency $CONCURRENCY)"
bench_figure wall_ms "$wall_ms" "ms (launch to every row probed, polled every $POLL_S s)"
bench_figure max_threads "$max_threads" "(the main thread, the library's I/O thread, short-lived name lookups)"
bench_figure max_fds "$max_fds" "(RLIMIT_NOFILE $nofile)"
bench_figure held_connections "$held" "of $n_real real routers connected after the sweep"
alone_bound_ms=$(awk -v r="$n_real" -v b="$n_bh" -v c="$n_closed" -v tr="$t_real" \
    -v tb="$t_bh" -v tc="$t_closed" -v k="$CONCURRENCY" \
    'BEGIN { printf "%.0f", (r * tr + b * tb + c * tc) / k }')
bench_figure sweep_ms "$sweep_ms" "ms (first probe start to last probe end)"
bench_figure alone_bound_ms "$alone_bound_ms" "ms = sum(n_class * probe ms alone) / $CONCURRENCY"
bench_figure busy_bound_ms "$bound_ms" "ms = sum(n_class * mean probe ms in this sweep) / $CONCURRENCY"
# The bound: per-probe time of each class (alone) x n / concurrency.
bench_ratio sweep_time "$sweep_ms" "$alone_bound_ms" 1.2
# How busy the slots were kept, whatever slowed each probe down.
bench_ratio sweep_time_vs_busy "$sweep_ms" "$bound_ms" 1.2
[ "$held" -eq "$n_real" ] ||
    echo "note: $((n_real - held)) real routers were not connected after their probe"
bench_finish
