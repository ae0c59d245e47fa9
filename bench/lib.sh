# SPDX-License-Identifier: GPL-3.0-or-later
# bench/lib.sh - what every benchmark script shares: the peers' helpers,
# cleanup on exit, the smoke/full switch, and one format for figures.
#
# A benchmark is bench/bench_<name>.sh.  It sources this file, measures a
# baseline and the thing itself in the same run (the machine is shared and
# noisy: only ratios mean something), and prints its figures with
# bench_figure and its verdicts with bench_ratio.  bench/run runs them all.
#
# Environment (set by bench/run, or by hand):
#   top_srcdir, top_builddir  source and build trees
#   BENCH_SMOKE=1             small sizes, for `make check`: the benchmark
#                             must run end to end, but targets are not
#                             judged (a smoke run only proves it still works)
#   BENCH_RESULTS             file that collects every figure line

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
: "${BENCH_SMOKE:=0}"
# Figures are of the real thing: never under valgrind (the tests do that).
MPRMON_VALGRIND=0
export top_srcdir top_builddir BENCH_SMOKE MPRMON_VALGRIND

. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/snmp.sh"
. "$top_srcdir/tests/peers/rras.sh"
. "$top_srcdir/tests/peers/samba.sh"

bench_cleanup() {
    subagent_stop
    snmpd_stop
    snmptrapd_stop
    samba_stop
    peers_cleanup
}
trap bench_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

BENCH_NAME=$(basename "$0" .sh)
BENCH_NAME=${BENCH_NAME#bench_}
bench_failed=0

# bench_size FULL SMOKE: the size to use in this run.
bench_size() {
    if [ "$BENCH_SMOKE" = 1 ]; then echo "$2"; else echo "$1"; fi
}

# bench_now_ms: monotonic-enough wall clock in milliseconds.
bench_now_ms() { date +%s%3N; }

# bench_figure METRIC VALUE [UNIT]: one measured figure.
bench_figure() {
    _bf_line="figure $BENCH_NAME $1 = $2${3:+ $3}"
    echo "$_bf_line"
    [ -z "${BENCH_RESULTS:-}" ] || echo "$_bf_line" >>"$BENCH_RESULTS"
}

# bench_ratio METRIC MEASURED BASELINE TARGET: prints MEASURED/BASELINE and
# whether it meets "ratio <= TARGET".  Smoke runs print the ratio but never
# judge it.  A missed target makes bench_finish exit 3 (not 1: the run
# worked, the figure is the news).
bench_ratio() {
    _br_ratio=$(awk -v m="$2" -v b="$3" 'BEGIN {
        if (b <= 0) { print "inf"; exit } printf "%.3f", m / b }')
    if [ "$BENCH_SMOKE" = 1 ]; then
        _br_verdict="smoke (not judged)"
    elif awk -v r="$_br_ratio" -v t="$4" 'BEGIN { exit !(r != "inf" && r + 0 <= t + 0) }'; then
        _br_verdict="MET"
    else
        _br_verdict="MISSED"
        bench_missed=1
    fi
    _br_line="ratio $BENCH_NAME $1 = $_br_ratio (measured $2 / baseline $3; target <= $4): $_br_verdict"
    echo "$_br_line"
    [ -z "${BENCH_RESULTS:-}" ] || echo "$_br_line" >>"$BENCH_RESULTS"
}

# bench_fail MESSAGE: the benchmark could not measure (a broken run).
bench_fail() {
    echo "bench $BENCH_NAME: FAILED: $*" >&2
    bench_failed=1
}

# bench_finish: exit 1 if the run broke, 3 if a target was missed, else 0.
bench_finish() {
    [ "$bench_failed" = 0 ] || exit 1
    [ "${bench_missed:-0}" = 0 ] || exit 3
    exit 0
}

# Process facts, from /proc.
proc_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
proc_hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
proc_threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
proc_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# percentile P FILE: the P-th percentile (nearest rank) of one number per line.
percentile() {
    sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
        print v[i] }'
}

# blackhole_start: a loopback port where TCP connects hang (bench/blackhole.py);
# exports BLACKHOLE_PORT.  Many routers can share it.
blackhole_start() {
    _bh_file=$MPRMON_TEST_TMP/blackhole.port
    rm -f "$_bh_file"
    "$PYTHON3_SYSTEM" "$top_srcdir/bench/blackhole.py" "$_bh_file" &
    peers_track $!
    _bh_i=0
    while [ ! -s "$_bh_file" ] && [ $_bh_i -lt 100 ]; do sleep 0.1; _bh_i=$((_bh_i + 1)); done
    [ -s "$_bh_file" ] || { echo "blackhole did not start" >&2; return 1; }
    BLACKHOLE_PORT=$(cat "$_bh_file")
    export BLACKHOLE_PORT
}

