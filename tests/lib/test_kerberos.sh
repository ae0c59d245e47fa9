#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test_kerberos.sh - Kerberos against a real Samba AD DC on loopback
# (tests/peers/samba_ad.sh), through mprmon-probe and the library:
#
#  1. a credentials cache made from a keytab (kinit -k, the recipe the docs
#     give), named by "ccache = FILE:..." in an auth file: the session is set
#     up with Kerberos (the cache gains the cifs/NAME service ticket), the
#     DC has no ROUTER pipe (1717) and its SCM answers about RemoteAccess
#     (1060: not installed); the same with a plain path, with DCE/RPC
#     integrity and privacy, and with SMB3 encryption required;
#  2. failures are Windows codes with a reason: the cache missing (5), made
#     group-readable (refused when the options are set), an address instead
#     of a name (87, nothing sent), a disabled account's ticket (5), a
#     keytab line (refused, naming the recipe);
#  3. NTLM against the same DC still works.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/peers/common.sh"
. "$top_srcdir/tests/peers/samba_ad.sh"

trap 'addc_stop; peers_cleanup' EXIT
trap 'exit 1' INT TERM HUP

PROBE="$top_builddir/cli/mprmon-probe"
FAILED=0
fail() {
    echo "FAIL: $*"
    FAILED=1
}

addc_start
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
echo "DC up: realm $ADDC_REALM, smbd port $ADDC_PORT, KDC port $ADDC_KDC_PORT, name $ADDC_NAME"

CC=$MPRMON_TEST_TMP/krb5cc
if ! kinit -k -t "$ADDC_KEYTAB" -c "FILE:$CC" "$ADDC_USER@$ADDC_REALM" \
    >"$MPRMON_TEST_TMP/kinit.out" 2>&1; then
    cat "$MPRMON_TEST_TMP/kinit.out"
    echo "FAIL: kinit from the keytab"
    exit 1
fi

# authfile NAME LINE...: a 0600 auth file with these lines; prints its path.
authfile() {
    _af=$MPRMON_TEST_TMP/$1.auth
    shift
    (umask 077 && printf '%s\n' "$@" >"$_af")
    printf '%s\n' "$_af"
}

# probe_json OUT ARGS...: run mprmon-probe --json, keep stdout and stderr.
probe_json() {
    _pj_out=$1
    shift
    "$PROBE" --json -p "$ADDC_PORT" -t 8000 "$@" >"$_pj_out" 2>"$_pj_out.err"
    echo "  mprmon-probe $*: $(cat "$_pj_out" "$_pj_out.err" | head -c 400)"
    # Nothing of Samba's (nor anything else) on the caller's stderr.
    if [ -s "$_pj_out.err" ]; then
        fail "stderr not empty: $(head -c 300 "$_pj_out.err")"
    fi
}

# expect OUT CODE SERVICE_CODE DETAIL_WORDS: check one JSON line.
expect() {
    "$PYTHON3_SYSTEM" - "$@" <<'PYEOF'
import json, sys
path, code, svc, words = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path) as f:
    lines = [l for l in f if l.strip()]
if len(lines) != 1:
    sys.exit("expected one JSON line, got %d" % len(lines))
r = json.loads(lines[0])
if r["code"] != code:
    sys.exit("code %s, expected %d (%s)" % (r["code"], code, r.get("detail")))
if svc != "-":
    got = r["service"]["code"] if r.get("service") else None
    if got != int(svc):
        sys.exit("service code %s, expected %s" % (got, svc))
detail = r.get("detail") or ""
for w in filter(None, words.split("|")):
    if w not in detail:
        sys.exit("detail %r lacks %r" % (detail, w))
PYEOF
}

check() {
    _ck_name=$1
    shift
    if _ck_why=$(expect "$@" 2>&1); then
        echo "ok: $_ck_name"
    else
        fail "$_ck_name: $_ck_why"
    fi
}

