# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/samba_ad.sh - a private Samba AD domain controller on loopback:
# a KDC and an smbd that take Kerberos, for the library's Kerberos tests.
#
# Source tests/peers/common.sh first, then this file:
#   . "$top_srcdir/tests/peers/common.sh"
#   . "$top_srcdir/tests/peers/samba_ad.sh"
#   trap 'addc_stop; peers_cleanup' EXIT
#   addc_start || exit $?      # 77 = cannot run here (skip)
#
# addc_start provisions the realm MPRMON.TEST (samba-tool domain provision,
# about 5 s) in $MPRMON_TEST_TMP/addc and runs "samba -i" with only the
# services the tests need (smbd, the KDC, winbindd) on ports it picks, on
# 127.0.0.1 and ::1.  It exports:
#   ADDC_NAME     a host name of this machine that resolves to loopback only
#                 (Kerberos will not take an address or "localhost"); the
#                 DC's account gets the SPNs cifs/ADDC_NAME (SMB) and
#                 host/ADDC_NAME (DCE/RPC authentication), as a Windows
#                 computer account has
#   ADDC_PORT     smbd's port            ADDC_KDC_PORT  the KDC's port
#   ADDC_REALM    MPRMON.TEST            KRB5_CONFIG    a krb5.conf for it
#   ADDC_USER     a domain user, whose keys are in ADDC_KEYTAB (0600)
#   ADDC_AUTHFILE a 0600 auth file with the user's random password (NTLM)
#   ADDC_CONF, ADDC_DIR
# Passwords go to samba-tool on stdin, never in argv.
#
# The DC runs in a mount namespace of its own (unshare -m) with a private
# directory over /run/samba: its smbd finds winbindd only at Samba's
# compiled-in /run/samba/winbindd, and any other smbd on the machine (the
# other tests' standalone ones) would otherwise ask this DC's winbindd to map
# its users, and fail.  Without unshare the DC is not started (77).

ADDC_REALM=MPRMON.TEST
ADDC_USER=mprmonkrb
_ADDC_PGID=""

# _addc_name: print a name of this host that resolves to loopback only.
_addc_name() {
    for _an in "$(hostname 2>/dev/null)" "$(hostname -f 2>/dev/null)" \
        ip6-localhost ip6-loopback localhost.localdomain; do
        [ -n "$_an" ] && [ "$_an" != localhost ] || continue
        _an_addrs=$(getent ahosts "$_an" 2>/dev/null | awk '{print $1}' | sort -u)
        [ -n "$_an_addrs" ] || continue
        if ! printf '%s\n' "$_an_addrs" | grep -qvE '^(127\.0\.0\.1|::1)$'; then
            printf '%s\n' "$_an"
            return 0
        fi
    done
    return 1
}

# _addc_fail MSG: report a start failure with the end of the DC's logs.
_addc_fail() {
    echo "addc_start: $1" >&2
    for _af in "$ADDC_DIR/samba.out" "$ADDC_DIR"/log.*; do
        [ -f "$_af" ] || continue
        echo "---- last lines of $_af ----" >&2
        tail -n 20 "$_af" >&2
    done
    return 1
}

# _addc_listening PORT NAME: does a process called NAME listen on PORT?
_addc_listening() {
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -q "\"$2"
}

addc_start() {
    for _ac in samba samba-tool kinit klist ss unshare; do
        if ! command -v "$_ac" >/dev/null 2>&1; then
            echo "addc_start: $_ac not installed" >&2
            return 77
        fi
    done
    if [ ! -d /usr/share/samba/setup/ad-schema ]; then
        echo "addc_start: samba-ad-provision not installed" >&2
        return 77
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "addc_start: a Samba DC needs root here" >&2
        return 77
    fi
    if ! unshare -m true 2>/dev/null; then
        echo "addc_start: no mount namespace here (unshare -m)" >&2
        return 77
    fi
    if ! ADDC_NAME=$(_addc_name); then
        echo "addc_start: no host name of this machine resolves to loopback only" >&2
        return 77
    fi
    ADDC_DIR=$MPRMON_TEST_TMP/addc
    ADDC_CONF=$ADDC_DIR/etc/smb.conf
    mkdir -p "$ADDC_DIR/run" || return 1
    # No --adminpass (it would be in argv): samba-tool makes up one, which
    # the tests never use.
    if ! samba-tool domain provision --realm="$ADDC_REALM" --domain=MPRMON \
        --server-role=dc --dns-backend=NONE \
        --host-name=dc1 --targetdir="$ADDC_DIR" \
        >"$ADDC_DIR/provision.out" 2>&1 </dev/null; then
        grep -vi password "$ADDC_DIR/provision.out" | tail -n 20 >&2
        echo "addc_start: samba-tool domain provision failed" >&2
        return 1
    fi
    _ac_try=1
    while :; do
        _addc_launch
        _ac_rc=$?
        [ "$_ac_rc" = 2 ] && [ "$_ac_try" -lt 5 ] || break
        echo "addc_start: a port was taken, trying others" >&2
        addc_stop
        _ac_try=$((_ac_try + 1))
    done
    [ "$_ac_rc" = 0 ] || return 1
    _addc_accounts
}

