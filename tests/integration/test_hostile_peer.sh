#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A hostile RRAS peer (tests/peers/rras_hostile.py, rras_peer.py --hostile):
# for every mode, mprmon-probe must come back with the Windows code the
# library promises for that abuse, as a normal exit (not a signal), within
# the timeout plus slack, and under an address-space limit that a 4 GiB
# allocation could not pass.  With MPRMON_VALGRIND=1, some modes again
# under valgrind (no memory error, no leak on these error paths).  Finally
# the subagent: the row of a hostile router shows the code, its name and
# its text over SNMP.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

probe=$top_builddir/cli/mprmon-probe
tmp=$MPRMON_TEST_TMP
# Per-operation timeout given to the library.
T=1000
# Address space for one probe: the library needs a few MiB (its reassembly
# cap is 1 MiB); trusting alloc_hint or a size_is would ask for 4 GiB.
AS_LIMIT=$((1024 * 1024 * 1024))
# Resident memory a probe may use, in KiB (it uses about 19 MiB).
RSS_LIMIT=65536

# MODE PIPE FIELD CODES: the mode, the pipe it spoils, the JSON field that
# must carry the code ("code": connect; "info": MprAdminServerGetInfo;
# "service": the RemoteAccess query), and the codes allowed (| between).
# Samba's DCE/RPC client decides what is malformed: a PDU that cannot be
# parsed is 1728 (RPC_S_PROTOCOL_ERROR) or 1783 (RPC_X_BAD_STUB_DATA), one
# it cannot place 1726 (RPC_S_CALL_FAILED).  Fragments it ignores (another
# call id) or waits for (beyond the data, a stall) end at the call's
# deadline: 1460 (ERROR_TIMEOUT).  Endless answers stop at its reassembly
# cap (1728) or at the deadline (1460), whichever comes first.  A missing
# PFC_FIRST_FRAG on an otherwise whole answer is forgiven (0).
MODES='truncated ROUTER info 1722
oversized ROUTER info 1728|1783
frag-beyond ROUTER info 1460
alloc-hint-4g ROUTER info 0
bad-pointer ROUTER info 1783
endless-fragments ROUTER info 1728|1460
endless-empty ROUTER info 1460|1728
bad-frag-first ROUTER info 0|1728
bad-frag-callid ROUTER info 1460|1728
bad-frag-ptype ROUTER info 1726|1728
stall-mid-pdu ROUTER info 1460
fault-garbage ROUTER info 1726
short-stub ROUTER info 1783
wrong-bind-ack ROUTER code 1728
bind-ack-short ROUTER code 1728
bind-ack-results ROUTER code 1728
bind-rejected ROUTER code 1717
bind-nak ROUTER code 1728
bind-rejected svcctl service 1717
short-stub svcctl service 1783
fault-garbage svcctl service 1726
truncated svcctl service 1722
lying-status svcctl service 1783'

# Milliseconds a probe may take: T for a mode whose call stalls (the call's
# deadline), then a second or so at exit for the stalled pipe's close;
# others need no timeout at all.  The slack is for a loaded machine: 4 s,
# plus four times what a probe of the well-behaved peer took just before
# (BASE_MS, measured below), so that a machine slow enough to take seconds
# over the probe's own work gets them too.
BASE_MS=0
time_limit() {
    case $1 in
    stall-mid-pdu | frag-beyond) echo $((2 * T + 4000 + 4 * BASE_MS)) ;;
    *) echo $((T + 4000 + 4 * BASE_MS)) ;;
    esac
}

# check_json FILE FIELD CODES [EXTRA-PYTHON-EXPR]: the one JSON object in
# FILE has FIELD's code among CODES.  Prints the code; says why on stderr.
check_json() {
    "$PYTHON3_SYSTEM" - "$@" <<'EOF'
import json, sys
path, field, codes = sys.argv[1:4]
extra = sys.argv[4] if len(sys.argv) > 4 else 'True'
rows = [json.loads(line) for line in open(path) if line.strip()]
if len(rows) != 1:
    sys.exit('expected one JSON object, got %d' % len(rows))
r = rows[0]
got = r['code'] if field == 'code' else (r.get(field) or {}).get('code')
print(got)
ok = str(got) in codes.split('|') and eval(extra)
if not ok:
    sys.exit('%s code %r, expected %s: %s' % (field, got, codes,
                                            json.dumps(r)))
EOF
}

