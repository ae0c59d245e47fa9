# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras.mk - the RRAS test peer (impacket-based SMB + DCE/RPC
# server acting as a Windows router) and its self-test.
RRAS_PEER_FILES = \
	tests/peers/rras.sh \
	tests/peers/rras_peer.py \
	tests/peers/rras_dcerpc.py \
	tests/peers/rras_dimsvc.py \
	tests/peers/rras_lists.py \
	tests/peers/rras_scmr.py \
	tests/peers/rras_smb.py \
	tests/peers/rras_check.py

EXTRA_DIST += $(RRAS_PEER_FILES) tests/peers/test_rras_peer.sh
TESTS += tests/peers/test_rras_peer.sh
