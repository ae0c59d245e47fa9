# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/samba.mk - a private smbd on loopback (tests/peers/samba.sh).
EXTRA_DIST += tests/peers/samba.sh tests/peers/samba_ad.sh
