#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerate snmp.yml: prometheus-snmp-generator on generator.yml, then
# rename.py.  The generator needs the MPRMON-MIB and the IETF MIBs it
# imports (SNMPv2-SMI, -TC, -CONF; NET-SNMP-MIB comes with libsnmp-base):
#   MIBDIRS=/path/to/ietf/mibs integrations/prometheus/generate.sh [OUTPUT]
# Users of the shipped snmp.yml need none of this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/snmp.yml}
: "${PROMETHEUS_SNMP_GENERATOR:=prometheus-snmp-generator}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mprmon-generate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$here/generator.yml" "$tmp/generator.yml"
(
    cd "$tmp"
    MIBDIRS="$here/../../mibs:${MIBDIRS:-}:/usr/share/snmp/mibs" \
        "$PROMETHEUS_SNMP_GENERATOR" generate -o "$tmp/generated.yml" >"$tmp/log" 2>&1 ||
        { cat "$tmp/log" >&2; exit 1; }
)
"$PYTHON3_SYSTEM" "$here/rename.py" "$tmp/generated.yml" >"$tmp/snmp.yml"
mv "$tmp/snmp.yml" "$out"
