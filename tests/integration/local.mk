# SPDX-License-Identifier: GPL-3.0-or-later
include tests/integration/lib.mk
include tests/integration/subagent.mk
include tests/integration/faults.mk
include tests/integration/hostile.mk
include tests/integration/secrets.mk
include tests/integration/nms.mk
