# SPDX-License-Identifier: GPL-3.0-or-later
# subagent: the daemon's model (config, routers, probes) and its SNMP face.
include subagent/core.mk
include subagent/snmp.mk