rras_peer_usable || exit 77

echo "[$(date +%T)] start"
# One peer serves every mode in turn: it reads "MODE PIPE" from this file
# at every bind and call.
modefile=$tmp/hostile.mode
: >"$modefile"
rras_peer_start h --hostile-file "$modefile" || exit 1
port=$RRAS_H_PORT
auth=$RRAS_H_AUTHFILE
set_mode() { echo "$1 $2" >"$modefile.new" && mv -f "$modefile.new" "$modefile"; }

# The baseline: one probe of the peer behaving well, timed the same way.
start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$tmp/base.rss" prlimit --as="$AS_LIMIT" -- \
    "$probe" -j -t "$T" -A "$auth" "127.0.0.1:$port" \
    >"$tmp/base.json" 2>"$tmp/base.err" </dev/null ||
    fail "the well-behaved peer: probe exited with status $?"
BASE_MS=$((($(date +%s%N) - start) / 1000000))
echo "baseline: a well-behaved probe took $BASE_MS ms"

# 1. Each mode, timed, under the address-space limit.
echo "$MODES" >"$tmp/plan"
while read -r mode pipe field codes; do
    set_mode "$mode" "$pipe"
    name=$mode-$pipe
    out=$tmp/$name.json
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tmp/$name.rss" \
        prlimit --as="$AS_LIMIT" -- \
        "$probe" -j -t "$T" -A "$auth" "127.0.0.1:$port" \
        >"$out" 2>"$tmp/$name.err" </dev/null
    status=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    rss=$(tail -n 1 "$tmp/$name.rss")
    what="$mode on $pipe"
    # 0: connected, 1: did not (a bind mode); anything else is a crash or
    # a usage error.
    case $status in
    0 | 1) ;;
    *) fail "$what: probe exited with status $status: $(cat "$tmp/$name.rss")" ;;
    esac
    # Nothing from Samba (or anyone) on the caller's stderr.
    [ ! -s "$tmp/$name.err" ] ||
        fail "$what: the probe wrote to stderr: $(head -c 300 "$tmp/$name.err")"
    got=$(check_json "$out" "$field" "$codes" 2>"$tmp/why") ||
        fail "$what: $(cat "$tmp/why")"
    [ "$ms" -le "$(time_limit "$mode")" ] ||
        fail "$what: took $ms ms, limit $(time_limit "$mode") ms"
    case $rss in
    '' | *[!0-9]*) fail "$what: no max RSS measured ($rss)" ;;
    *) [ "$rss" -le "$RSS_LIMIT" ] ||
        fail "$what: max RSS $rss KiB > $RSS_LIMIT KiB" ;;
    esac
    printf 'mode %-17s %-6s %-7s code %-5s %5d ms  max RSS %6s KiB\n' \
        "$mode" "$pipe" "$field" "$got" "$ms" "$rss"
done <"$tmp/plan"

# The lie (dwCurrentState 0xDEADBEEF) must not pass as a real state: a
# "stopped" from it would page someone.  The code above (1783) says so;
# the state reported must be unknown, not stopped.
check_json "$tmp/lying-status-svcctl.json" service 1783 \
    'r["service"]["state"] not in ("running", "stopped")' >/dev/null 2>"$tmp/why" ||
    fail "lying-status: $(cat "$tmp/why")"

