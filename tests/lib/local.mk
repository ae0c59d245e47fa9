# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib: Check suites per library layer.
include tests/lib/transport.mk
include tests/lib/ndr.mk
include tests/lib/api.mk
include tests/lib/samba_api.mk
