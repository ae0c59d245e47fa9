# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/harness.sh - the frame every subagent integration test
# shares: the peers' helpers, cleanup on any exit, failure counting and the
# verdict.  Source it after setting top_srcdir:
#   : "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
#   . "$top_srcdir/tests/integration/harness.sh"
#   ... fail "what went wrong" ...
#   finish [FUNCTION]   # FUNCTION (e.g. one that prints logs) runs on failure
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/snmp.sh"
. "$top_srcdir/tests/peers/rras.sh"

# Each stop function is a no-op for what was never started.
harness_cleanup() {
    subagent_stop
    snmpd_stop
    snmptrapd_stop
    peers_cleanup
}
trap harness_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

finish() {
    if [ "$fails" -ne 0 ]; then
        [ -z "${1:-}" ] || "$1"
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "PASS"
    exit 0
}

# subagent_log_tail: for `finish` on failure: the end of the subagent's log
# and valgrind's report, if any.
subagent_log_tail() {
    echo "---- subagent log ----"
    tail -n 40 "$SUBAGENT_LOG"
    [ ! -s "$SNMP_DIR/subagent.valgrind" ] || head -n 100 "$SNMP_DIR/subagent.valgrind"
}

# own_fds PID: descriptors the program holds.  Under valgrind, /proc also
# lists valgrind's own, which it keeps in the top 12 of the table and opens
# and closes as it pleases: the top 32 numbers are not counted.
own_fds() {
    _of_max=$(awk '/^Max open files/ { print $4 }' "/proc/$1/limits" 2>/dev/null)
    ls "/proc/$1/fd" 2>/dev/null | awk -v max="${_of_max:-1024}" '$1 < max - 32' | wc -l
}

# fd_count: the fewest descriptors of the subagent in 10 looks over 2 s (a
# probe holds a socket for a moment; a leaked one stays).
fd_count() {
    _fc_min=
    for _fc_i in 1 2 3 4 5 6 7 8 9 10; do
        _fc_n=$(own_fds "$SUBAGENT_PID")
        if [ -z "$_fc_min" ] || [ "$_fc_n" -lt "$_fc_min" ]; then
            _fc_min=$_fc_n
        fi
        sleep 0.2
    done
    echo "$_fc_min"
}
