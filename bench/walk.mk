# SPDX-License-Identifier: GPL-3.0-or-later
# bench/walk.mk - bench_walk (table walk vs a floor subagent) and
# bench_isolation (GET latency while probes hang), bench_ifwalk (the
# interface table walk vs a floor).
noinst_PROGRAMS += bench/floor_subagent bench/floor_ifaces bench/get_latency
bench_floor_subagent_SOURCES = bench/floor_subagent.c \
	bench/floor_agent.c bench/floor_agent.h
bench_floor_subagent_CFLAGS = $(AM_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
bench_floor_subagent_LDADD = $(NETSNMP_AGENT_LIBS)
bench_floor_ifaces_SOURCES = bench/floor_ifaces.c \
	bench/floor_agent.c bench/floor_agent.h
bench_floor_ifaces_CFLAGS = $(AM_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
bench_floor_ifaces_LDADD = lib/libmprapi.la $(NETSNMP_AGENT_LIBS)
bench_get_latency_SOURCES = bench/get_latency.c
bench_get_latency_CFLAGS = $(AM_CFLAGS) $(NETSNMP_AGENT_CFLAGS)
bench_get_latency_LDADD = $(NETSNMP_AGENT_LIBS)
EXTRA_DIST += bench/bench_walk.sh bench/bench_isolation.sh bench/bench_lists.sh \
	bench/bench_ifwalk.sh