# 2. Under valgrind (MPRMON_VALGRIND=1), modes on other error paths than
# the subagent's below (which runs under valgrind too, through NDR, the
# call deadline and the bind): transport loss, the reassembly caps, a
# trusted-looking alloc_hint and SCMR.  No memory error, no leak.  Each
# valgrind start costs seconds, hence not every mode.
echo "[$(date +%T)] per-mode runs done"
if [ "${MPRMON_VALGRIND:-0}" = 1 ]; then
    # One peer per mode here, so that one probe process (one valgrind
    # start, the slow part) meets them all.
    set --
    for mp in truncated:ROUTER endless-fragments:ROUTER alloc-hint-4g:ROUTER \
        short-stub:svcctl; do
        n=v$#
        rras_peer_start "$n" --hostile "${mp%%:*}" --hostile-pipe "${mp#*:}" ||
            exit 1
        set -- "$@" -A "$(eval "echo \$RRAS_$(echo "$n" | tr v V)_AUTHFILE")" \
            "127.0.0.1:$(eval "echo \$RRAS_$(echo "$n" | tr v V)_PORT")"
    done
    "$top_builddir/libtool" --mode=execute valgrind --quiet \
        --error-exitcode=97 --leak-check=full \
        --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --suppressions="$top_srcdir/tests/valgrind.supp" \
        --log-file="$tmp/probe.valgrind" \
        "$probe" -j -t "$T" "$@" >"$tmp/vg.json" 2>&1 </dev/null
    status=$?
    n=$(grep -c '^{' "$tmp/vg.json")
    if [ "$status" -gt 1 ] || [ "$n" -ne 4 ]; then
        fail "4 modes under valgrind: exit status $status (97: errors), $n results"
        head -n 60 "$tmp/probe.valgrind"
    else
        echo "ok: 4 modes in one probe under valgrind (status $status)"
    fi
fi
echo "[$(date +%T)] valgrind runs done"

# 3. The subagent's row for a hostile router, over SNMP: the code, its name
# and its text, following the peer from one abuse to the next.
snmpd_start || exit $?
conf=$tmp/mprmon.conf
{
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout $T"
    echo "    hysteresis 1"
    echo "}"
    subagent_conf_router 1 hostile "$port" "$auth"
} >"$conf"
set_mode bad-pointer ROUTER
subagent_start "$conf" || exit 1
v=$(snmp_wait_value "$MPR_ENTRY.6.1" 1783 30) ||
    fail "bad-pointer: mprRouterLastError = '$v', expected 1783"
echo "row (bad-pointer): mprRouterLastError = $v"
v=$(snmp_value "$MPR_ENTRY.7.1")
[ "$v" = '"RPC_X_BAD_STUB_DATA"' ] ||
    fail "bad-pointer: mprRouterLastErrorName = $v"
v=$(snmp_value "$MPR_ENTRY.8.1")
case $v in '"'?*'"') ;; *) fail "bad-pointer: mprRouterLastErrorText = $v" ;; esac
set_mode endless-empty ROUTER
v=$(snmp_wait_value "$MPR_ENTRY.6.1" '1460|1728' 30) ||
    fail "endless-empty: mprRouterLastError = '$v', expected 1460 or 1728"
echo "row (endless-empty): mprRouterLastError = $v"
v=$(snmp_value "$MPR_ENTRY.7.1")
case $v in '"ERROR_TIMEOUT"' | '"RPC_S_PROTOCOL_ERROR"') ;;
*) fail "endless-empty: mprRouterLastErrorName = $v" ;; esac
v=$(snmp_value "$MPR_ENTRY.8.1")
case $v in '"'?*'"') ;; *) fail "endless-empty: mprRouterLastErrorText = $v" ;; esac
# And back to a good answer: the row recovers.
: >"$modefile"
v=$(snmp_wait_value "$MPR_ENTRY.6.1" 0 30) ||
    fail "well-behaved again: mprRouterLastError = '$v', expected 0"
kill -0 "$SUBAGENT_PID" 2>/dev/null || fail "the subagent died"
subagent_stop
st=$?
if [ "$st" -ne 0 ]; then
    fail "subagent exit status $st (97: valgrind errors)"
    head -n 60 "$SNMP_DIR/subagent.valgrind" 2>/dev/null
fi

dump() {
    for f in "$tmp"/*.err; do
        [ -s "$f" ] && { echo "---- $f"; cat "$f"; }
    done
    echo "---- subagent log"
    tail -n 30 "$SUBAGENT_LOG" 2>/dev/null
}
finish dump
