#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mprmon-subagent -u: started as root, it connects to snmpd's root-only
# AgentX socket (agentXPerms 0600 0700 in tests/peers/snmp.sh), then runs
# as nobody:nogroup.  Checked: /proc/PID/status shows every uid and gid
# changed and no other group; the table is served and probes go on as
# nobody (auth file owned by nobody, mode 0600); a reload works as nobody;
# a user that does not exist, and an auth file nobody cannot read, stop
# the start with a message naming the problem.  Needs root (skips if not).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/integration/harness.sh"

dump_logs() {
    echo "---- subagent log ----"
    tail -n 30 "$SUBAGENT_LOG" 2>/dev/null
}

if [ "$(id -u)" != 0 ]; then
    echo "not root: cannot test dropping root"
    exit 77
fi
RUN_USER=nobody
RUN_GROUP=$(id -gn "$RUN_USER" 2>/dev/null) || {
    echo "no user $RUN_USER"
    exit 77
}
RUN_UID=$(id -u "$RUN_USER")
RUN_GID=$(id -g "$RUN_USER")
rras_peer_usable || exit 77
snmpd_start || exit $?
rras_peer_start r1 || exit 1

# What nobody must read: the config, and an auth file of its own.  The
# test's directory is root's 0700; let nobody through to these two only.
chmod 0711 "$MPRMON_TEST_TMP"
udir=$MPRMON_TEST_TMP/user
mkdir -m 0755 "$udir"
cp "$RRAS_R1_AUTHFILE" "$udir/r1.auth"
chown "$RUN_USER" "$udir/r1.auth"
chmod 0600 "$udir/r1.auth"
conf=$udir/mprmon.conf
{
    echo "defaults {"
    echo "    interval 1"
    echo "    timeout 10000"
    echo "    hysteresis 1"
    echo "}"
    subagent_conf_router 1 r1 "$RRAS_R1_PORT" "$udir/r1.auth"
} >"$conf"
chmod 0644 "$conf"

# Refusals first: they exit at once.
bin=$top_builddir/subagent/mprmon-subagent
out=$("$bin" -f -x "$SNMPD_AGENTX" -c "$conf" -u no-such-user-mprmon 2>&1)
rc=$?
[ "$rc" = 1 ] || fail "-u no-such-user: exit $rc"
case $out in *"no such user 'no-such-user-mprmon'"*) ;;
*) fail "-u no-such-user: '$out'" ;; esac

# An auth file that only root can read: the subagent loads the config again
# as nobody and stops, naming the file.
rootonly=$udir/root.auth
cp "$RRAS_R1_AUTHFILE" "$rootonly"
chmod 0600 "$rootonly"
sed "s|$udir/r1.auth|$rootonly|" "$conf" >"$udir/rootonly.conf"
chmod 0644 "$udir/rootonly.conf"
"$bin" -f -x "$SNMPD_AGENTX" -c "$udir/rootonly.conf" -Le \
    -u "$RUN_USER" >"$udir/rootonly.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "an auth file nobody cannot read: exit $rc"
grep -q "as $RUN_USER: .*$rootonly.*Permission denied" "$udir/rootonly.out" ||
    fail "no clear message for an unreadable auth file: $(cat "$udir/rootonly.out")"

subagent_start "$conf" -u "$RUN_USER:$RUN_GROUP" || exit 1
snmp_wait_value "$MPR_ENTRY.5.1" 1 30 >/dev/null ||
    fail "r1 never showed the service running under -u"
st=/proc/$SUBAGENT_PID/status
uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "$st")
gids=$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "$st")
groups=$(awk '$1 == "Groups:" { $1 = ""; print }' "$st" | tr -s ' ' | sed 's/^ //; s/ $//')
[ "$uids" = "$RUN_UID $RUN_UID $RUN_UID $RUN_UID" ] ||
    fail "Uid line: '$uids', expected $RUN_UID four times"
[ "$gids" = "$RUN_GID $RUN_GID $RUN_GID $RUN_GID" ] ||
    fail "Gid line: '$gids', expected $RUN_GID four times"
[ "$groups" = "$RUN_GID" ] || fail "Groups line: '$groups', expected $RUN_GID"
grep -q "running as uid $RUN_UID gid $RUN_GID" "$SUBAGENT_LOG" ||
    fail "the log does not say whom the subagent runs as"

# Probes go on as nobody, and the table is served.
p0=$(snmp_value "$MPR_ENTRY.17.1")
snmp_wait_above "$MPR_ENTRY.17.1" "${p0:-0}" 20 >/dev/null ||
    fail "no new probe as nobody (was $p0)"
v=$(snmp_value "$MPR_ENTRY.6.1")
[ "$v" = 0 ] || fail "r1 LastError = $v as nobody"

# A reload runs as nobody too: a new router appears.
{
    cat "$conf"
    subagent_conf_router 2 r1-again "$RRAS_R1_PORT" "$udir/r1.auth"
} >"$conf.new" && mv "$conf.new" "$conf" && chmod 0644 "$conf"
kill -HUP "$SUBAGENT_PID"
snmp_wait_value "$MPR_ENTRY.5.2" 1 30 >/dev/null ||
    fail "after a reload as nobody, the new router never showed running"

subagent_stop || fail "subagent exit status $? after SIGTERM"
finish dump_logs
