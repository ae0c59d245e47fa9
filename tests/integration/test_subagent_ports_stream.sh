#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_subagent_ports.sh with the RRAS peer's pipes in stream mode, as
# Samba serves them (the default is message mode, as Windows does).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
RRAS_PIPE_MODE=stream
export RRAS_PIPE_MODE
exec "${SHELL:-/bin/sh}" "$top_srcdir/tests/integration/test_subagent_ports.sh"
