#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Configure and build out of tree in _build/ (used by test.sh and demo.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    autoreconf -fi >/dev/null
fi
mkdir -p _build
cd _build
if [ ! -f Makefile ] || [ ../configure -nt Makefile ]; then
    ../configure -q --prefix="$top/_build/_inst"
fi
make -j"$(nproc)" >/dev/null
