# SPDX-License-Identifier: GPL-3.0-or-later
# tests/packaging: mprmon-probe's JSON and command line, the Debian build.

# json_escape, the only string writer of mprmon-probe --json.
check_PROGRAMS += tests/cli/check_json
TESTS += tests/cli/check_json
tests_cli_check_json_SOURCES = tests/cli/check_json.c cli/json.c cli/json.h
tests_cli_check_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/cli -I$(top_srcdir)/lib
tests_cli_check_json_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_cli_check_json_LDADD = lib/libmprapi.la $(CHECK_LIBS)

# mprmon-probe against the RRAS peer: text, --json, exit codes, bad
# credentials files.
TESTS += tests/integration/test_probe_cli.sh
EXTRA_DIST += tests/integration/test_probe_cli.sh

# dpkg-buildpackage + lintian + dpkg -c on a copy of the source tree.  Slow
# (a couple of minutes) and needs debhelper and lintian: it skips (77)
# without them.
TESTS += tests/packaging/test_debian_build.sh
EXTRA_DIST += tests/packaging/test_debian_build.sh

# What a release tarball needs beyond the sources automake already knows
# about: the Debian packaging (test_debian_build.sh builds from an unpacked
# tarball too), the docs, the developer scripts and the formatting rules.
EXTRA_DIST += \
	debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format debian/not-installed debian/mprmon.docs \
	debian/libmprapi0.symbols debian/mprmon.lintian-overrides \
	debian/libmprapi0.install debian/libmprapi-dev.install \
	debian/mprmon.install \
	docs/scale-out.md docs/security.md docs/samba.md \
	dev/deps.sh dev/build.sh dev/test.sh dev/demo.sh \
	.clang-format .ci/run
