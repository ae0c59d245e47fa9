# SPDX-License-Identifier: GPL-3.0-or-later
# etc: the example configuration and the systemd unit.
#
# The example is installed as documentation and, when absent, nowhere else:
# the daemon's real $(sysconfdir)/mprmon/mprmon.conf belongs to the
# administrator and make install never writes it.
exampledir = $(docdir)/examples
dist_example_DATA = etc/mprmon.conf.example etc/snmpd-mprmon.conf

# The unit names the installed programs, so its paths are filled in at make
# time (configure leaves ${prefix} unexpanded in directory variables).
systemdsystemunit_DATA = etc/mprmon-subagent.service
EXTRA_DIST += etc/mprmon-subagent.service.in
CLEANFILES += etc/mprmon-subagent.service

etc/mprmon-subagent.service: $(top_srcdir)/etc/mprmon-subagent.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(top_srcdir)/etc/mprmon-subagent.service.in >$@.tmp && mv $@.tmp $@

# An empty $(sysconfdir)/mprmon for the configuration and auth files,
# readable by its owner only: the auth files hold passwords.
install-data-local: install-mprmon-confdir
install-mprmon-confdir:
	$(MKDIR_P) $(DESTDIR)$(sysconfdir)/mprmon
	-chmod 0700 $(DESTDIR)$(sysconfdir)/mprmon
.PHONY: install-mprmon-confdir
