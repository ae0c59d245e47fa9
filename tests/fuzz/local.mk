# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz: libFuzzer targets and their seed corpora.
#
# For `make check` each target is built as a plain program with
# tests/fuzz/replay_main.c, which feeds every file of
# tests/fuzz/corpus/<name>/ (and each of its prefixes) to
# LLVMFuzzerTestOneInput; under MPRMON_VALGRIND=1 that runs in valgrind.
#
# For real fuzzing, build the same sources with clang's libFuzzer:
#   make fuzz FUZZ_CC=clang
# gives tests/fuzz/fuzz_ndr_stubs-libfuzzer (ASan + UBSan); then e.g.
#   mkdir -p /tmp/ndr-corpus
#   tests/fuzz/fuzz_ndr_stubs-libfuzzer -max_total_time=600 \
#       /tmp/ndr-corpus $(top_srcdir)/tests/fuzz/corpus/rrasm
# New inputs land in the first directory; copy the interesting ones into
# the seed corpus.  To add a target: a fuzz_<name>.c, a corpus/<name>/
# directory, and rules like the ones below.
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/lib -I$(top_builddir)

fuzz:
.PHONY: fuzz

# fuzz_config: config_parse (subagent/conf.c), pure text in.
check_PROGRAMS += tests/fuzz/fuzz_config
TESTS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c \
	tests/fuzz/replay_main.c
tests_fuzz_fuzz_config_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) \
	-DFUZZ_CORPUS='"config"'
tests_fuzz_fuzz_config_LDADD = subagent/libmprmon_daemon.la
EXTRA_DIST += tests/fuzz/corpus/config

FUZZ_CONFIG_SRCS = $(top_srcdir)/tests/fuzz/fuzz_config.c \
	$(top_srcdir)/subagent/conf.c $(top_srcdir)/subagent/strpool.c

tests/fuzz/fuzz_config-libfuzzer: $(FUZZ_CONFIG_SRCS)
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(top_srcdir) -I$(top_srcdir)/subagent \
		-o $@ $(FUZZ_CONFIG_SRCS)

fuzz: tests/fuzz/fuzz_config-libfuzzer
CLEANFILES += tests/fuzz/fuzz_config-libfuzzer

# fuzz_ndr_stubs: the MS-RRASM / MS-SCMR reply decoders and the NDR
# primitives under them.  One source, replayed over two seed corpora (one
# check program each, as replay_main.c takes one FUZZ_CORPUS).
check_PROGRAMS += tests/fuzz/fuzz_ndr_stubs_rrasm tests/fuzz/fuzz_ndr_stubs_scmr
TESTS += tests/fuzz/fuzz_ndr_stubs_rrasm tests/fuzz/fuzz_ndr_stubs_scmr
tests_fuzz_fuzz_ndr_stubs_rrasm_SOURCES = tests/fuzz/fuzz_ndr_stubs.c \
	tests/fuzz/replay_main.c
tests_fuzz_fuzz_ndr_stubs_rrasm_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"rrasm"'
tests_fuzz_fuzz_ndr_stubs_rrasm_LDADD = lib/libmprapi_core.la
tests_fuzz_fuzz_ndr_stubs_scmr_SOURCES = tests/fuzz/fuzz_ndr_stubs.c \
	tests/fuzz/replay_main.c
tests_fuzz_fuzz_ndr_stubs_scmr_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"scmr"'
tests_fuzz_fuzz_ndr_stubs_scmr_LDADD = lib/libmprapi_core.la
EXTRA_DIST += tests/fuzz/corpus/rrasm tests/fuzz/corpus/scmr

FUZZ_NDR_STUBS_SRCS = $(top_srcdir)/tests/fuzz/fuzz_ndr_stubs.c \
	$(top_srcdir)/lib/ndr.c $(top_srcdir)/lib/rrasm.c \
	$(top_srcdir)/lib/rrasm_lists.c $(top_srcdir)/lib/scmr.c

# After `make fuzz`, for example:
#   tests/fuzz/fuzz_ndr_stubs-libfuzzer -max_total_time=600 /tmp/ndr-corpus \
#       $(top_srcdir)/tests/fuzz/corpus/rrasm $(top_srcdir)/tests/fuzz/corpus/scmr
tests/fuzz/fuzz_ndr_stubs-libfuzzer: $(FUZZ_NDR_STUBS_SRCS)
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_NDR_STUBS_SRCS)

fuzz: tests/fuzz/fuzz_ndr_stubs-libfuzzer
CLEANFILES += tests/fuzz/fuzz_ndr_stubs-libfuzzer

# fuzz_creds: the smbclient auth-file parser (lib/creds.c), plus UTF-8 ->
# UTF-16 round trips and server-name parsing (lib/utf16.c, lib/names.c) on
# the same bytes.  Pure code, so the sources are compiled in directly.
check_PROGRAMS += tests/fuzz/fuzz_creds
TESTS += tests/fuzz/fuzz_creds
tests_fuzz_fuzz_creds_SOURCES = tests/fuzz/fuzz_creds.c \
	tests/fuzz/replay_main.c lib/creds.c lib/names.c lib/utf16.c
tests_fuzz_fuzz_creds_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"creds"'
EXTRA_DIST += tests/fuzz/corpus/creds

FUZZ_CREDS_SRCS = $(top_srcdir)/tests/fuzz/fuzz_creds.c \
	$(top_srcdir)/lib/creds.c $(top_srcdir)/lib/names.c \
	$(top_srcdir)/lib/utf16.c

tests/fuzz/fuzz_creds-libfuzzer: $(FUZZ_CREDS_SRCS)
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_CREDS_SRCS)

fuzz: tests/fuzz/fuzz_creds-libfuzzer
CLEANFILES += tests/fuzz/fuzz_creds-libfuzzer

# The long runs of every -libfuzzer target (not part of make check; see
# tests/fuzz/README.md).  FUZZ_SECONDS / FUZZ_RUNS set the budget per target.
fuzz-long: fuzz
	$(top_srcdir)/tests/fuzz/run-long.sh .
.PHONY: fuzz-long
EXTRA_DIST += tests/fuzz/run-long.sh tests/fuzz/coverage.sh tests/fuzz/README.md
