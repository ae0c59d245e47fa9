# SPDX-License-Identifier: GPL-3.0-or-later
# tests: each folder keeps its own rules.
include tests/lib/local.mk
include tests/subagent/local.mk
include tests/integration/local.mk
include tests/fuzz/local.mk
include tests/peers/local.mk
include tests/packaging/local.mk
