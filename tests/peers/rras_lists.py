# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_lists.py - what the RRAS test peer lists on \PIPE\ROUTER:
# interfaces, connections and ports, with paging, from a content file the
# tests can rewrite while the peer runs.
#
# [MS-RRASM] calls served:
#   3.1.4.2  RRasAdminConnectionEnum (opnum 1)   levels 0, 1
#   3.1.4.5  RRasAdminPortEnum (opnum 4)         level 0
#   3.1.4.14 RRouterInterfaceGetInfo (opnum 13)  level 0
#   3.1.4.21 RRouterInterfaceEnum (opnum 20)     level 0
# Requests: dwLevel, [PortEnum: hRasConnection], the DIM_INFORMATION_
# CONTAINER (sent empty), then dwPreferedMaximumLength and the unique
# lpdwResumeHandle (GetInfo: hInterface instead).  Replies: the container
# with an array of flat structures (2.2.1.2.75 RASI_PORT_0, .77/.78
# RASI_CONNECTION_0/1, .81 MPRI_INTERFACE_0: DWORD handles, fixed WCHAR
# arrays, C alignment), entries read, total entries, the resume handle,
# the return code.  Paging: a page holds dwPreferedMaximumLength // stride
# entries (at least one; all for 0xFFFFFFFF); the resume handle is the
# index of the next entry; ERROR_MORE_DATA while entries remain.
#
# The content file (JSON), re-read whenever it changes:
#   {"interfaces": [{"name": "Branch-Paris", "handle": 17, "enabled": 1,
#                    "type": 2, "state": 3, "unreachable": 0,
#                    "last_error": 0}, ...],
#    "connections": [{"handle": 5, "interface": 17, "interface_name": "...",
#                     "type": 0, "duration": 60, "flags": 1, "user": "...",
#                     "domain": "...", "computer": "...", "address": "...",
#                     "remote_address": "...", "bytes_out": 1, "bytes_in": 2,
#                     "frames_out": 3, "frames_in": 4, "errors": 0}, ...],
#    "ports": [{"handle": 1, "connection": 5, "condition": 5, "calls": 1,
#               "duration": 60, "name": "VPN1-1", "media": "rastapi",
#               "device": "WAN Miniport (SSTP)", "type": "vpn"}, ...],
#    "generate": {"interfaces": 500, "connections": 5000, "ports": 5000},
#    "packed": false,
#    "hostile": {"list": "connections", "mode": "count-lies"}}
# Missing keys take the defaults below.  "generate" appends that many
# made-up entries to a list (deterministic names).  "packed" lays the
# arrays out without C's trailing padding.  Hostile modes (the named
# list's replies only): count-lies (one entry more than the buffer
# holds), total-lies (total below entries read), no-terminator (the first
# entry's first string fills its array), endless-resume (ERROR_MORE_DATA
# and the same resume handle forever), huge-size (the container claims
# 0xFFFFFFF0 bytes).

import json
import logging
import os
import struct

from rras_dcerpc import RpcFault, NCA_S_FAULT_NDR

LOG = logging.getLogger('rras_peer.lists')

OPNUM_CONNECTION_ENUM = 1
OPNUM_PORT_ENUM = 4
OPNUM_INTERFACE_GET_INFO = 13
OPNUM_INTERFACE_ENUM = 20

ERROR_SUCCESS = 0
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_HANDLE = 6
ERROR_INVALID_LEVEL = 124
ERROR_MORE_DATA = 234

REFERENT_ID = 0x00020000
ALL_PORTS = 0xFFFFFFFF
HOSTILE_MODES = ('count-lies', 'total-lies', 'no-terminator',
                 'endless-resume', 'huge-size')

