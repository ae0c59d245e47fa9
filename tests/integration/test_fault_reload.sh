#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Reloads that fail keep the old state: a value out of range, the file gone,
# the file unreadable, a FIFO where the file was (which must not block the
# daemon), and a new router whose auth-file others can read.  Each is
# logged with the file (and the line, where there is one); the rows and
# their counters stay and keep counting; a good file afterwards still loads.
# (test_subagent_reload.sh covers an unknown key.)
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
closed=$(closed_port)

conf=$MPRMON_TEST_TMP/mprmon.conf
# good_conf [EXTRA...]: routers 1 (r1) and 2 (closed port), then EXTRA
# lines.  Line numbers: the header is 6 lines, each router stanza 5 (6
# with an auth-file), so EXTRA starts at line 18.
good_conf() {
    {
        subagent_conf_head 5000
        subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE"
        subagent_conf_router 2 closed2 "$closed"
        for line in "$@"; do echo "$line"; done
    }
}
install_conf() { # replaces the file atomically from stdin
    rm -rf "$conf.new"
    cat >"$conf.new" && rm -rf "$conf" && mv -f "$conf.new" "$conf"
}

good_conf | install_conf
subagent_start "$conf" || exit 1
pid=$SUBAGENT_PID
snmp_wait_value "$MPR_ENTRY.4.1" 1 30 >/dev/null || fail "r1 never connected"
snmp_wait_value "$MPR_ENTRY.13.2" '([2-9]|[1-9][0-9]+)' 30 >/dev/null ||
    fail "closed-port failures never reached 2"

failed_reloads=0
# reload_fails WHAT PATTERN: SIGHUP, wait for the next "reload failed" log
# line, which must match PATTERN (grep -E); then the old rows must be
# there, unchanged in config and still counting.
reload_fails() {
    _rf_p1=$(snmp_value "$MPR_ENTRY.17.1")
    _rf_f2=$(snmp_value "$MPR_ENTRY.13.2")
    _rf_a1=$(snmp_value "$MPR_ENTRY.12.1")
    kill -HUP "$pid"
    failed_reloads=$((failed_reloads + 1))
    _rf_i=0
    while [ "$(grep -c 'reload failed' "$SUBAGENT_LOG")" -lt "$failed_reloads" ] &&
        [ "$_rf_i" -lt 100 ]; do
        sleep 0.1
        _rf_i=$((_rf_i + 1))
    done
    _rf_line=$(grep 'reload failed' "$SUBAGENT_LOG" | sed -n "${failed_reloads}p")
    echo "$1: $_rf_line"
    if [ -z "$_rf_line" ]; then
        fail "$1: no 'reload failed' line within 10 s"
        failed_reloads=$((failed_reloads - 1))
    else
        printf '%s\n' "$_rf_line" | grep -Eq "$2" ||
            fail "$1: the log line does not match '$2'"
    fi
    kill -0 "$pid" 2>/dev/null || fail "$1: the subagent died"
    _rf_ids=$(snmp_tool snmpbulkwalk -On -Cr60 "$MPR_ENTRY.2" |
        sed -n "s/^$MPR_ENTRY\.2\.\([0-9]*\) = .*/\1/p" | tr '\n' ' ')
    [ "$_rf_ids" = "1 2 " ] || fail "$1: rows '$_rf_ids', expected '1 2 '"
    v=$(snmp_value "$MPR_SCALARS.1.0")
    [ "$v" = 2 ] || fail "$1: mprRoutersConfigured = $v"
    v=$(snmp_value "$MPR_ENTRY.2.1")
    [ "$v" = '"r1"' ] || fail "$1: row 1 name $v"
    # Counters kept and still moving; router 1 kept its one connection.
    snmp_wait_above "$MPR_ENTRY.17.1" "$_rf_p1" 20 >/dev/null ||
        fail "$1: router 1 probes did not go on from $_rf_p1"
    v=$(snmp_value "$MPR_ENTRY.13.2")
    [ "$v" -ge "$_rf_f2" ] || fail "$1: router 2 failures $_rf_f2 -> $v"
    v=$(snmp_value "$MPR_ENTRY.12.1")
    [ "$v" = "$_rf_a1" ] || fail "$1: router 1 connect attempts $_rf_a1 -> $v"
}

# 1. A value out of range on line 20 (router 3's interval).
good_conf "router 3 {" "    name r3" "    interval 0" "    address 127.0.0.1" "}" |
    install_conf
reload_fails "out of range" "$conf:20:"

# 2. The file gone (an editor's rename, a botched deploy).
rm -f "$conf"
reload_fails "missing" "$conf: No such file"

# 3. The file unreadable.  Root reads any mode, so as root a directory
#    stands in: the open succeeds, the read cannot.
good_conf | install_conf
if [ "$(id -u)" = 0 ]; then
    rm -f "$conf" && mkdir "$conf"
    reload_fails "a directory" "$conf: not a regular file"
    rmdir "$conf"
else
    chmod 000 "$conf"
    reload_fails "unreadable" "$conf: Permission denied"
fi

# 4. A FIFO: opening it for reading would wait for a writer forever, and
#    the reload runs in the one thread that answers SNMP.
rm -f "$conf"
mkfifo "$conf" || exit 1
reload_fails "a FIFO" "$conf: not a regular file"
v=$(snmp_value "$MPR_SCALARS.1.0")
[ "$v" = 2 ] || fail "SNMP does not answer after a FIFO reload: $v"
rm -f "$conf"

# 5. A new router's auth-file readable by others: line 22 names it.  The
#    message names the file, never what is in it.
bad_auth=$MPRMON_TEST_TMP/r3.auth
cp "$RRAS_R1_AUTHFILE" "$bad_auth" && chmod 0644 "$bad_auth"
good_conf "router 3 {" "    name r3" "    address 127.0.0.1" \
    "    port $RRAS_R1_PORT" "    auth-file $bad_auth" "}" | install_conf
reload_fails "auth-file mode" "$conf:22: auth-file $bad_auth: mode 0644 lets group or others read or write it"
pw=$(sed -n 's/^password = //p' "$bad_auth")
[ -n "$pw" ] && ! grep -qF "$pw" "$SUBAGENT_LOG" ||
    fail "the password is in the subagent's log"

# 6. Fixed: it loads, and router 3 is probed.
chmod 0600 "$bad_auth"
kill -HUP "$pid"
v=$(snmp_wait_value "$MPR_ENTRY.4.3" 1 20) ||
    fail "router 3 did not connect after the good reload (conn state $v)"
v=$(snmp_value "$MPR_SCALARS.1.0")
[ "$v" = 3 ] || fail "mprRoutersConfigured = $v after the good reload"

[ "$SUBAGENT_PID" = "$pid" ] || fail "the subagent was restarted"
subagent_stop || fail "subagent exit status $? after SIGTERM"

finish subagent_log_tail
