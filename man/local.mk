# SPDX-License-Identifier: GPL-3.0-or-later
# man pages: the commands, the configuration file and the library's API.
dist_man_MANS += \
	man/mprmon-probe.1 \
	man/libmprapi.3 \
	man/mprmon.conf.5 \
	man/mprmon-subagent.8
