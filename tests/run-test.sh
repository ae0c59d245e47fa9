#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one test.  Compiled tests (ELF programs or libtool wrappers around
# them) run under valgrind's memcheck when MPRMON_VALGRIND=1; a leak or an
# error then fails the test.  Scripts run as they are: the compiled suites
# they start come back here.
test_prog=$1
shift
is_compiled() {
    case $1 in *.sh | *.py) return 1 ;; esac
    [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
    grep -q 'libtool' "$1" 2>/dev/null
}
if [ "${MPRMON_VALGRIND:-0}" = 1 ] && is_compiled "$test_prog"; then
    CK_FORK=no
    export CK_FORK
    exec "${top_builddir:-.}/libtool" --mode=execute valgrind --quiet \
        --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --suppressions="${top_srcdir:-.}/tests/valgrind.supp" \
        "$test_prog" "$@"
fi
exec "$test_prog" "$@"
