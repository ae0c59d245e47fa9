# tests/peers/snmp.mk
