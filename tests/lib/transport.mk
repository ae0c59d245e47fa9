# tests/lib/transport.mk
