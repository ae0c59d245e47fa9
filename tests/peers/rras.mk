# tests/peers/rras.mk
