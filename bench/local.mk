# SPDX-License-Identifier: GPL-3.0-or-later
# bench/: benchmarks that print figures as ratios against a baseline
# measured in the same run.  `make bench` runs them at full size;
# `make check` runs bench/smoke.sh (every benchmark, small) so that they
# cannot rot.  Each benchmark is bench/bench_NAME.sh; its helper programs
# are noinst programs below (built with `make`, so the smoke run has them).
bench_framework_files = bench/run bench/smoke.sh bench/lib.sh bench/blackhole.py
EXTRA_DIST += $(bench_framework_files)

TESTS += bench/smoke.sh

bench: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3_SYSTEM='$(PYTHON3_SYSTEM)' $(SHELL) $(top_srcdir)/bench/run
.PHONY: bench

# Each benchmark adds its scripts and programs in bench/<name>.mk.
include bench/connect.mk
include bench/walk.mk
include bench/sweep.mk
