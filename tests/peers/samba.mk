# tests/peers/samba.mk
