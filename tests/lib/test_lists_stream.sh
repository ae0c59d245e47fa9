#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_lists.sh again with the RRAS peers serving their pipes in stream
# mode, as Samba's smbd does (the default is message mode, as Windows does).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
RRAS_PIPE_MODE=stream
export RRAS_PIPE_MODE
exec "${SHELL:-/bin/sh}" "$top_srcdir/tests/lib/test_lists.sh"
