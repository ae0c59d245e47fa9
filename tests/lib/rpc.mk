# tests/lib/rpc.mk
