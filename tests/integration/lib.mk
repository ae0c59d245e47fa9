# tests/integration/lib.mk
