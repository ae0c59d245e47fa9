# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_hostile.py - a DCE/RPC server gone bad, for the RRAS
# test peer's --hostile MODE.
#
# The peer answers the bind and every call like a good server, except the
# one reply the mode targets, which it replaces with a hostile one:
# truncated, oversized, lying about its lengths, fragmented wrongly, endless
# or stalled.  Clients must come back with an error code within their
# timeout, without crashing and without allocating what the PDU claims.
#
# Which reply: the bind_ack for the bind modes; otherwise the response to
# the target opnum (RMprAdminServerGetInfo, opnum 0, on \PIPE\ROUTER;
# RQueryServiceStatus, opnum 6, on \PIPE\svcctl), so that the calls before
# it (OpenSCManagerW, OpenServiceW) still succeed and the client reaches
# the call under test.
#
# Each mode is deterministic: same bytes, same timing, every run (the one
# "random" fault status comes from a fixed seed).

import random
import select
import socket
import struct
import time

import rras_dcerpc as d

# How long a stalled reply stays stalled at most; the client gives up long
# before (its timeout), and then the SMB side closes our socket.
STALL_LIMIT_S = 120.0

# Stub bytes per fragment when flooding: the most the client's 4280-byte
# receive fragment holds after the 24-byte response header.
FLOOD_CHUNK = 4280 - d.HEADER_LEN - 8

# endless-fragments stops by itself after this many fragments (about
# 1 GiB), in case a client never stops reading.
FLOOD_MAX_FRAGMENTS = 250000

# bad-pointer: size_is and referent claims for data that is not there.
HUGE_COUNT = 0xFFFFFFF0
REFERENT = 0x00020000

# fault-garbage: the seed that makes its "random" status repeatable.
FAULT_SEED = 0x6d70726d


class Hangup(d.ProtocolError):
    """Raised to end the connection after a hostile reply (pipe closed)."""


def _response(call_id, ctx_id, flags, stub, alloc_hint=None, frag_len=None,
              ptype=d.PTYPE_RESPONSE):
    body = struct.pack('<IHBB', len(stub) if alloc_hint is None
                       else alloc_hint, ctx_id, 0, 0) + stub
    length = d.HEADER_LEN + len(body) if frag_len is None else frag_len
    return d._header(ptype, flags, length, 0, call_id) + body


def _stall(handler):
    """Say nothing more until the other side closes the pipe (the client
    gave up) or STALL_LIMIT_S passes; then end the connection."""
    end = time.monotonic() + STALL_LIMIT_S
    sock = handler.request
    while time.monotonic() < end:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if ready:
            try:
                if not sock.recv(4096):
                    break
            except OSError:
                break
    raise Hangup('stalled reply abandoned')


def _hang_up(handler, why):
    try:
        handler.request.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    raise Hangup(why)


# -- replies to the target call ---------------------------------------------
# Each takes (handler, call_id, ctx_id, stub): stub is the good answer.

def truncated(h, call_id, ctx_id, stub):
    """The PDU cut short (frag_length says all of it), then the pipe
    closed."""
    pdu = _response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                    stub)
    h._send(pdu[:d.HEADER_LEN + 6])
    _hang_up(h, 'truncated reply sent')


def oversized(h, call_id, ctx_id, stub):
    """frag_length 65535 (over the client's 4280) and an alloc_hint that
    claims far more; the whole 65535 bytes are sent."""
    body = stub + b'\xee' * (0xFFFF - d.HEADER_LEN - 8 - len(stub))
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      body, alloc_hint=0x7FFFFFFF))


def frag_beyond(h, call_id, ctx_id, stub):
    """frag_length 1000 bytes larger than what is sent, then silence."""
    pdu = _response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                    stub)
    pdu = pdu[:8] + struct.pack('<H', len(pdu) + 1000) + pdu[10:]
    h._send(pdu)
    _stall(h)


def alloc_hint_4g(h, call_id, ctx_id, stub):
    """alloc_hint 0xFFFFFFFF over the good, small stub.  It is only a hint:
    a client should still take the answer."""
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      stub, alloc_hint=0xFFFFFFFF))