# _addc_launch: write smb.conf with fresh ports, start samba, wait until
# smbd and the KDC listen.  0, 1 (failed) or 2 (a port was taken).
_addc_launch() {
    ADDC_PORT=$(pick_port) && ADDC_KDC_PORT=$(pick_port) &&
        _ac_kpw=$(pick_port) || return 1
    cat >"$ADDC_CONF" <<EOF || return 1
[global]
	netbios name = DC1
	realm = $ADDC_REALM
	workgroup = MPRMON
	server role = active directory domain controller
	server services = s3fs, kdc, winbindd
	interfaces = 127.0.0.1 ::1
	bind interfaces only = yes
	smb ports = $ADDC_PORT
	krb5 port = $ADDC_KDC_PORT
	kpasswd port = $_ac_kpw
	private dir = $ADDC_DIR/private
	lock directory = $ADDC_DIR
	state directory = $ADDC_DIR/state
	cache directory = $ADDC_DIR/cache
	binddns dir = $ADDC_DIR/bind-dns
	pid directory = $ADDC_DIR
	ncalrpc dir = $ADDC_DIR/ncalrpc
	log file = $ADDC_DIR/log.%m
	logging = file
	log level = 1
[netlogon]
	path = $ADDC_DIR/state/sysvol/mprmon.test/scripts
	read only = No
[sysvol]
	path = $ADDC_DIR/state/sysvol
	read only = No
EOF
    KRB5_CONFIG=$ADDC_DIR/krb5.conf
    cat >"$KRB5_CONFIG" <<EOF || return 1
[libdefaults]
	default_realm = $ADDC_REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	dns_canonicalize_hostname = false
	rdns = false
[realms]
	$ADDC_REALM = {
		kdc = 127.0.0.1:$ADDC_KDC_PORT
	}
[domain_realm]
	$ADDC_NAME = $ADDC_REALM
EOF
    export KRB5_CONFIG
    # Its own session, so that addc_stop reaches every process it forks;
    # its own /run/samba (see the top of this file).  unshare and sh exec,
    # so the pid is samba's.
    setsid unshare -m sh -c 'mkdir -p /run/samba && mount --bind "$1" /run/samba && exec samba -i -s "$2"' \
        sh "$ADDC_DIR/run" "$ADDC_CONF" </dev/null >"$ADDC_DIR/samba.out" 2>&1 &
    _ADDC_PGID=$!
    peers_track "$_ADDC_PGID"
    _ac_end=$(($(date +%s) + 60))
    while [ "$(date +%s)" -le "$_ac_end" ]; do
        if ! kill -0 "$_ADDC_PGID" 2>/dev/null; then
            _addc_fail "samba exited during start-up"
            return 1
        fi
        if grep -qE "Failed to (bind|listen)|open_socket_in failed|Address already in use" \
            "$ADDC_DIR/samba.out" "$ADDC_DIR"/log.* 2>/dev/null; then
            return 2
        fi
        if _addc_listening "$ADDC_PORT" smbd && _addc_listening "$ADDC_KDC_PORT" kdc; then
            return 0
        fi
        sleep 0.1
    done
    _addc_fail "smbd and the KDC did not listen within 60 s"
}

# _addc_accounts: the test user (random password, keys exported to a
# keytab) and the SPN for the name the tests connect to.
_addc_accounts() {
    _ac_pw="Pw-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    ADDC_KEYTAB=$ADDC_DIR/user.keytab
    ADDC_AUTHFILE=$ADDC_DIR/auth
    if ! printf '%s\n%s\n' "$_ac_pw" "$_ac_pw" |
        samba-tool user add "$ADDC_USER" -s "$ADDC_CONF" >"$ADDC_DIR/user.out" 2>&1 ||
        ! samba-tool spn add "cifs/$ADDC_NAME" 'DC1$' -s "$ADDC_CONF" \
            >>"$ADDC_DIR/user.out" 2>&1 ||
        ! samba-tool spn add "host/$ADDC_NAME" 'DC1$' -s "$ADDC_CONF" \
            >>"$ADDC_DIR/user.out" 2>&1 ||
        ! samba-tool domain exportkeytab "$ADDC_KEYTAB" \
            --principal="$ADDC_USER@$ADDC_REALM" -s "$ADDC_CONF" \
            >>"$ADDC_DIR/user.out" 2>&1; then
        cat "$ADDC_DIR/user.out" >&2
        _addc_fail "could not create the test user"
        return 1
    fi
    chmod 600 "$ADDC_KEYTAB" || return 1
    (
        umask 077
        printf 'username = %s\npassword = %s\ndomain = MPRMON\n' \
            "$ADDC_USER" "$_ac_pw" >"$ADDC_AUTHFILE"
    ) || return 1
    export ADDC_NAME ADDC_PORT ADDC_KDC_PORT ADDC_REALM ADDC_USER ADDC_KEYTAB \
        ADDC_AUTHFILE ADDC_CONF ADDC_DIR
}

# addc_stop: stop the DC's whole session.  Safe to call twice.
addc_stop() {
    [ -n "$_ADDC_PGID" ] || return 0
    kill -- "-$_ADDC_PGID" 2>/dev/null
    _as_i=0
    while kill -0 "$_ADDC_PGID" 2>/dev/null && [ "$_as_i" -lt 50 ]; do
        sleep 0.1
        _as_i=$((_as_i + 1))
    done
    kill -9 -- "-$_ADDC_PGID" 2>/dev/null
    wait "$_ADDC_PGID" 2>/dev/null
    peers_untrack "$_ADDC_PGID"
    _ADDC_PGID=""
}
