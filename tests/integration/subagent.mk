# tests/integration/subagent.mk
