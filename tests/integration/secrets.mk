# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/secrets.mk - secrets and SNMP input: no
# password in any output, argv, environment or buffer of ours;
# running as another user after start (-u); SETs refused, absent
# instances, huge GETBULKs.
SECRETS_TESTS = \
	tests/integration/test_secrets.sh \
	tests/integration/test_subagent_user.sh \
	tests/integration/test_snmp_input.sh
TESTS += $(SECRETS_TESTS)
EXTRA_DIST += $(SECRETS_TESTS) tests/integration/secrets_scan.py
