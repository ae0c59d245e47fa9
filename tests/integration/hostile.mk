# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/hostile.mk - a hostile RRAS peer (truncated, oversized,
# wrongly fragmented, endless and stalled PDUs) against mprmon-probe and the
# subagent, with its pipes in message mode and again in stream mode.
HOSTILE_TESTS = tests/integration/test_hostile_peer.sh \
	tests/integration/test_hostile_peer_stream.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/peers/rras_hostile.py
