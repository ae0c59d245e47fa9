#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped snmp.yml is what generate.sh makes from generator.yml and the
# MIB today: a MIB column added or renamed without regenerating fails here.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export PYTHON3_SYSTEM
GENERATOR=${PROMETHEUS_SNMP_GENERATOR:-/usr/bin/prometheus-snmp-generator}
IETF_MIBS=$top_srcdir/../shared/mibs
if [ ! -x "$GENERATOR" ]; then
    echo "SKIP: $GENERATOR (prometheus-snmp-exporter) is not installed"
    exit 77
fi
if [ ! -f "$IETF_MIBS/SNMPv2-SMI.txt" ]; then
    echo "SKIP: the generator needs the IETF base MIBs, not found in $IETF_MIBS"
    exit 77
fi
out=$(mktemp "${TMPDIR:-/tmp}/mprmon-snmp-yml.XXXXXX")
trap 'rm -f "$out"' EXIT
PROMETHEUS_SNMP_GENERATOR=$GENERATOR MIBDIRS=$IETF_MIBS \
    "$top_srcdir/integrations/prometheus/generate.sh" "$out" || { echo "FAIL: generate.sh"; exit 1; }
if ! diff -u "$top_srcdir/integrations/prometheus/snmp.yml" "$out"; then
    echo "FAIL: integrations/prometheus/snmp.yml is out of date: run"
    echo "  MIBDIRS=../shared/mibs integrations/prometheus/generate.sh"
    exit 1
fi
echo "PASS"
