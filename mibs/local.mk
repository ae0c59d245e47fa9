# SPDX-License-Identifier: GPL-3.0-or-later
# mibs: the MPRMON-MIB module, installed where Net-SNMP's tools look.
dist_mib_DATA = mibs/MPRMON-MIB.txt
