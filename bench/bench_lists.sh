#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/bench_lists.sh - what reading a big router's lists costs.
#
#   probe    a router with CONNS connections and IFACES interfaces (the
#            RRAS peer, message mode): mprmon-probe's level-0 probe alone
#            (connect, service state, level-0 information) versus the same
#            with -I -C (every page of the interfaces and of both
#            connection levels): wall time and bytes on the wire (the
#            loopback interface's counter, both directions, TCP/IP headers
#            included; the peer relays each pipe to its own DCE/RPC
#            server over loopback too, so a payload byte counts about
#            twice; meaningful only when nothing else talks on loopback,
#            as in `make bench`), the median of RUNS.
#   subagent ROUTERS routers with `collect interfaces connections`, spread
#            over PEERS such peers: the subagent's RSS once every router
#            shows its CONNS connections, and the RSS of the same routers
#            collecting nothing.
# Figures only: the issue asks for them printed, with no target.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/bench/lib.sh"

CONNS=$(bench_size 5000 300)
IFACES=$(bench_size 500 30)
RUNS=$(bench_size 5 1)
ROUTERS=$(bench_size 100 3)
PEERS=$(bench_size 4 1)
probe=$top_builddir/cli/mprmon-probe

lists=$MPRMON_TEST_TMP/lists.json
printf '{"generate": {"connections": %d, "interfaces": %d}}\n' "$CONNS" "$IFACES" >"$lists"
for p in $(seq 1 "$PEERS"); do
    rras_peer_start "p$p" --lists-file "$lists" >/dev/null ||
        { bench_fail "RRAS peer p$p did not start"; bench_finish; }
done

# lo_bytes: bytes the loopback interface has carried (each loopback
# packet is counted once as received).
lo_bytes() { awk -F'[: ]+' '$2 == "lo" { print $3 }' /proc/net/dev; }
# measure ARGS...: "ms bytes" of one probe of p1.
measure() {
    _m_b=$(lo_bytes)
    _m_s=$(bench_now_ms)
    "$probe" -A "$RRAS_P1_AUTHFILE" -p "$RRAS_P1_PORT" "$@" 127.0.0.1 >/dev/null ||
        return 1
    _m_e=$(bench_now_ms)
    echo "$((_m_e - _m_s)) $(($(lo_bytes) - _m_b))"
}
# median_of KIND FIELD
median_of() { cut -d' ' -f"$2" "$MPRMON_TEST_TMP/$1.runs" >"$MPRMON_TEST_TMP/$1.col"; percentile 50 "$MPRMON_TEST_TMP/$1.col"; }

for kind in level0 lists; do
    : >"$MPRMON_TEST_TMP/$kind.runs"
    for _ in $(seq 1 "$RUNS"); do
        if [ "$kind" = level0 ]; then m=$(measure); else m=$(measure -I -C); fi ||
            { bench_fail "mprmon-probe ($kind) failed"; bench_finish; }
        echo "$m" >>"$MPRMON_TEST_TMP/$kind.runs"
    done
done
bench_figure probe_level0_ms "$(median_of level0 1)" ms
bench_figure probe_level0_wire_bytes "$(median_of level0 2)" bytes
bench_figure probe_lists_ms "$(median_of lists 1)" "ms ($CONNS connections x 2 levels, $IFACES interfaces)"
bench_figure probe_lists_wire_bytes "$(median_of lists 2)" bytes

snmpd_start >/dev/null || { bench_fail "snmpd did not start"; bench_finish; }
# run_subagent COLLECT: ROUTERS routers round robin over the peers; prints
# the subagent's RSS in KiB once every router has been probed (and, when
# collecting, shows CONNS connections).
run_subagent() {
    conf=$MPRMON_TEST_TMP/mprmon-$1.conf
    {
        echo "concurrency 8"
        echo "trap-rate 0"
        echo "first-probes at-once"
        echo "defaults {"
        echo "    interval 3600"
        echo "    timeout 60000"
        [ "$1" = none ] || echo "    collect $1"
        echo "}"
        for i in $(seq 1 "$ROUTERS"); do
            p=$(( (i - 1) % PEERS + 1 ))
            port=$(eval "echo \$RRAS_P${p}_PORT")
            auth=$(eval "echo \$RRAS_P${p}_AUTHFILE")
            subagent_conf_router "$i" "r$i" "$port" "$auth"
        done
    } >"$conf"
    subagent_start "$conf" >/dev/null || return 1
    col=17
    [ "$1" = none ] || col=23
    i=0
    while :; do
        n=$(snmp_tool snmpwalk -On -Oqv "$MPR_ENTRY.$col" | grep -c .)
        [ "$n" -ge "$ROUTERS" ] && break
        i=$((i + 1)); [ $i -lt 1200 ] || { subagent_stop; return 1; }
        sleep 0.5
    done
    sleep 1
    proc_rss_kib "$SUBAGENT_PID"
    subagent_stop
}
rss_none=$(run_subagent none) || { bench_fail "subagent (collect none) never probed every router"; bench_finish; }
rss_lists=$(run_subagent "interfaces connections") ||
    { bench_fail "subagent (collect interfaces connections) never read every router"; bench_finish; }
bench_figure subagent_rss_collect_none_kib "$rss_none" "KiB ($ROUTERS routers)"
bench_figure subagent_rss_collect_lists_kib "$rss_lists" "KiB ($ROUTERS routers x $IFACES interfaces, $CONNS connections counted)"
bench_finish
