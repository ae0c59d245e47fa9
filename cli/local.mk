# SPDX-License-Identifier: GPL-3.0-or-later
# cli: mprmon-probe, the diagnostics command.
bin_PROGRAMS += cli/mprmon-probe
cli_mprmon_probe_SOURCES = cli/mprmon-probe.c cli/target.c cli/target.h \
	cli/json.c cli/json.h cli/probe_lists.c cli/probe_lists.h
cli_mprmon_probe_LDADD = lib/libmprapi.la
