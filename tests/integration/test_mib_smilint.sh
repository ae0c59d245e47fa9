#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# MPRMON-MIB must pass smilint at level 6 without a single message.
# Debian ships no IETF base modules (SNMPv2-SMI ...); ../shared/mibs has
# them for tests, so without it the check cannot run.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
shared_mibs="$top_srcdir/../shared/mibs"
if [ ! -f "$shared_mibs/SNMPv2-SMI.txt" ]; then
    echo "SKIP: $shared_mibs (IETF base MIBs) is absent; smilint cannot resolve imports"
    exit 77
fi
if ! command -v smilint >/dev/null 2>&1; then
    echo "SKIP: smilint (smitools) is not installed"
    exit 77
fi
out=$(SMIPATH="$top_srcdir/mibs:$shared_mibs:/usr/share/snmp/mibs" \
      smilint -l 6 "$top_srcdir/mibs/MPRMON-MIB.txt" 2>&1)
rc=$?
if [ -n "$out" ] || [ "$rc" -ne 0 ]; then
    echo "FAIL: smilint -l 6 reported (rc=$rc):"
    echo "$out"
    exit 1
fi
echo "PASS: smilint -l 6 mibs/MPRMON-MIB.txt is clean"
exit 0