DEFAULT_CONTENT = {
    'interfaces': [
        {'name': 'Internal', 'handle': 1, 'type': 4, 'state': 3},
        {'name': 'Loopback', 'handle': 2, 'type': 5, 'state': 3},
        {'name': 'Ethernet', 'handle': 3, 'type': 3, 'state': 3},
        {'name': 'Branch-Paris', 'handle': 17, 'type': 2, 'state': 3},
        {'name': 'Branch-Lyon', 'handle': 18, 'type': 2, 'state': 0,
         'unreachable': 4, 'last_error': 678},
    ],
    'connections': [
        {'handle': 101, 'interface': 17, 'interface_name': 'Branch-Paris',
         'type': 2, 'duration': 3600, 'user': 'Branch-Paris',
         'domain': 'CORP', 'computer': 'PARIS-RTR', 'address': '10.8.0.1',
         'remote_address': '10.8.0.2', 'bytes_out': 1048576,
         'bytes_in': 2097152, 'frames_out': 1000, 'frames_in': 2000},
        {'handle': 102, 'interface': 30, 'interface_name': 'alice',
         'type': 0, 'duration': 120, 'user': 'alice', 'domain': 'CORP',
         'computer': 'LAPTOP-7', 'address': '10.8.0.1',
         'remote_address': '10.8.0.50', 'bytes_out': 4096,
         'bytes_in': 8192, 'frames_out': 40, 'frames_in': 80},
    ],
    'ports': [
        {'handle': 1, 'connection': 101, 'condition': 5, 'calls': 3,
         'duration': 3600, 'name': 'VPN1-1', 'media': 'rastapi',
         'device': 'WAN Miniport (IKEv2)', 'type': 'vpn'},
        {'handle': 2, 'connection': 102, 'condition': 5, 'calls': 9,
         'duration': 120, 'name': 'VPN2-1', 'media': 'rastapi',
         'device': 'WAN Miniport (SSTP)', 'type': 'vpn'},
        {'handle': 3, 'condition': 3, 'name': 'VPN2-2', 'media': 'rastapi',
         'device': 'WAN Miniport (SSTP)', 'type': 'vpn'},
        {'handle': 4, 'condition': 3, 'name': 'VPN3-1', 'media': 'rastapi',
         'device': 'WAN Miniport (L2TP)', 'type': 'vpn'},
    ],
}


def wstr(text, units, terminated=True):
    """A fixed WCHAR[units] array holding text (cut to fit its NUL)."""
    if not terminated:
        return ('A' * units).encode('utf-16-le')
    raw = str(text).encode('utf-16-le')[:2 * (units - 1)]
    return raw + b'\x00' * (2 * units - len(raw))


def pad(raw, align):
    return raw + b'\x00' * (-len(raw) % align)


def pack_interface(e, terminated=True):
    return (pad(wstr(e.get('name', ''), 257, terminated), 4) +
            struct.pack('<6I', e.get('handle', 0), e.get('enabled', 1),
                        e.get('type', 2), e.get('state', 1),
                        e.get('unreachable', 0), e.get('last_error', 0)))


def pack_connection_0(e, terminated=True):
    return (struct.pack('<5I', e.get('handle', 0), e.get('interface', 0),
                        e.get('duration', 0), e.get('type', 0),
                        e.get('flags', 1)) +
            wstr(e.get('interface_name', ''), 257, terminated) +
            wstr(e.get('user', ''), 257) + wstr(e.get('domain', ''), 16) +
            wstr(e.get('computer', ''), 17))


def pack_connection_1(e, terminated=True):
    ppp = (pad(struct.pack('<I', 0) + wstr('', 17, terminated), 4) +
           struct.pack('<I', e.get('ip_error', 0)) +
           wstr(e.get('address', ''), 16) +
           wstr(e.get('remote_address', ''), 16) +
           pad(struct.pack('<I', 0) + wstr('', 23), 4) +
           pad(struct.pack('<I', 0) + wstr('', 33), 4))
    errors = e.get('errors', 0)
    return (struct.pack('<2I', e.get('handle', 0), e.get('interface', 0)) +
            ppp +
            struct.pack('<12I', e.get('bytes_out', 0), e.get('bytes_in', 0),
                        e.get('frames_out', 0), e.get('frames_in', 0),
                        errors, 0, 0, 0, 0, 0, 100, 100))


def pack_port(e, terminated=True):
    return (struct.pack('<5I', e.get('handle', 0), e.get('connection', 0),
                        e.get('condition', 3), e.get('calls', 0),
                        e.get('duration', 0)) +
            wstr(e.get('name', ''), 17, terminated) +
            wstr(e.get('media', ''), 17) + wstr(e.get('device', ''), 129) +
            wstr(e.get('type', 'vpn'), 17))


