#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/smoke.sh - `make check`'s run of every benchmark at small size.
# It proves the benchmarks still build, start their peers and produce
# figures; targets are only judged by a full `make bench`.
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/run" --smoke
rc=$?
# 3 = a target missed: not judged in a smoke run (bench_ratio never says
# MISSED there), so any other non-zero status is a broken benchmark.
[ $rc -eq 0 ] || { echo "bench smoke run failed (exit $rc)"; exit 1; }