# closed_port (tests/peers/common.sh): a loopback port nobody listens on.

# CPU time (clock ticks) of a process's main thread, the one serving SNMP:
# less noisy than wall time on a shared machine, so walks report it too.
main_ticks() { awk '{ print $14 + $15 }' "/proc/$1/task/$1/stat"; }

# median: the median of one number per line on stdin.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# walk_ms ENTRY MAXREP PID CELLS: time one bulk walk of the table at ENTRY
# (PID: the subagent serving it) and print its ms; the benchmark fails
# unless it returned exactly CELLS varbinds, and a walk slower than
# WALK_LIMIT_S is a failure, not a figure.  Appends the main thread's CPU
# ticks for the walk to $MPRMON_TEST_TMP/PID.ticks.
walk_ms() {
    _wm_out=$MPRMON_TEST_TMP/walk.out
    _wm_c0=$(main_ticks "$3")
    _wm_t0=$(bench_now_ms)
    timeout "$WALK_LIMIT_S" snmpbulkwalk -v2c -c "$SNMP_COMMUNITY" \
        -t "$SNMP_TOOL_TIMEOUT" -r 1 -m "" -On -Cr"$2" \
        "127.0.0.1:$SNMPD_PORT" "$1" >"$_wm_out" 2>>"$SNMP_DIR/tools.err"
    _wm_t1=$(bench_now_ms)
    echo $(($(main_ticks "$3") - _wm_c0)) >>"$MPRMON_TEST_TMP/$3.ticks"
    _wm_n=$(grep -c "^$1\." "$_wm_out")
    [ "$_wm_n" = "$4" ] ||
        bench_fail "walk of $1 (-Cr$2) gave $_wm_n varbinds, expected $4"
    echo $((_wm_t1 - _wm_t0))
}

# compare_walks OURS_ENTRY OURS_PID FLOOR_ENTRY FLOOR_PID CELLS TARGET:
# for each max-repetitions in $REPS, $RUNS walks of each table, taking
# turns at going first; prints the medians, the main threads' CPU and
# the ratio of the medians against TARGET.
compare_walks() {
    for _cw_reps in $REPS; do
        : >"$MPRMON_TEST_TMP/floor.ms"
        : >"$MPRMON_TEST_TMP/ours.ms"
        : >"$MPRMON_TEST_TMP/$4.ticks"
        : >"$MPRMON_TEST_TMP/$2.ticks"
        for _cw_run in $(seq "$RUNS"); do
            if [ $((_cw_run % 2)) = 1 ]; then
                walk_ms "$3" "$_cw_reps" "$4" "$5" >>"$MPRMON_TEST_TMP/floor.ms"
                walk_ms "$1" "$_cw_reps" "$2" "$5" >>"$MPRMON_TEST_TMP/ours.ms"
            else
                walk_ms "$1" "$_cw_reps" "$2" "$5" >>"$MPRMON_TEST_TMP/ours.ms"
                walk_ms "$3" "$_cw_reps" "$4" "$5" >>"$MPRMON_TEST_TMP/floor.ms"
            fi
        done
        echo "walk -Cr$_cw_reps floor ms: $(tr '\n' ' ' <"$MPRMON_TEST_TMP/floor.ms")"
        echo "walk -Cr$_cw_reps ours  ms: $(tr '\n' ' ' <"$MPRMON_TEST_TMP/ours.ms")"
        _cw_floor=$(median <"$MPRMON_TEST_TMP/floor.ms")
        _cw_ours=$(median <"$MPRMON_TEST_TMP/ours.ms")
        bench_figure "floor_walk_ms_r$_cw_reps" "$_cw_floor" ms
        bench_figure "walk_ms_r$_cw_reps" "$_cw_ours" ms
        bench_ratio "walk_time_r$_cw_reps" "$_cw_ours" "$_cw_floor" "$6"
        _cw_hz=$(getconf CLK_TCK)
        bench_figure "floor_main_thread_cpu_ms_r$_cw_reps" \
            $(($(median <"$MPRMON_TEST_TMP/$4.ticks") * 1000 / _cw_hz)) ms
        bench_figure "main_thread_cpu_ms_r$_cw_reps" \
            $(($(median <"$MPRMON_TEST_TMP/$2.ticks") * 1000 / _cw_hz)) ms
    done
}
