#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# coverage.sh - line and branch coverage of the parsers by a corpus, as
# llvm-cov sees it: how much of lib/ndr.c etc. the inputs reach.
# libFuzzer's cov:/ft: figures count edges and features of all the linked
# code; this says which lines of the parsers were never run.
#
#   tests/fuzz/coverage.sh [BUILDDIR [WORKDIR]]
#
# BUILDDIR: a configured build tree (default .).  WORKDIR: a run-long.sh
# work directory, whose <target>/corpus/ is measured; without it, the seed
# corpora in tests/fuzz/corpus/ (what `make check` replays).  Each target is
# rebuilt in BUILDDIR with clang's -fprofile-instr-generate (the -libfuzzer
# binary is moved aside, so the next `make fuzz` rebuilds the sanitizer one)
# and run once over the corpus (-runs=0).  Needs clang, llvm-profdata and
# llvm-cov (Debian 12: clang-14, llvm-14).  Environment: FUZZ_TARGETS.
set -u

builddir=${1:-.}
runwork=${2:-}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
targets=${FUZZ_TARGETS:-"ndr_stubs creds config"}
out=$(mktemp -d "${TMPDIR:-/tmp}/mprmon-fuzzcov.XXXXXX")
flags="-g -O0 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping"
flags="$flags -I$srcdir/lib -I$(cd "$builddir" && pwd)"

seeds_of() {
    case $1 in
    ndr_stubs) echo "rrasm scmr" ;;
    *) echo "$1" ;;
    esac
}

# The parsers of outside bytes each target is about (report rows).
files_of() {
    case $1 in
    ndr_stubs) echo "lib/ndr.c lib/rrasm.c lib/scmr.c" ;;
    creds) echo "lib/creds.c lib/names.c lib/utf16.c" ;;
    config) echo "subagent/conf.c" ;;
    esac
}

for t in $targets; do
    bin=tests/fuzz/fuzz_$t-libfuzzer
    rm -f "$builddir/$bin"
    make -C "$builddir" -s "$bin" FUZZ_CC="${FUZZ_CC:-clang}" \
        FUZZ_CFLAGS="$flags" >"$out/$t.build.log" 2>&1 || {
        echo "coverage.sh: build of $bin failed, see $out/$t.build.log" >&2
        exit 2
    }
    mv "$builddir/$bin" "$out/fuzz_$t-cov"
    if [ -n "$runwork" ]; then
        dirs=$runwork/$t/corpus
    else
        dirs=
        for s in $(seeds_of "$t"); do
            dirs="$dirs $srcdir/tests/fuzz/corpus/$s"
        done
    fi
    # shellcheck disable=SC2086 # dirs is a list
    LLVM_PROFILE_FILE="$out/$t.profraw" "$out/fuzz_$t-cov" -runs=0 \
        $dirs >"$out/$t.run.log" 2>&1
    llvm-profdata merge -sparse -o "$out/$t.profdata" "$out/$t.profraw"
    echo "== $t ($( [ -n "$runwork" ] && echo "$runwork" || echo seeds))"
    # shellcheck disable=SC2046 # a list of files
    llvm-cov report "$out/fuzz_$t-cov" -instr-profile="$out/$t.profdata" \
        $(for f in $(files_of "$t"); do echo "$srcdir/$f"; done) |
        awk '$1 ~ /\.c$|^TOTAL$/ { sub(".*/", "", $1)
            printf "  %-18s lines %4d/%-4d %7s  branches %4d/%-4d %7s\n",
                $1, $8 - $9, $8, $10, $11 - $12, $11, $13 }'
done
echo "coverage.sh: profiles and binaries in $out (llvm-cov show for lines)"
