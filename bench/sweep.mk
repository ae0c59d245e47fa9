# SPDX-License-Identifier: GPL-3.0-or-later
# bench/sweep and bench/memory (probe sweep of many
# routers; resident memory per router and per held connection).  Scripts
# only: they drive the built mprmon-subagent against snmpd, impacket RRAS
# peers, closed ports and bench/blackhole.py.
EXTRA_DIST += bench/bench_sweep.sh bench/bench_memory.sh
