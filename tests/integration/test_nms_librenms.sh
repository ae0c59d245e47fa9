#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# integrations/librenms/ checked for structure against LibreNMS's rules and
# for every name and number against MPRMON-MIB (LibreNMS itself is not in
# Debian; librenms_check.py says what it checks).  Broken copies must be
# refused, so that the check is known to bite.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
CHECK="$PYTHON3_SYSTEM $top_srcdir/tests/integration/librenms_check.py"
MIB=$top_srcdir/mibs/MPRMON-MIB.txt
OS=$top_srcdir/integrations/librenms/mprmon.yaml
DISCOVERY=$top_srcdir/integrations/librenms/discovery/mprmon.yaml
if ! "$PYTHON3_SYSTEM" -c 'import yaml' 2>/dev/null; then
    echo "SKIP: $PYTHON3_SYSTEM has no yaml module (python3-yaml)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mprmon-librenms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

if $CHECK "$MIB" "$OS" "$DISCOVERY"; then
    echo "ok: the shipped definitions"
else
    echo "FAIL: the shipped definitions"; fails=$((fails + 1))
fi

# refused WHAT SED-SCRIPT FILE EXPECTED: a copy of FILE edited by
# SED-SCRIPT must fail with a line matching EXPECTED.
refused() {
    mkdir -p "$tmp/discovery"
    cp "$OS" "$tmp/mprmon.yaml" && cp "$DISCOVERY" "$tmp/discovery/mprmon.yaml"
    sed -i "$2" "$tmp/$3"
    out=$($CHECK "$MIB" "$tmp/mprmon.yaml" "$tmp/discovery/mprmon.yaml")
    if [ $? -ne 0 ] && printf '%s\n' "$out" | grep -Eq "$4"; then
        echo "ok: refused: $1"
    else
        echo "FAIL: not refused: $1: $out"; fails=$((fails + 1))
    fi
}
refused "a misspelt column" 's/value: mprRouterServiceState/value: mprRouterServicState/' \
    discovery/mprmon.yaml 'no column of mprRouterTable'
refused "a num_oid of another column" 's/4173\.1\.2\.1\.5\./4173.1.2.1.6./' \
    discovery/mprmon.yaml 'num_oid'
refused "a state missing" '/value: 3, generic: 2, graph: 1, descr: notInstalled/d' \
    discovery/mprmon.yaml "are not mprRouterServiceState's values"
refused "generic out of range" 's/value: 5, generic: 3/value: 5, generic: 4/' \
    discovery/mprmon.yaml 'generic must be'
refused "an unknown key" 's/state_name: mprRouterConnState/state_nam: mprRouterConnState/' \
    discovery/mprmon.yaml 'unknown key state_nam'
refused "a descr naming no column" 's/{{ \$mprRouterName }} connection/{{ $mprRouterNom }} connection/' \
    discovery/mprmon.yaml 'descr uses mprRouterNom'
refused "an OS name unlike the file's" 's/^os: mprmon$/os: mprmon2/' \
    mprmon.yaml "is not the discovery file's name"
refused "an snmpget of no object" 's/4173\.1\.1\.1\.0/4173.1.1.9.0/' \
    mprmon.yaml 'is no object of MPRMON-MIB'

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "PASS"
