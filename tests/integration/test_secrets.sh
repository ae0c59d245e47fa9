#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Passwords leak nowhere we can look.  The subagent runs with all Net-SNMP
# debug output on (-DALL) against an RRAS peer with a right password and,
# on a second router, a wrong one (a logon refusal, a trap); snmptrapd takes
# the notifications; the whole MIB is walked (values as text and as hex);
# mprmon-probe -j runs with both auth files.  Then both passwords, as UTF-8,
# UTF-16LE and hex (tests/integration/secrets_scan.py), must be absent from
# every file the run wrote (logs, trap output, walks, probe output), from
# /proc/PID/cmdline and /proc/PID/environ of every process started, and
# from the subagent's memory as far as our own buffers go (gcore; see
# docs/security.md for what Samba's client keeps).
#
# The subagent runs natively even under MPRMON_VALGRIND=1: this test is
# about where bytes end up, and valgrind's allocator would keep freed
# blocks around and change what the core shows (other tests run the same
# code under valgrind).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

SCAN="$top_srcdir/tests/integration/secrets_scan.py"
PROBE_BIN=$top_builddir/cli/mprmon-probe
dump_logs() {
    echo "---- subagent log (last lines) ----"
    tail -n 20 "$SUBAGENT_LOG" 2>/dev/null
}

rras_peer_usable || exit 77
snmptrapd_start || exit $?
snmpd_start || exit $?
rras_peer_start r1 || exit 1

good=$RRAS_R1_AUTHFILE
wrong=$MPRMON_TEST_TMP/wrong.auth
# Distinctive, so a hit cannot be a coincidence; written like the peer's
# file, never on a command line.
(
    umask 077
    printf 'username = %s\npassword = Wr0ng-mprmon-s3cret-%s\n' \
        "$RRAS_R1_USER" "$(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')" \
        >"$wrong"
) || exit 1
scan() { "$PYTHON3_SYSTEM" "$SCAN" --auth "$good" --auth "$wrong" "$@"; }

conf=$MPRMON_TEST_TMP/mprmon.conf
{
    echo "trap-rate 100"
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout 10000"
    echo "    hysteresis 1"
    echo "}"
    subagent_conf_router 1 good "$RRAS_R1_PORT" "$good"
    subagent_conf_router 2 wrong "$RRAS_R1_PORT" "$wrong"
} >"$conf"

# Started here rather than by subagent_start: its stdout and stderr need a
# file of their own.  (subagent_start sends them to the -Lf log file, which
# Net-SNMP opens without O_APPEND and so writes over what stderr appended.)
[ -f "$SNMPCONFPATH/mprmon-subagent.conf" ] || subagent_write_netsnmp_conf 1
SUBAGENT_LOG=$SNMP_DIR/subagent.log
SUBAGENT_STDIO=$SNMP_DIR/subagent.stdio
"$top_builddir/subagent/mprmon-subagent" -f -x "$SNMPD_AGENTX" -c "$conf" \
    -Lf "$SUBAGENT_LOG" -DALL >"$SUBAGENT_STDIO" 2>&1 &
SUBAGENT_PID=$!
peers_track "$SUBAGENT_PID"

snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "router 1 (right password) never showed the service running"
snmp_wait_value "$MPR_ENTRY.6.2" 5 30 >/dev/null ||
    fail "router 2 (wrong password) never showed ERROR_ACCESS_DENIED (5)"
snmptrapd_wait "$MPR_NOTIFY\.3" 30 ||
    fail "no mprRouterConnectFailed notification for router 2"
# A few more probe rounds, so that every path has run more than once.
p0=$(snmp_value "$MPR_ENTRY.17.2")
i=0
while p=$(snmp_value "$MPR_ENTRY.17.2") && [ "${p:-0}" -lt "$((${p0:-0} + 2))" ]; do
    i=$((i + 1))
    [ "$i" -lt 120 ] || { fail "router 2 stopped being probed ($p0 -> $p)"; break; }
    sleep 0.25
done

snmp_tool snmpwalk -On "$MPRMON_OID" >"$MPRMON_TEST_TMP/walk.txt"
snmp_tool snmpwalk -On -Ox "$MPRMON_OID" >"$MPRMON_TEST_TMP/walk-hex.txt"
n=$(grep -c "^$MPR_ENTRY\." "$MPRMON_TEST_TMP/walk.txt")
# Router 1: all 21 columns; router 2 (refused, so no level-0 figures): 18.
[ "$n" = 39 ] || fail "the walk gave $n table cells, expected 39 (2 rows)"

"$PROBE_BIN" -j -A "$good" -p "$RRAS_R1_PORT" 127.0.0.1 \
    >"$MPRMON_TEST_TMP/probe-good.out" 2>"$MPRMON_TEST_TMP/probe-good.err" ||
    fail "mprmon-probe with the right password: exit $?"
grep -q '"code":0' "$MPRMON_TEST_TMP/probe-good.out" ||
    fail "mprmon-probe -j: no code 0 in $(cat "$MPRMON_TEST_TMP/probe-good.out")"
"$PROBE_BIN" -j -A "$wrong" -p "$RRAS_R1_PORT" 127.0.0.1 \
    >"$MPRMON_TEST_TMP/probe-wrong.out" 2>"$MPRMON_TEST_TMP/probe-wrong.err"
[ $? = 1 ] || fail "mprmon-probe with a wrong password did not exit 1"
grep -q '"code":5' "$MPRMON_TEST_TMP/probe-wrong.out" ||
    fail "mprmon-probe -j: no code 5 in $(cat "$MPRMON_TEST_TMP/probe-wrong.out")"

