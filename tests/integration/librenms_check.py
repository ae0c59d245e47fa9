#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check integrations/librenms/ against LibreNMS's definition rules and MPRMON-MIB.

LibreNMS is not in Debian, so its own schema check cannot run here.  This
encodes the rules LibreNMS's OS and discovery schemas state for what the
files use (required and allowed keys, types, the num_oid form, state
entries with generic 0-3) and checks every name and number against the
MIB: each oid a table, each value one of its columns, each num_oid that
column's OID, each {{ $column }} in a descr a column, each state set the
column's enumeration.

usage: librenms_check.py MIB OS-YAML DISCOVERY-YAML
Prints one line per problem; exits 1 if there is any.
"""
import os
import re
import sys

import yaml

# netSnmpExperimental (NET-SNMP-MIB), under which MPRMON-MIB lives.
ROOTS = {"netSnmpExperimental": ".1.3.6.1.4.1.8072.9999"}
COMPARISONS = {"=", "!=", "==", "!==", "<=", ">=", "<", ">", "starts", "ends",
               "contains", "regex", "not_starts", "not_ends", "not_contains",
               "not_regex", "in_array", "not_in_array", "exists"}
OS_KEYS = {"os", "text", "type", "group", "icon", "mib_dir", "discovery", "over",
           "discovery_modules", "poller_modules", "ifname", "snmp_bulk"}
OS_REQUIRED = {"os", "text", "type", "discovery"}
OS_DISCOVERY_KEYS = {"sysObjectID", "sysObjectID_except", "sysObjectID_regex",
                     "sysDescr", "sysDescr_regex", "snmpget", "snmpget_except", "snmpwalk"}
SENSOR_CLASSES = {"state", "voltage", "fanspeed", "temperature", "humidity", "airflow",
                  "current", "frequency", "power", "pressure", "cooling", "charge",
                  "runtime", "dbm", "load", "delay", "quality_factor", "snr",
                  "waterflow", "eer", "chromatic_dispersion"}
SENSOR_KEYS = {"oid", "num_oid", "index", "descr", "divisor", "multiplier", "value",
               "group", "low_limit", "low_warn_limit", "warn_limit", "high_limit",
               "skip_value_lt", "skip_value_gt", "skip_values", "snmp_flags",
               "entPhysicalIndex", "user_func"}
STATE_KEYS = (SENSOR_KEYS - {"divisor", "multiplier"}) | {"states", "state_name"}
STATE_NUM_OID = re.compile(r"^(\.\d+)+(\.?\{\{ \$index \}\})?(\.\d+)*$")
SENSOR_NUM_OID = re.compile(r"^(\.\d+)+\.?\{\{ \$index \}\}(\.\d+)*$")
STATE_ENTRY_KEYS = {"value", "descr", "graph", "generic"}


class Mib:
    """Names, numeric OIDs, parents and enumerations of one MIB module."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"--[^\n]*", "", f.read())
        self.module = re.match(r"\s*([A-Za-z0-9-]+)\s+DEFINITIONS", text).group(1)
        self.parent, self.enums, self.oid = {}, {}, dict(ROOTS)
        pattern = re.compile(r"\b([a-z][A-Za-z0-9]*)\s+(OBJECT-TYPE|OBJECT IDENTIFIER|"
                             r"MODULE-IDENTITY|NOTIFICATION-TYPE|OBJECT-GROUP|"
                             r"NOTIFICATION-GROUP|MODULE-COMPLIANCE)(.*?)::=\s*\{\s*"
                             r"([A-Za-z0-9]+)\s+(\d+)\s*\}", re.S)
        for name, _, body, parent, number in pattern.findall(text):
            self.parent[name] = (parent, number)
            syntax = re.search(r"SYNTAX\s+(INTEGER\s*\{[^}]*\}|TruthValue)", body)
            if syntax and syntax.group(1) == "TruthValue":
                self.enums[name] = {1: "true", 2: "false"}
            elif syntax:
                self.enums[name] = {int(n): label for label, n in
                                    re.findall(r"([a-zA-Z]+)\((\d+)\)", syntax.group(1))}

    def numeric(self, name):
        if name not in self.oid:
            parent, number = self.parent[name]
            self.oid[name] = self.numeric(parent) + "." + number
        return self.oid[name]

    def columns(self, table):
        """The columns of TABLE, through its one entry."""
        entries = [n for n, (p, _) in self.parent.items() if p == table]
        return {n for n, (p, _) in self.parent.items() if entries and p == entries[0]}


def check_keys(problems, where, item, allowed, required):
    if not isinstance(item, dict):
        problems.append(f"{where}: not a mapping")
        return False
    for key in sorted(set(item) - allowed):
        problems.append(f"{where}: unknown key {key}")
    for key in sorted(required - set(item)):
        problems.append(f"{where}: {key} is required")
    return True


