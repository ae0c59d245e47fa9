# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/lib.mk