# Every process of the run: argv and environment.
procs=""
for pid in "$SUBAGENT_PID" "$SNMPD_PID" "$SNMPTRAPD_PID" "$RRAS_R1_PID"; do
    kill -0 "$pid" 2>/dev/null || { fail "process $pid is gone"; continue; }
    procs="$procs /proc/$pid/cmdline /proc/$pid/environ"
done
# shellcheck disable=SC2086 # a list of paths
scan $procs || fail "a password is in a process's argv or environment"

# The subagent's memory, at rest: a reload with a long interval stops the
# probes (a probe in flight holds the password in our buffers, as it must
# while it logs on), then the probe counters must stand still.
sed 's/interval 1$/interval 3600/' "$conf" >"$conf.new" && mv "$conf.new" "$conf"
reloads0=$(grep -c "configuration reloaded" "$SUBAGENT_LOG")
kill -HUP "$SUBAGENT_PID"
i=0 still=0 before=""
while [ "$still" -lt 3 ] && [ "$i" -lt 60 ]; do
    sleep 0.5
    now="$(snmp_value "$MPR_ENTRY.17.1") $(snmp_value "$MPR_ENTRY.17.2")"
    # Stillness counts only once the reload is in force: before that, a
    # probe delayed on a busy machine (or router 2 backing off) can look
    # like a stop, and the core would be taken with a probe still to come.
    if [ "$now" = "$before" ] &&
        [ "$(grep -c "configuration reloaded" "$SUBAGENT_LOG")" -gt "$reloads0" ]; then
        still=$((still + 1))
    else
        still=0
    fi
    before=$now
    i=$((i + 1))
done
[ "$still" -ge 3 ] || fail "probes did not stop after the reload ($before)"
# Our buffers are wiped after use; what remains
# is Samba's client's (docs/security.md, "Where a password lives"): talloc
# chunks named by Samba's libraries, live while a router's session is up,
# freed but not wiped after.  No copy may have the shape of one of our
# buffers (secrets_scan.py --core).
#
# core_scan N: take core N of the subagent and scan it; 0 when no copy has
# our shape, 1 when one has, 2 when no core could be taken.
core_scan() {
    cat "/proc/$SUBAGENT_PID/maps" >"$MPRMON_TEST_TMP/maps.txt"
    gcore -o "$MPRMON_TEST_TMP/core$1" "$SUBAGENT_PID" >"$MPRMON_TEST_TMP/gcore.log" 2>&1
    _cs_core=$MPRMON_TEST_TMP/core$1.$SUBAGENT_PID
    [ -s "$_cs_core" ] || return 2
    scan --core "$_cs_core" --maps "$MPRMON_TEST_TMP/maps.txt" \
        >"$MPRMON_TEST_TMP/core-copies$1.txt"
    _cs_rc=$?
    echo "core $1: password copies in the subagent's memory: $(grep -c . "$MPRMON_TEST_TMP/core-copies$1.txt")"
    sed 's/^/  /' "$MPRMON_TEST_TMP/core-copies$1.txt"
    rm -f "$_cs_core"
    return "$_cs_rc"
}
# A copy of ours in the first core may belong to work still finishing (the
# counters above count finished probes, not started ones): the copy fails
# the test only when a second core, 3 s later and with the counters still
# standing, has one too.  A buffer left unwiped stays; one in use goes.
if command -v gcore >/dev/null 2>&1; then
    core_scan 1
    rc=$?
    if [ "$rc" = 1 ]; then
        sleep 3
        after="$(snmp_value "$MPR_ENTRY.17.1") $(snmp_value "$MPR_ENTRY.17.2")"
        [ "$after" = "$before" ] || echo "note: probes ran between the cores ($before -> $after)"
        core_scan 2
        rc=$?
    fi
    case $rc in
    0) ;;
    1) fail "a password copy in one of our buffers at rest" ;;
    *) fail "gcore wrote no core: $(tail -n 3 "$MPRMON_TEST_TMP/gcore.log")" ;;
    esac
else
    echo "note: gdb's gcore not installed, memory not checked"
fi

subagent_stop || fail "subagent exit status $? after SIGTERM"
snmptrapd_stop
snmpd_stop

# Every file the run wrote, the auth files excepted.
find "$MPRMON_TEST_TMP" -type f ! -path "$good" ! -path "$wrong" \
    >"$MPRMON_TEST_TMP/files.txt"
nfiles=$(wc -l <"$MPRMON_TEST_TMP/files.txt")
for must in "$SUBAGENT_LOG" "$SUBAGENT_STDIO" "$SNMPTRAPD_OUT" "$SNMPD_LOG" \
    "$MPRMON_TEST_TMP/walk.txt" "$MPRMON_TEST_TMP/probe-wrong.err"; do
    grep -qxF "$must" "$MPRMON_TEST_TMP/files.txt" || fail "$must not scanned"
done
# The debug log must really hold the run's traffic, or it proves nothing.
[ "$(wc -l <"$SUBAGENT_LOG")" -gt 100 ] || fail "the -DALL log is nearly empty"
# shellcheck disable=SC2046 # one path per line, no blanks in them
scan $(cat "$MPRMON_TEST_TMP/files.txt") ||
    fail "a password is in a file the run wrote"
echo "scanned $nfiles files and $(echo "$procs" | wc -w) /proc entries"

finish dump_logs
