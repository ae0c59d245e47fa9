#!/bin/sh
# Runs one test.  Compiled tests (libtool wrappers) run under valgrind's
# memcheck when MPRMON_VALGRIND=1; a leak or error then fails the test.
test_prog=$1
shift
if [ "${MPRMON_VALGRIND:-0}" = 1 ] && grep -q 'libtool' "$test_prog" 2>/dev/null && [ "${test_prog%.sh}" = "$test_prog" ]; then
    CK_FORK=no
    export CK_FORK
    exec "${top_builddir:-.}/libtool" --mode=execute valgrind --quiet \
        --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --suppressions="${top_srcdir:-.}/tests/valgrind.supp" \
        "$test_prog" "$@"
fi
exec "$test_prog" "$@"
