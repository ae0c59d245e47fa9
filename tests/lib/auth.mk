# tests/lib/auth.mk
