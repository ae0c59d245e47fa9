# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/faults.mk - faults and soak: snmpd killed
# under a walking manager, RRAS peers killed mid-probe, the descriptor table
# full, SIGHUP storms, failed reloads, and a soak with flapping routers.
# Short versions run in make check; MPRMON_LONG=1 runs the long ones
# (20 snmpd kills, a 600 s soak with 1,000 routers).
FAULT_TESTS = \
	tests/integration/test_fault_snmpd_kill.sh \
	tests/integration/test_fault_peers.sh \
	tests/integration/test_fault_hung_peer.sh \
	tests/integration/test_silent_fleet.sh \
	tests/integration/test_fault_fds.sh \
	tests/integration/test_fault_sighup.sh \
	tests/integration/test_fault_reload.sh \
	tests/integration/test_soak.sh
TESTS += $(FAULT_TESTS)
EXTRA_DIST += $(FAULT_TESTS)
