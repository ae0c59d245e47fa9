#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One call of the Zabbix 6.0 JSON-RPC API, as the default Admin account.

usage: zabbix_api.py URL METHOD JSON-PARAMS   prints the result as JSON
       zabbix_api.py URL import FILE          configuration.import of a
                                              YAML export, creating and
                                              updating everything in it
An API error is printed to stderr and exits 1.
"""
import json
import sys
import urllib.request


def call(url, method, params, auth=None):
    body = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
    if auth:
        body["auth"] = auth
    request = urllib.request.Request(url, json.dumps(body).encode("utf-8"),
                                     {"Content-Type": "application/json-rpc"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        reply = json.load(answer)
    if "error" in reply:
        sys.exit(f"{method}: {reply['error'].get('message')} {reply['error'].get('data')}")
    return reply["result"]


def import_rules():
    everything = {"createMissing": True, "updateExisting": True}
    rules = {kind: dict(everything) for kind in
             ("templates", "items", "discoveryRules", "triggers", "valueMaps")}
    rules["groups"] = {"createMissing": True}
    return rules


def main(url, method, argument):
    auth = call(url, "user.login", {"username": "Admin", "password": "zabbix"})
    if method == "import":
        with open(argument, encoding="utf-8") as f:
            params = {"format": "yaml", "source": f.read(), "rules": import_rules()}
        method = "configuration.import"
    else:
        params = json.loads(argument)
    print(json.dumps(call(url, method, params, auth)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    main(*sys.argv[1:])
