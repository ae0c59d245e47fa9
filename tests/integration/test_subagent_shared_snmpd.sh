#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Two subagents under one snmpd with shared-snmpd yes, each with its own
# router ids: one mprRouterTable with the rows of both, in id order; no
# scalars (each would count one subagent only); a reload of one changes
# its rows and leaves the other's; a reload turning shared-snmpd off is
# refused; a third subagent claiming an id already served is refused and
# leaves that row to its owner; after an snmpd restart both register their
# rows again; a stopped subagent's rows go.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

LIMIT=10
[ "${MPRMON_VALGRIND:-0}" = 1 ] && LIMIT=60
rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1
rras_peer_start r2 || exit 1
closed=$(closed_port)

# shard_conf ROUTER... where ROUTER is ID:NAME[:PEER] (PEER r1 or r2,
# else the closed port).
shard_conf() {
    echo "shared-snmpd yes"
    subagent_conf_every_second 0
    for _r in "$@"; do
        _id=${_r%%:*} _rest=${_r#*:}
        _name=${_rest%%:*} _peer=${_rest#"$_name"}
        case $_peer in
        :r1) subagent_conf_router "$_id" "$_name" "$RRAS_R1_PORT" "$RRAS_R1_AUTHFILE" ;;
        :r2) subagent_conf_router "$_id" "$_name" "$RRAS_R2_PORT" "$RRAS_R2_AUTHFILE" ;;
        *) subagent_conf_router "$_id" "$_name" "$closed" ;;
        esac
    done
}
# names: "ID=NAME" for each row of mprRouterName, in walk order.
names() {
    snmp_tool snmpwalk -On -Oq "$MPR_ENTRY.2" |
        awk '$1 ~ /^\./ { n = split($1, a, "."); v = $2; gsub(/"/, "", v); printf "%s%s=%s", sep, a[n], v; sep = " " }'
}
# wait_names WANT: up to LIMIT*2 seconds for the walk to show WANT.
wait_names() {
    _wn_end=$(($(date +%s) + LIMIT * 2))
    until [ "$(names)" = "$1" ]; do
        [ "$(date +%s)" -lt "$_wn_end" ] || { fail "$2: rows '$(names)', wanted '$1'"; return 1; }
        sleep 0.5
    done
    echo "ok: $2: $1"
}

a=$MPRMON_TEST_TMP/a.conf b=$MPRMON_TEST_TMP/b.conf c=$MPRMON_TEST_TMP/c.conf
shard_conf 1:a-one:r1 2:a-two >"$a"
shard_conf 2000:b-one:r2 2001:b-two >"$b"
subagent_write_netsnmp_conf 1 || exit 1
subagent_start "$a" || exit 1
b_log=$SNMP_DIR/b.log
subagent_spawn "$b" "$b_log" "$SNMP_DIR/b.valgrind"
b_pid=$!
peers_track "$b_pid"

wait_names "1=a-one 2=a-two 2000=b-one 2001=b-two" "one table, rows from both"
snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null || fail "row 1 (r1) never running"
snmp_wait_value "$MPR_ENTRY.5.2000" 1 30 >/dev/null || fail "row 2000 (r2) never running"
v=$(snmp_tool snmpget -On "$MPR_SCALARS.1.0")
case $v in *"No Such Object"*) echo "ok: no scalars: $v" ;; *) fail "a scalar is served: $v" ;; esac

# A reload of b: 2001 goes, 2002 comes; a's rows are untouched.
shard_conf 2000:b-one:r2 2002:b-three >"$b.new" && mv "$b.new" "$b"
kill -HUP "$b_pid"
wait_names "1=a-one 2=a-two 2000=b-one 2002=b-three" "b reloaded"

# A reload of a that turns shared-snmpd off is refused: it needs a restart.
cp "$a" "$a.saved"
sed 's/^shared-snmpd yes$/shared-snmpd no/' "$a.saved" >"$a"
kill -HUP "$SUBAGENT_PID"
i=0
until grep -q 'shared-snmpd changes need a restart' "$SUBAGENT_LOG" || [ "$i" -ge $((LIMIT * 10)) ]; do
    sleep 0.1; i=$((i + 1))
done
grep -q 'shared-snmpd changes need a restart' "$SUBAGENT_LOG" ||
    fail "a reload changing shared-snmpd was not refused"
mv "$a.saved" "$a"
wait_names "1=a-one 2=a-two 2000=b-one 2002=b-three" "after a refused reload of a"

# A third subagent claiming row 2 is refused, and row 2 stays a's.
shard_conf 2:c-two 3000:c-one >"$c"
subagent_spawn "$c" "$SNMP_DIR/c.log" "$SNMP_DIR/c.valgrind"
c_pid=$!
peers_track "$c_pid"
i=0
while kill -0 "$c_pid" 2>/dev/null && [ "$i" -lt $((LIMIT * 10)) ]; do
    sleep 0.1; i=$((i + 1))
done
kill -0 "$c_pid" 2>/dev/null && { fail "the third subagent still runs"; kill "$c_pid"; }
wait "$c_pid"
c_rc=$?
peers_untrack "$c_pid"
[ "$c_rc" = 1 ] || fail "the third subagent exited with $c_rc, expected 1"
grep -q 'refused the registration of .* (duplicate registration)' "$SNMP_DIR/c.log" ||
    fail "no refusal in the third subagent's log: $(cat "$SNMP_DIR/c.log")"
sleep 2
wait_names "1=a-one 2=a-two 2000=b-one 2002=b-three" "after the refused third"

# snmpd restarts: both register their rows again.
snmpd_restart || exit 1
wait_names "1=a-one 2=a-two 2000=b-one 2002=b-three" "after an snmpd restart"
snmp_wait_value "$MPR_ENTRY.5.2000" 1 30 >/dev/null || fail "row 2000 not running after the restart"

# b stops: its rows go, a's stay.
kill -TERM "$b_pid"
wait "$b_pid"
b_rc=$?
peers_untrack "$b_pid"
[ "$b_rc" = 0 ] || fail "b exited with $b_rc after SIGTERM"
wait_names "1=a-one 2=a-two" "b stopped"
subagent_stop || fail "a exited with $? after SIGTERM"

dump() {
    subagent_log_tail
    for f in b c; do
        echo "---- $f log ----"; tail -n 20 "$SNMP_DIR/$f.log"
        [ ! -s "$SNMP_DIR/$f.valgrind" ] || head -n 60 "$SNMP_DIR/$f.valgrind"
    done
    echo "---- snmpd log ----"; tail -n 20 "$SNMPD_LOG"
}
finish dump
