include tests/integration/lib.mk
include tests/integration/subagent.mk
