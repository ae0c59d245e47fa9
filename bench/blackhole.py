#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/blackhole.py PORTFILE - a loopback TCP endpoint where connects hang.

It listens on 127.0.0.1 with the smallest backlog, never accepts, and
fills the accept queue with its own connections.  The kernel then drops
every further SYN, so a client's connect() waits until its own timeout:
the "router that does not answer" of the benchmarks, without iptables.

Writes the port to PORTFILE once the queue is full, then sleeps until
killed.
"""
import socket
import sys
import time


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: blackhole.py PORTFILE")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    # With backlog 0 Linux queues one connection; a few more make sure the
    # queue is full whatever the kernel's rounding.
    for _ in range(4):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.3)
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        probe.connect(("127.0.0.1", port))
        sys.exit("blackhole.py: a connect still succeeded; queue not full")
    except socket.timeout:
        pass
    finally:
        probe.close()
    with open(sys.argv[1], "w") as f:
        f.write("%d\n" % port)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
