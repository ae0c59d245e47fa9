#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scrape a prometheus-snmp-exporter and check samples in its answer.

usage: prometheus_scrape.py URL OUTFILE EXPECTATION...
An EXPECTATION is NAME{LABEL=VALUE,...}OP[NUMBER], the labels a subset of
the sample's; OP is = (equal), < (below), > (above), ! (no such sample),
? (present, any value).  Each expectation that does not hold prints a
FAIL line; the exit status is the number of them (capped at 100).
"""
import re
import sys
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
EXPECT = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}([=<>!?])(.*)$')


def parse(text):
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"unparsable line: {line!r}")
        labels = dict(LABEL.findall(m.group(2) or ""))
        samples.append((m.group(1), labels, float(m.group(3))))
    return samples


def check(samples, expectation):
    m = EXPECT.match(expectation)
    if not m:
        return f"bad expectation {expectation!r}"
    name, labels_text, op, number = m.groups()
    want = dict(kv.split("=", 1) for kv in labels_text.split(",") if kv)
    found = [v for n, l, v in samples
             if n == name and all(l.get(k) == v for k, v in want.items())]
    if op == "!":
        return f"{expectation}: present with {found}" if found else None
    if len(found) != 1:
        return f"{expectation}: {len(found)} samples match"
    value = found[0]
    ok = {"?": lambda: True,
          "=": lambda: value == float(number),
          "<": lambda: value < float(number),
          ">": lambda: value > float(number)}[op]()
    return None if ok else f"{expectation}: value is {value}"


def main(url, outfile, expectations):
    with urllib.request.urlopen(url, timeout=30) as answer:
        text = answer.read().decode("utf-8")
    with open(outfile, "w", encoding="utf-8") as f:
        f.write(text)
    samples = parse(text)
    failures = [msg for msg in (check(samples, e) for e in expectations) if msg]
    for msg in failures:
        print(f"FAIL: {msg}")
    return min(len(failures), 100)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2])
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