# (list, level) -> (packer, C's aligned size)
PACKERS = {
    ('interfaces', 0): (pack_interface, 540),
    ('connections', 0): (pack_connection_0, 1116),
    ('connections', 1): (pack_connection_1, 288),
    ('ports', 0): (pack_port, 380),
}


def generated(kind, count):
    """count made-up entries of a list, the same every time."""
    out = []
    for i in range(count):
        n = i + 1
        if kind == 'interfaces':
            out.append({'name': 'Site-%05d' % n, 'handle': 1000 + n,
                        'type': 2, 'state': 3 if n % 10 else 0,
                        'unreachable': 0 if n % 10 else 4,
                        'last_error': 0 if n % 10 else 678})
        elif kind == 'connections':
            out.append({'handle': 100000 + n, 'interface': 200000 + n,
                        'interface_name': 'user%05d' % n,
                        'type': 0, 'duration': n, 'user': 'user%05d' % n,
                        'domain': 'CORP', 'computer': 'PC-%05d' % n,
                        'address': '10.8.0.1',
                        'remote_address': '10.9.%d.%d' % (n // 250,
                                                           n % 250 + 1),
                        'bytes_out': n * 1000, 'bytes_in': n * 2000,
                        'frames_out': n, 'frames_in': 2 * n})
        else:
            out.append({'handle': 100000 + n, 'connection': 100000 + n,
                        'condition': 5, 'calls': 1, 'duration': n,
                        'name': 'VPN%d-%d' % (n // 100, n % 100),
                        'media': 'rastapi',
                        'device': 'WAN Miniport (SSTP)', 'type': 'vpn'})
    return out


class RouterLists:
    """The content file's lists, re-read when the file changes."""

    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.content = self._complete({})

    def _complete(self, raw):
        content = {k: list(raw.get(k, DEFAULT_CONTENT[k]))
                   for k in ('interfaces', 'connections', 'ports')}
        for kind, count in raw.get('generate', {}).items():
            content[kind] = content[kind] + generated(kind, int(count))
        content['packed'] = bool(raw.get('packed', False))
        content['hostile'] = raw.get('hostile')
        return content

    def get(self):
        if self.path is None:
            return self.content
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            if stamp != self.stamp:
                with open(self.path, encoding='utf-8') as f:
                    self.content = self._complete(json.load(f))
                self.stamp = stamp
        except (OSError, ValueError) as e:
            LOG.error('content file %s: %s (keeping the last content)',
                      self.path, e)
        return self.content


def lists_file_ok(path):
    """Check a --lists-file at start-up; returns an error text or None."""
    if path is None:
        return None
    try:
        with open(path, encoding='utf-8') as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        return 'lists file %s: %s' % (path, e)
    hostile = raw.get('hostile')
    if hostile and hostile.get('mode') not in HOSTILE_MODES:
        return 'lists file %s: hostile mode must be one of %s' % (
            path, ', '.join(HOSTILE_MODES))
    return None


def container(buf, claimed=None):
    """NDR of a DIM_INFORMATION_CONTAINER holding buf (None: NULL)."""
    if buf is None:
        return struct.pack('<II', 0, 0)
    size = len(buf) if claimed is None else claimed
    out = struct.pack('<III', size, REFERENT_ID, size) + buf
    return pad(out, 4)


def parse_request(stub, with_connection):
    """(level, connection, pref_max, resume or None) of an enum request."""
    try:
        words = list(struct.unpack_from('<3I', stub, 0))
        off = 12
        if with_connection:
            words.append(struct.unpack_from('<I', stub, off)[0])
            off += 4
            level, connection, size = words[0], words[1], words[2]
            ref = words[3]
        else:
            level, size, ref = words
            connection = ALL_PORTS
        if size != 0 or ref != 0:
            raise RpcFault(NCA_S_FAULT_NDR, 'the container must come empty')
        pref_max, resume_ref = struct.unpack_from('<II', stub, off)
        off += 8
        resume = None
        if resume_ref:
            (resume,) = struct.unpack_from('<I', stub, off)
            off += 4
    except struct.error:
        raise RpcFault(NCA_S_FAULT_NDR, 'stub of %d bytes' % len(stub))
    if off != len(stub):
        raise RpcFault(NCA_S_FAULT_NDR, 'trailing bytes in the request')
    return level, connection, pref_max, resume


def enum_reply(buf, read, total, resume, status, claimed=None):
    out = container(buf, claimed) + struct.pack('<II', read, total)
    if resume is None:
        out += struct.pack('<I', 0)
    else:
        out += struct.pack('<II', REFERENT_ID, resume)
    return out + struct.pack('<I', status)


def serve_page(content, kind, level, entries, pref_max, resume):
    """The reply to one enumeration request over entries."""
    packer, aligned = PACKERS[(kind, level)]
    hostile = content['hostile'] or {}
    mode = hostile.get('mode') if hostile.get('list') == kind else None
    start = resume or 0
    if start > len(entries):
        start = len(entries)
    stride = aligned
    if pref_max == 0xFFFFFFFF:
        count = len(entries) - start
    else:
        count = min(max(1, pref_max // stride), len(entries) - start)
    page = entries[start:start + count]
    blobs = [packer(e, not (mode == 'no-terminator' and i == 0))
             for i, e in enumerate(page)]
    if content['packed']:
        blobs = [b[:len(packer({}))] for b in blobs]
    buf = b''.join(pad(b, 1 if content['packed'] else 4) for b in blobs)
    total = len(entries) - start
    nxt = start + count
    status = ERROR_MORE_DATA if nxt < len(entries) else ERROR_SUCCESS
    read = len(page)
    claimed = None
    if mode == 'count-lies':
        read += 1
        total = max(total, read)
    elif mode == 'total-lies':
        total = 0 if read else total
    elif mode == 'endless-resume':
        status, nxt = ERROR_MORE_DATA, start
    elif mode == 'huge-size':
        claimed = 0xFFFFFFF0
    LOG.info('%s level %d from %d: %d of %d entries, %d bytes, status %d',
             kind, level, start, read, total, len(buf), status)
    if resume is None:
        nxt = None
    elif status == ERROR_SUCCESS:
        nxt = 0
    return enum_reply(buf if page else None, read, total, nxt, status,
                      claimed)


def make_handlers(lists, deny):
    """The opnum -> handler map of these calls, for the DIMSVC interface."""

    def refuse(code):
        return enum_reply(None, 0, 0, None, code)

    def enum_of(kind, with_connection=False):
        def handler(_state, stub):
            level, connection, pref_max, resume = parse_request(
                stub, with_connection)
            if deny:
                return refuse(ERROR_ACCESS_DENIED)
            if (kind, level) not in PACKERS:
                return refuse(ERROR_INVALID_LEVEL)
            content = lists.get()
            entries = content[kind]
            if kind == 'ports' and connection != ALL_PORTS:
                entries = [p for p in entries
                           if p.get('connection', 0) == connection]
            return serve_page(content, kind, level, entries, pref_max,
                              resume)
        return handler

    def interface_get_info(_state, stub):
        try:
            level, size, ref, handle = struct.unpack('<4I', stub)
        except struct.error:
            raise RpcFault(NCA_S_FAULT_NDR, 'stub of %d bytes' % len(stub))
        if size != 0 or ref != 0:
            raise RpcFault(NCA_S_FAULT_NDR, 'the container must come empty')
        tail = struct.pack('<I', ERROR_INVALID_LEVEL)
        if deny:
            return container(None) + struct.pack('<I', ERROR_ACCESS_DENIED)
        if level != 0:
            return container(None) + tail
        for e in lists.get()['interfaces']:
            if e.get('handle') == handle:
                LOG.info('RRouterInterfaceGetInfo %d -> %s', handle,
                         e.get('name'))
                return (container(pack_interface(e)) +
                        struct.pack('<I', ERROR_SUCCESS))
        return container(None) + struct.pack('<I', ERROR_INVALID_HANDLE)

    return {
        OPNUM_CONNECTION_ENUM: enum_of('connections'),
        OPNUM_PORT_ENUM: enum_of('ports', with_connection=True),
        OPNUM_INTERFACE_GET_INFO: interface_get_info,
        OPNUM_INTERFACE_ENUM: enum_of('interfaces'),
    }