out=$MPRMON_TEST_TMP/out

# ---- 1. Kerberos works ----
KAUTH=$(authfile krb "ccache = FILE:$CC")
probe_json "$out" -A "$KAUTH" "$ADDC_NAME"
check "ccache FILE: -> session, no ROUTER pipe, SCM answers" "$out" 1717 1060 ""
if klist -c "FILE:$CC" 2>/dev/null | grep -q "cifs/$ADDC_NAME@$ADDC_REALM"; then
    echo "ok: the cache holds the cifs/$ADDC_NAME service ticket"
else
    fail "no cifs/$ADDC_NAME ticket in the cache: Kerberos was not used"
    klist -c "FILE:$CC"
fi

PAUTH=$(authfile krbpath "ccache = $CC")
probe_json "$out" -A "$PAUTH" "$ADDC_NAME"
check "ccache as a plain path" "$out" 1717 1060 ""

for level in integrity privacy; do
    probe_json "$out" -A "$KAUTH" -r "$level" "$ADDC_NAME"
    check "Kerberos with DCE/RPC $level" "$out" 1717 1060 ""
done

probe_json "$out" -A "$KAUTH" -e required "$ADDC_NAME"
check "Kerberos with SMB3 encryption required" "$out" 1717 1060 ""

# ---- 2. failures ----
MAUTH=$(authfile krbmissing "ccache = FILE:$MPRMON_TEST_TMP/no-such-cache")
probe_json "$out" -c -A "$MAUTH" "$ADDC_NAME"
check "missing cache -> 5 naming the cache" "$out" 5 - "Kerberos credentials cache|no-such-cache"

probe_json "$out" -c -A "$KAUTH" 127.0.0.1
check "an address with Kerberos -> 87" "$out" 87 - "host name"

# refused NAME AUTHFILE WORDS: mprmon-probe refuses the auth file before it
# connects (usage error), saying WORDS.
refused() {
    "$PROBE" -c -p "$ADDC_PORT" -A "$2" "$ADDC_NAME" >"$out" 2>&1
    _r_rc=$?
    echo "  $1: rc $_r_rc: $(head -c 300 "$out")"
    if [ "$_r_rc" -ne 0 ] && grep -qF -- "$3" "$out"; then
        echo "ok: $1 is refused before connecting"
    else
        fail "$1: rc $_r_rc"
    fi
}

cp "$CC" "$MPRMON_TEST_TMP/open-cache" && chmod 640 "$MPRMON_TEST_TMP/open-cache"
refused "a group-readable cache" \
    "$(authfile krbopen "ccache = FILE:$MPRMON_TEST_TMP/open-cache")" \
    "open-cache: mode 0640"
refused "a keytab line" "$(authfile keytab "keytab = $ADDC_KEYTAB")" k5start

# A ticket-granting ticket of an account disabled after it was issued: the
# KDC refuses the service ticket.
CC2=$MPRMON_TEST_TMP/krb5cc-disabled
if kinit -k -t "$ADDC_KEYTAB" -c "FILE:$CC2" "$ADDC_USER@$ADDC_REALM" >/dev/null 2>&1 &&
    samba-tool user disable "$ADDC_USER" -s "$ADDC_CONF" >/dev/null 2>&1; then
    DAUTH=$(authfile krbdisabled "ccache = FILE:$CC2")
    probe_json "$out" -c -A "$DAUTH" "$ADDC_NAME"
    check "disabled account -> 5" "$out" 5 - ""
    samba-tool user enable "$ADDC_USER" -s "$ADDC_CONF" >/dev/null 2>&1 ||
        fail "could not enable the user again"
else
    fail "could not set up the disabled-account case"
fi

# ---- 3. NTLM on the same DC ----
probe_json "$out" -A "$ADDC_AUTHFILE" "$ADDC_NAME"
check "NTLM (user and password) on the same DC" "$out" 1717 1060 ""

exit "$FAILED"
