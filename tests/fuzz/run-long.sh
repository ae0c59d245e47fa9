#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-long.sh - the long libFuzzer runs: every target, one after
# the other (one core), each until 10^7 executions or its time budget,
# whichever comes first.  Not part of `make check` (which only replays the
# seed corpora); run it by hand or with `make fuzz-long`.
#
#   tests/fuzz/run-long.sh [BUILDDIR]
#
# BUILDDIR is a configured build tree (default: .); the script runs
# `make fuzz FUZZ_CC=clang` there first.  Needs clang and its libFuzzer
# runtime (Debian 12: clang-14 and libclang-rt-14-dev).
#
# Environment:
#   FUZZ_SECONDS  time budget per target (default 1800)
#   FUZZ_RUNS     execution budget per target (default 10000000)
#   FUZZ_TARGETS  which targets (default: all, in the order below)
#   FUZZ_BUILD=0  use the -libfuzzer binaries already in BUILDDIR
#   FUZZ_WORKDIR  where scratch corpora, crash artifacts and logs go
#                 (default: a new directory under ${TMPDIR:-/tmp})
#
# Per target, WORKDIR/<target>/ holds corpus/ (the seeds, then whatever
# libFuzzer adds), new/ (only the added inputs that bring coverage the seeds
# lack, found with -merge=1: candidates for tests/fuzz/corpus/), artifacts
# (crash-*, leak-*, timeout-*, oom-*) and fuzz.log.  The summary table is
# printed at the end and kept in WORKDIR/summary.txt.  Exit status 1 when
# any target reported a crash, leak, sanitizer error or hang.
set -u

builddir=${1:-.}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-1800}
runs=${FUZZ_RUNS:-10000000}
targets=${FUZZ_TARGETS:-"ndr_stubs creds config"}
work=${FUZZ_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/mprmon-fuzz.XXXXXX")}

# Seed corpora per target (the ndr_stubs target reads both stub corpora).
seeds_of() {
    case $1 in
    ndr_stubs) echo "rrasm scmr" ;;
    *) echo "$1" ;;
    esac
}

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    make -C "$builddir" -s fuzz FUZZ_CC="${FUZZ_CC:-clang}" || {
        echo "run-long.sh: make fuzz failed in $builddir" >&2
        exit 2
    }
fi
builddir=$(cd "$builddir" && pwd)
mkdir -p "$work" || exit 2
echo "run-long.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), up to $runs runs or" \
    "${seconds}s per target, work in $work"

# Any sanitizer report is a finding even if the exit status were 0.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

summary=$work/summary.txt
printf '%-10s %10s %8s %6s %7s %6s %5s %6s %s\n' target executions exec/s \
    cov ft corpus new secs result >"$summary"
failed=0
for t in $targets; do
    bin=$builddir/tests/fuzz/fuzz_$t-libfuzzer
    d=$work/$t
    rm -rf "$d"
    mkdir -p "$d/corpus" "$d/seeds" "$d/new"
    # Seeds, with their subdirectories (found/: inputs earlier runs found).
    for s in $(seeds_of "$t"); do
        find "$srcdir/tests/fuzz/corpus/$s" -type f | while read -r f; do
            cp "$f" "$d/seeds/$s-$(basename "$f")"
        done
    done
    cp "$d/seeds"/* "$d/corpus/" 2>/dev/null
    log=$d/fuzz.log
    start=$(date +%s)
    # -timeout: an input that runs 10 s is a hang, and a finding.
    "$bin" -runs="$runs" -max_total_time="$seconds" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$d/" "$d/corpus" >"$log" 2>&1
    status=$?
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    # The last status line ("#N DONE cov: C ft: F corp: ...") has the
    # final coverage; a crash leaves only the line before it.
    last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1)
    cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    ncorp=$(find "$d/corpus" -type f | wc -l)
    # Inputs that add coverage over the seeds alone.
    cp "$d/seeds"/* "$d/new/" 2>/dev/null
    "$bin" -merge=1 "$d/new" "$d/corpus" >"$d/merge.log" 2>&1
    for f in "$d/seeds"/*; do rm -f "$d/new/$(basename "$f")"; done
    nnew=$(find "$d/new" -type f | wc -l)
    artifacts=$(find "$d" -maxdepth 1 -type f \( -name 'crash-*' -o \
        -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    if [ "$status" -ne 0 ] || [ "$artifacts" -ne 0 ] ||
        grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$log"; then
        result="FAIL(exit $status, $artifacts artifacts)"
        failed=1
    else
        result=clean
    fi
    printf '%-10s %10s %8s %6s %7s %6s %5s %6s %s\n' "$t" "${execs:-?}" \
        "${rate:-?}" "${cov:-?}" "${ft:-?}" "$ncorp" "$nnew" "$secs" \
        "$result" | tee -a "$summary"
done
echo
echo "run-long.sh: summary ($summary); logs in $work/<target>/fuzz.log"
cat "$summary"
exit $failed
