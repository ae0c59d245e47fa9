#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run every test from a fresh Debian 12 machine: installs what is missing,
# builds, runs `make check` (unit tests, fuzz-corpus replays, integration
# tests against real smbd, impacket RRAS peers, snmpd and snmptrapd), with
# the library's Check suites under valgrind.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/dev/deps.sh"
"$top/dev/build.sh"
cd "$top/_build"

status=0
make -j"$(nproc)" check MPRMON_VALGRIND="${MPRMON_VALGRIND:-1}" || status=$?

# Check prints its summary into each test's log; show them, then one total.
echo
echo "== Check summaries =="
find . -name '*.log' ! -name 'test-suite.log' ! -name 'config.log' | sort | while read -r log; do
    grep -E '^[0-9]+%: Checks: ' "$log" | sed "s|^|${log#./}: |" || true
done
if [ -f test-suite.log ]; then
    pass=$(sed -n 's/^# PASS: *//p' test-suite.log)
    fail=$(sed -n 's/^# FAIL: *//p' test-suite.log)
    skip=$(sed -n 's/^# SKIP: *//p' test-suite.log)
    xfail=$(sed -n 's/^# XFAIL: *//p' test-suite.log)
    error=$(sed -n 's/^# ERROR: *//p' test-suite.log)
    if [ "$status" -ne 0 ]; then
        echo "== failing tests =="
        grep -E '^(FAIL|ERROR)' test-suite.log || true
    fi
    echo "tests: ${pass:-0} passed, $(( ${fail:-0} + ${error:-0} )) failed, $(( ${skip:-0} + ${xfail:-0} )) skipped"
fi
exit "$status"
