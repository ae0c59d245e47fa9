# tests/lib/samba_api.mk