def check_os(problems, mib, definition, discovery_path):
    check_keys(problems, "os", definition, OS_KEYS, OS_REQUIRED)
    name = os.path.splitext(os.path.basename(discovery_path))[0]
    if definition.get("os") != name:
        problems.append(f"os: {definition.get('os')!r} is not the discovery file's name {name!r}")
    for i, rule in enumerate(definition.get("discovery") or []):
        where = f"os discovery[{i}]"
        if not check_keys(problems, where, rule, OS_DISCOVERY_KEYS, set()) or not rule:
            continue
        oid = rule.get("sysObjectID", "")
        if oid and not re.fullmatch(r"(\.\d+)+\.?", str(oid)):
            problems.append(f"{where}: sysObjectID {oid!r} is not numeric")
        get = rule.get("snmpget")
        if get is not None and check_keys(problems, where + " snmpget", get,
                                          {"oid", "op", "value", "mib", "mib_dir", "options"},
                                          {"oid", "value"}):
            if get.get("op", "=") not in COMPARISONS:
                problems.append(f"{where}: op {get.get('op')!r} is not a comparison")
            if not isinstance(get.get("value"), (str, bool)):
                problems.append(f"{where}: value must be a string")
            scalars = {mib.numeric(n) + ".0" for n in mib.parent}
            if get.get("oid") not in scalars:
                problems.append(f"{where}: snmpget oid {get.get('oid')} is no object of {mib.module}")


def check_sensor(problems, mib, where, sensor, is_state):
    keys, num_oid = (STATE_KEYS, STATE_NUM_OID) if is_state else (SENSOR_KEYS, SENSOR_NUM_OID)
    required = {"descr", "num_oid", "oid"} | ({"states"} if is_state else set())
    if not check_keys(problems, where, sensor, keys, required):
        return
    table, value = sensor.get("oid"), sensor.get("value")
    columns = mib.columns(table)
    if not columns:
        problems.append(f"{where}: oid {table} is no table of {mib.module}")
        return
    if value not in columns:
        problems.append(f"{where}: value {value} is no column of {table}")
        return
    want = mib.numeric(value) + ".{{ $index }}"
    if not num_oid.match(str(sensor.get("num_oid"))) or sensor.get("num_oid") != want:
        problems.append(f"{where}: num_oid {sensor.get('num_oid')!r}, wanted {want!r}")
    for name in re.findall(r"\{\{ \$([A-Za-z0-9]+) \}\}", sensor.get("descr", "")):
        if name != "index" and name not in columns:
            problems.append(f"{where}: descr uses {name}, no column of {table}")
    if "divisor" in sensor and not isinstance(sensor["divisor"], int):
        problems.append(f"{where}: divisor must be an integer")
    if is_state:
        check_states(problems, mib, where, value, sensor.get("states"))


def check_states(problems, mib, where, column, states):
    if not isinstance(states, list) or not states:
        problems.append(f"{where}: states must be a non-empty list")
        return
    for j, state in enumerate(states):
        here = f"{where} states[{j}]"
        if not check_keys(problems, here, state, STATE_ENTRY_KEYS, STATE_ENTRY_KEYS):
            continue
        for key in ("value", "graph", "generic"):
            if not isinstance(state.get(key), int):
                problems.append(f"{here}: {key} must be an integer")
        if state.get("generic") not in (0, 1, 2, 3):
            problems.append(f"{here}: generic must be 0 (ok) to 3 (unknown)")
    values = {s.get("value") for s in states if isinstance(s, dict)}
    enum = set(mib.enums.get(column, {}))
    if values != enum:
        problems.append(f"{where}: states {sorted(values)} are not {column}'s values {sorted(enum)}")


def check_discovery(problems, mib, discovery):
    check_keys(problems, "discovery", discovery, {"mib", "modules"}, {"modules"})
    if discovery.get("mib") != mib.module:
        problems.append(f"discovery: mib {discovery.get('mib')!r} is not {mib.module}")
    sensors = (discovery.get("modules") or {}).get("sensors") or {}
    if not sensors:
        problems.append("discovery: no sensors")
    for cls, body in sensors.items():
        if cls not in SENSOR_CLASSES:
            problems.append(f"sensors: unknown class {cls}")
            continue
        if not check_keys(problems, f"sensors.{cls}", body, {"data", "options"}, {"data"}):
            continue
        for i, sensor in enumerate(body.get("data") or []):
            check_sensor(problems, mib, f"sensors.{cls}[{i}]", sensor, cls == "state")


def main(mib_path, os_path, discovery_path):
    mib = Mib(mib_path)
    problems = []
    with open(os_path, encoding="utf-8") as f:
        check_os(problems, mib, yaml.safe_load(f), discovery_path)
    with open(discovery_path, encoding="utf-8") as f:
        check_discovery(problems, mib, yaml.safe_load(f))
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-2])
    sys.exit(main(*sys.argv[1:]))