def bad_pointer(h, call_id, ctx_id, stub):
    """NDR that points past the end: a non-null referent, dwBufferSize and a
    conformance count near 4 GiB, 8 bytes of data, the return value."""
    lie = struct.pack('<III', HUGE_COUNT, REFERENT, HUGE_COUNT) + \
        b'\x00' * 8 + struct.pack('<I', 0)
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      lie, alloc_hint=HUGE_COUNT))


def _flood(h, call_id, ctx_id, chunk):
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG, chunk,
                      alloc_hint=0xFFFFFFFF))
    for _ in range(FLOOD_MAX_FRAGMENTS):
        h._send(_response(call_id, ctx_id, 0, chunk, alloc_hint=0xFFFFFFFF))
    _hang_up(h, 'flood limit reached')


def endless_fragments(h, call_id, ctx_id, stub):
    """Full fragments that never set PFC_LAST_FRAG, until the client goes
    away (sending then fails)."""
    _flood(h, call_id, ctx_id, b'\xab' * FLOOD_CHUNK)


def endless_empty(h, call_id, ctx_id, stub):
    """Fragments with no stub byte at all, never the last: the byte cap
    never trips, only a cap on fragments or time can."""
    _flood(h, call_id, ctx_id, b'')


def _two_fragments(stub):
    half = max(4, len(stub) // 2) // 4 * 4
    return stub[:half], stub[half:]


def bad_frag_first(h, call_id, ctx_id, stub):
    """The first fragment of the answer lacks PFC_FIRST_FRAG."""
    a, b = _two_fragments(stub)
    h._send(_response(call_id, ctx_id, 0, a, alloc_hint=len(stub)))
    h._send(_response(call_id, ctx_id, d.PFC_LAST_FRAG, b))


def bad_frag_callid(h, call_id, ctx_id, stub):
    """The call id changes between the two fragments of one answer."""
    a, b = _two_fragments(stub)
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG, a,
                      alloc_hint=len(stub)))
    h._send(_response(call_id + 7, ctx_id, d.PFC_LAST_FRAG, b))


def bad_frag_ptype(h, call_id, ctx_id, stub):
    """The second fragment comes as a bind_ack (ptype 12)."""
    a, b = _two_fragments(stub)
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG, a,
                      alloc_hint=len(stub)))
    h._send(_response(call_id, ctx_id, d.PFC_LAST_FRAG, b,
                      ptype=d.PTYPE_BIND_ACK))


def stall_mid_pdu(h, call_id, ctx_id, stub):
    """10 of the 16 header bytes, then nothing."""
    pdu = _response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                    stub)
    h._send(pdu[:10])
    _stall(h)


def fault_garbage(h, call_id, ctx_id, stub):
    """A fault PDU whose status is a (seeded) random 32-bit number that is
    no nca_* code nor a Win32 one, with garbage after it."""
    rng = random.Random(FAULT_SEED)
    status = rng.getrandbits(32) | 0x80000000
    garbage = bytes(rng.getrandbits(8) for _ in range(40))
    body = struct.pack('<IHBBII', 0xFFFFFFFF, ctx_id, 0, 0, status, 0) + \
        garbage
    h._send(d._header(d.PTYPE_FAULT, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      d.HEADER_LEN + len(body), 0, call_id) + body)


def lying_status(h, call_id, ctx_id, stub):
    """For RQueryServiceStatus: a well-formed answer whose dwCurrentState
    (the second DWORD) is no SERVICE_* state at all."""
    if len(stub) >= 8:
        stub = stub[:4] + struct.pack('<I', 0xDEADBEEF) + stub[8:]
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      stub))


def short_stub(h, call_id, ctx_id, stub):
    """The answer's stub cut to 6 bytes, in a well-formed PDU."""
    h._send(_response(call_id, ctx_id, d.PFC_FIRST_FRAG | d.PFC_LAST_FRAG,
                      stub[:6]))


# -- replies to the bind ------------------------------------------------------
# Each takes (handler, call_id, pdu): pdu is the good bind_ack.

def wrong_bind_ack(h, call_id, pdu):
    """bind_ack whose secondary address claims 0xFFFF bytes, far beyond the
    fragment."""
    off = d.HEADER_LEN + 8  # max_xmit, max_recv, assoc_group, then sec_addr
    h._send(pdu[:off] + struct.pack('<H', 0xFFFF) + pdu[off + 2:])


