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
