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

# The subagent's memory, at rest.  A reload with a long interval ends the
# probing, but not at once: each router's probe already queued still runs
# at its old due time, router 2's after its backoff (seconds after the
# reload, not one interval), and a probe holds the password in our
# buffers while it logs on.  Counters that stand still for a while prove
# nothing about a probe still to come; the subagent's own word does: its
# debug line "mprmon/schedule: idle, next probe in N ms" (-DALL) says
# that no probe runs for N ms.  The core is taken once such a line, with
# N a minute or more, is the last one after the reload.
sed 's/interval 1$/interval 3600/' "$conf" >"$conf.new" && mv "$conf.new" "$conf"
reloads0=$(grep -c "configuration reloaded" "$SUBAGENT_LOG")
kill -HUP "$SUBAGENT_PID"
schedule_after_reload() {
    awk -v n="$reloads0" '
        /configuration reloaded/ { r++; s = ""; next }
        r > n && /^mprmon\/schedule: / { s = $0 }
        END { print s }' "$SUBAGENT_LOG"
}
# Router 2's backoff is at most 2^k s after k refusals: well under this.
i=0 idle=""
while [ -z "$idle" ] && [ "$i" -lt 180 ]; do
    line=$(schedule_after_reload)
    case $line in
    *": idle, next probe in "*" ms")
        ms=${line##*in }
        [ "${ms% ms}" -lt 60000 ] || idle=$line
        ;;
    *": idle, no probe queued") idle=$line ;;
    esac
    [ -n "$idle" ] || sleep 0.5
    i=$((i + 1))
done
[ -n "$idle" ] ||
    fail "the subagent never said it was idle after the reload (${line:-nothing said})"
before="$(snmp_value "$MPR_ENTRY.17.1") $(snmp_value "$MPR_ENTRY.17.2")"
# Our buffers are wiped after use; what remains
# is Samba's client's (docs/security.md, "Where a password lives"): talloc
# chunks named by Samba's libraries (or, once freed, by the talloc_free
# that freed them), live while a router's session is up, freed but not
# wiped after.  No copy may have the shape of one of our buffers
# (secrets_scan.py --core).  With no probe running, a single core decides.
if command -v gcore >/dev/null 2>&1; then
    cat "/proc/$SUBAGENT_PID/maps" >"$MPRMON_TEST_TMP/maps.txt"
    gcore -o "$MPRMON_TEST_TMP/core" "$SUBAGENT_PID" >"$MPRMON_TEST_TMP/gcore.log" 2>&1
    core=$MPRMON_TEST_TMP/core.$SUBAGENT_PID
    if [ -s "$core" ]; then
        scan --core "$core" --maps "$MPRMON_TEST_TMP/maps.txt" \
            --srcdir "$top_srcdir" >"$MPRMON_TEST_TMP/core-copies.txt"
        rc=$?
        echo "password copies in the subagent's memory: $(grep -c . "$MPRMON_TEST_TMP/core-copies.txt")"
        sed 's/^/  /' "$MPRMON_TEST_TMP/core-copies.txt"
        rm -f "$core"
        [ "$rc" = 0 ] || fail "a password copy in one of our buffers at rest"
    else
        fail "gcore wrote no core: $(tail -n 3 "$MPRMON_TEST_TMP/gcore.log")"
    fi
    after="$(snmp_value "$MPR_ENTRY.17.1") $(snmp_value "$MPR_ENTRY.17.2")"
    # The promise the core relied on.
    [ "$after" = "$before" ] ||
        fail "probes ran after the subagent said it was idle ($before -> $after; $idle)"
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