def bind_ack_short(h, call_id, pdu):
    """bind_ack whose frag_length (20) ends inside its fixed fields."""
    pdu = pdu[:8] + struct.pack('<H', 20) + pdu[10:]
    h._send(pdu[:20])


def bind_ack_results(h, call_id, pdu):
    """bind_ack claiming 200 results where one is sent."""
    sec_len = struct.unpack_from('<H', pdu, d.HEADER_LEN + 8)[0]
    off = d.HEADER_LEN + 10 + sec_len
    off += -off % 4
    h._send(pdu[:off] + b'\xc8' + pdu[off + 1:])


def bind_rejected(h, call_id, pdu):
    """bind_ack whose one result is a provider rejection, "abstract syntax
    not supported" (C706 12.6.3.1: result 2, reason 1): what Windows answers
    for an interface the pipe does not serve."""
    sec_len = struct.unpack_from('<H', pdu, d.HEADER_LEN + 8)[0]
    off = d.HEADER_LEN + 10 + sec_len
    off += -off % 4
    off += 4  # n_results and its padding
    h._send(pdu[:off] + struct.pack('<HH', 2, 1) + pdu[off + 4:])


def bind_nak(h, call_id, pdu):
    """bind_nak, reason 4 (protocol version not supported): the bind
    refused outright."""
    h._send_bind_nak(call_id, 4)


CALL_MODES = {
    'truncated': truncated,
    'oversized': oversized,
    'frag-beyond': frag_beyond,
    'alloc-hint-4g': alloc_hint_4g,
    'bad-pointer': bad_pointer,
    'endless-fragments': endless_fragments,
    'endless-empty': endless_empty,
    'bad-frag-first': bad_frag_first,
    'bad-frag-callid': bad_frag_callid,
    'bad-frag-ptype': bad_frag_ptype,
    'stall-mid-pdu': stall_mid_pdu,
    'fault-garbage': fault_garbage,
    'lying-status': lying_status,
    'short-stub': short_stub,
}

BIND_MODES = {
    'wrong-bind-ack': wrong_bind_ack,
    'bind-ack-short': bind_ack_short,
    'bind-ack-results': bind_ack_results,
    'bind-rejected': bind_rejected,
    'bind-nak': bind_nak,
}

MODES = sorted(list(CALL_MODES) + list(BIND_MODES))


class Hostile:
    """What rras_dcerpc's handler asks before it answers a bind or a call.

    mode: one of MODES; opnum: the call whose answer goes bad.  mode_file
    instead: the mode is read from that file at every bind and call
    ("MODE PIPE" on one line, PIPE being ROUTER or svcctl; an empty file
    means behave), so one peer serves every mode in turn.
    """

    def __init__(self, mode, opnum, pipe, mode_file=None):
        if mode is not None and mode not in MODES:
            raise ValueError('unknown hostile mode %r' % mode)
        self.mode = mode
        self.opnum = opnum
        self.pipe = pipe
        self.mode_file = mode_file

    def current(self):
        if self.mode_file is None:
            return self.mode
        try:
            with open(self.mode_file, encoding='ascii') as f:
                words = f.read(200).split()
        except (OSError, UnicodeDecodeError) as e:
            d.LOG.error('hostile mode file: %s', e)
            return None
        if len(words) != 2 or words[0] not in MODES:
            return None
        return words[0] if words[1] == self.pipe else None

    def bind_ack(self, handler, call_id, pdu):
        """Send the answer to a bind; the good one is pdu."""
        mode = self.current()
        fn = BIND_MODES.get(mode)
        if fn is None:
            handler._send(pdu)
            return
        d.LOG.info('%s: hostile bind_ack: %s', handler.server.label, mode)
        fn(handler, call_id, pdu)

    def respond(self, handler, call_id, ctx_id, opnum, stub):
        """Answer a call; the good answer's stub is stub."""
        mode = self.current()
        fn = CALL_MODES.get(mode)
        if fn is None or opnum != self.opnum:
            handler._respond(call_id, ctx_id, stub)
            return
        d.LOG.info('%s: hostile reply to opnum %d: %s', handler.server.label,
                   opnum, mode)
        fn(handler, call_id, ctx_id, stub)
