# tests/lib/api.mk
