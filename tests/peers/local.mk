# SPDX-License-Identifier: GPL-3.0-or-later
EXTRA_DIST += tests/valgrind.supp tests/peers/common.sh
include tests/peers/samba.mk
include tests/peers/rras.mk
include tests/peers/snmp.mk
