# tests/integration/hostile.mk - issue 6: a hostile RRAS peer (truncated,
# oversized, wrongly fragmented, endless and stalled PDUs) against
# mprmon-probe and the subagent.
HOSTILE_TESTS = tests/integration/test_hostile_peer.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/peers/rras_hostile.py
