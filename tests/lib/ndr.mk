# tests/lib/ndr.mk
