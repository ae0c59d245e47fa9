# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_dcerpc.py - a small connection-oriented DCE/RPC server
# for the RRAS test peer.
#
# Why not impacket.dcerpc.v5.rpcrt.DCERPCServer: it serves one client at a
# time (a client that dies mid-call wedges every later one), keeps the bound
# interface per server rather than per presentation context, answers unknown
# opnums with a non-standard fault body, and never reassembles fragmented
# requests.  This one runs a thread per connection (each SMB pipe open is one
# TCP connection from impacket's SMB server) and follows C706 chapter 12 and
# MS-RPCE 2.2.2 for the PDUs it handles: bind, alter_context, request.
#
# No RPC-level authentication: a bind that carries an auth verifier gets a
# bind_nak (reason 8, authentication_type_not_recognized);
# the SMB session carries the caller's identity (MS-RRASM's SPNEGO-at-RPC-
# level requirement is not emulated).

import logging
import socket
import socketserver
import struct
import threading
import time
import uuid

LOG = logging.getLogger('rras_peer.dcerpc')

# PDU types, C706 12.6.4.
PTYPE_REQUEST = 0
PTYPE_RESPONSE = 2
PTYPE_FAULT = 3
PTYPE_BIND = 11
PTYPE_BIND_ACK = 12
PTYPE_BIND_NAK = 13
PTYPE_ALTER_CONTEXT = 14
PTYPE_ALTER_CONTEXT_RESP = 15
PTYPE_CO_CANCEL = 18
PTYPE_ORPHANED = 19

PFC_FIRST_FRAG = 0x01
PFC_LAST_FRAG = 0x02
PFC_OBJECT_UUID = 0x80

HEADER_LEN = 16

# Fault status codes as sent on the wire (C706 appendix E; MS-RPCE).
NCA_OP_RNG_ERROR = 0x1C010002
NCA_UNK_IF = 0x1C010003
NCA_PROTO_ERROR = 0x1C01000B
NCA_S_FAULT_NDR = 0x000006F7  # RPC_X_BAD_STUB_DATA on the wire

# Presentation-context results, C706 12.6.3.1 (p_cont_def_result_t) and
# reasons (p_provider_reason_t).
RESULT_ACCEPTANCE = 0
RESULT_PROVIDER_REJECTION = 2
REASON_NOT_SPECIFIED = 0
REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED = 1
REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED = 2

# bind_nak reason (MS-RPCE adds 8 to C706's list).
NAK_AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8

# NDR 2.0 transfer syntax, the only one spoken here.
NDR20 = (uuid.UUID('8a885d04-1ceb-11c9-9fe8-08002b104860').bytes_le, 2, 0)

MAX_FRAG = 5840  # what Windows offers; requests larger than this are refused
MIN_FRAG = HEADER_LEN + 8 + 4  # a response fragment with 4 stub bytes
MAX_REQUEST = 1 << 20  # reassembled stub limit, against runaway clients


class RpcFault(Exception):
    """Raised by an opnum handler to answer with a fault PDU."""

    def __init__(self, status, why=''):
        super().__init__('fault 0x%08x %s' % (status, why))
        self.status = status


class ProtocolError(Exception):
    """The peer sent something we cannot parse; the connection is dropped."""


class Interface:
    """One RPC interface: UUID, version and a table opnum -> handler.

    A handler is called as handler(conn_state, stub_bytes) and returns the
    response stub bytes, or raises RpcFault.  conn_state is a dict private to
    the connection (context handles live there, so they die with it).
    """

    def __init__(self, uuid_str, major, minor, handlers, secondary_addr):
        self.uuid_le = uuid.UUID(uuid_str).bytes_le
        self.major = major
        self.minor = minor
        self.handlers = dict(handlers)
        self.secondary_addr = secondary_addr
        self.name = uuid_str


def _recv_exact(sock, n):
    buf = b''
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None if not buf else buf
        buf += chunk
    return buf


def _header(ptype, flags, frag_len, auth_len, call_id):
    # rpc_vers 5, minor 0, little-endian integers, ASCII, IEEE floats.
    return struct.pack('<BBBB4sHHI', 5, 0, ptype, flags,
                       b'\x10\x00\x00\x00', frag_len, auth_len, call_id)


class _Handler(socketserver.BaseRequestHandler):
    def setup(self):
        self.state = {}
        self.contexts = {}  # p_cont_id -> Interface
        self.max_xmit = MAX_FRAG
        self.partial = None  # (call_id, ctx_id, opnum, bytes) while reassembling
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self):
        srv = self.server
        srv.note_connection(+1)
        try:
            while True:
                pdu = self._read_pdu()
                if pdu is None:
                    break
                self._dispatch(pdu)
        except ProtocolError as e:
            LOG.warning('%s: dropping connection: %s', srv.label, e)
        except OSError as e:
            # The SMB side closed the pipe (client gone): nothing to answer.
            LOG.info('%s: connection ended: %s', srv.label, e)
        finally:
            srv.note_connection(-1)

    def _read_pdu(self):
        hdr = _recv_exact(self.request, HEADER_LEN)
        if hdr is None:
            return None
        if len(hdr) < HEADER_LEN:
            raise ProtocolError('truncated header (%d bytes)' % len(hdr))
        vers, minor, ptype, flags, drep, frag_len, auth_len, call_id = \
            struct.unpack('<BBBB4sHHI', hdr)
        if vers != 5 or minor > 1:
            raise ProtocolError('rpc version %d.%d' % (vers, minor))
        if drep[0] & 0xF0 != 0x10:
            # Big-endian peers exist in theory; no client of ours is one.
            raise ProtocolError('unsupported data representation %r' % drep)
        if frag_len < HEADER_LEN or frag_len > MAX_FRAG + 1024:
            raise ProtocolError('bad frag_length %d' % frag_len)
        body = _recv_exact(self.request, frag_len - HEADER_LEN)
        if body is None or len(body) < frag_len - HEADER_LEN:
            raise ProtocolError('truncated PDU body')
        if auth_len > len(body):
            raise ProtocolError('auth_length %d beyond PDU' % auth_len)
        return {'ptype': ptype, 'flags': flags, 'auth_len': auth_len,
                'call_id': call_id, 'body': body}

    def _send(self, data):
        self.request.sendall(data)

    # -- bind / alter_context (C706 12.6.4.3, 12.6.4.4, 12.6.4.1/2) --------

    def _dispatch(self, pdu):
        ptype = pdu['ptype']
        if ptype in (PTYPE_BIND, PTYPE_ALTER_CONTEXT):
            self._bind(pdu)
        elif ptype == PTYPE_REQUEST:
            self._request(pdu)
        elif ptype in (PTYPE_CO_CANCEL, PTYPE_ORPHANED):
            self.partial = None  # calls are answered synchronously
        else:
            raise ProtocolError('unexpected PDU type %d' % ptype)

    def _bind(self, pdu):
        body = pdu['body']
        is_alter = pdu['ptype'] == PTYPE_ALTER_CONTEXT
        if len(body) < 12:
            raise ProtocolError('short bind')
        max_xmit, max_recv, assoc = struct.unpack_from('<HHI', body, 0)
        if pdu['auth_len']:
            LOG.warning('%s: bind with RPC authentication refused '
                        '(this peer has none)', self.server.label)
            if is_alter:
                self._fault(pdu['call_id'], 0, NCA_PROTO_ERROR)
            else:
                self._send_bind_nak(pdu['call_id'],
                                    NAK_AUTHENTICATION_TYPE_NOT_RECOGNIZED)
            return
        n_ctx = body[8]
        off = 12
        results = []
        for _ in range(n_ctx):
            if off + 24 > len(body):
                raise ProtocolError('context list beyond PDU')
            ctx_id, n_ts = struct.unpack_from('<HB', body, off)
            abstract = body[off + 4:off + 20]
            a_major, a_minor = struct.unpack_from('<HH', body, off + 20)
            off += 24
            ndr_offered = False
            for _ in range(n_ts):
                if off + 20 > len(body):
                    raise ProtocolError('transfer syntaxes beyond PDU')
                ts = body[off:off + 16]
                ts_ver = struct.unpack_from('<I', body, off + 16)[0]
                off += 20
                if ts == NDR20[0] and ts_ver == NDR20[1]:
                    ndr_offered = True
            iface = self.server.find_interface(abstract, a_major, a_minor)
            if iface is None:
                LOG.info('%s: bind for %s v%d.%d rejected: not this pipe\'s '
                         'interface', self.server.label,
                         uuid.UUID(bytes_le=abstract), a_major, a_minor)
                results.append((RESULT_PROVIDER_REJECTION,
                                REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED, False))
            elif not ndr_offered:
                results.append((RESULT_PROVIDER_REJECTION,
                                REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED, False))
            else:
                self.contexts[ctx_id] = iface
                results.append((RESULT_ACCEPTANCE, REASON_NOT_SPECIFIED, True))
        if not is_alter:
            # Our fragments must fit what the client can receive.
            self.max_xmit = max(MIN_FRAG, min(max_recv, self.server.max_frag))
        if not is_alter and self.server.iface.secondary_addr:
            sec = self.server.iface.secondary_addr.encode('ascii') + b'\x00'
        else:
            sec = b''  # alter_context_resp carries an empty port_any_t
        out = struct.pack('<HHI', MAX_FRAG, MAX_FRAG, assoc or 0x53f0)
        out += struct.pack('<H', len(sec)) + sec
        # p_result_list starts 4-aligned from the PDU start (C706 12.6.4.4).
        while (HEADER_LEN + len(out)) % 4:
            out += b'\x00'
        out += struct.pack('<BBH', len(results), 0, 0)
        for result, reason, accepted in results:
            ts = NDR20[0] + struct.pack('<I', NDR20[1]) if accepted \
                else b'\x00' * 20
            out += struct.pack('<HH', result, reason) + ts
        ptype = PTYPE_ALTER_CONTEXT_RESP if is_alter else PTYPE_BIND_ACK
        ack = _header(ptype, PFC_FIRST_FRAG | PFC_LAST_FRAG,
                      HEADER_LEN + len(out), 0, pdu['call_id']) + out
        if self.server.hostile is not None and not is_alter:
            self.server.hostile.bind_ack(self, pdu['call_id'], ack)
        else:
            self._send(ack)

    def _send_bind_nak(self, call_id, reason):
        # bind_nak body: provider_reject_reason, then an empty versions list.
        out = struct.pack('<HB', reason, 1) + struct.pack('<BB', 5, 0)
        while len(out) % 4:
            out += b'\x00'
        self._send(_header(PTYPE_BIND_NAK, PFC_FIRST_FRAG | PFC_LAST_FRAG,
                           HEADER_LEN + len(out), 0, call_id) + out)

    # -- request / response / fault (C706 12.6.4.9, 12.6.4.10, 12.6.4.7) ----

    def _request(self, pdu):
        body = pdu['body']
        flags = pdu['flags']
        if len(body) < 8:
            raise ProtocolError('short request')
        ctx_id, opnum = struct.unpack_from('<HH', body, 4)
        off = 8
        if flags & PFC_OBJECT_UUID:
            off += 16
        end = len(body) - (pdu['auth_len'] + 8 if pdu['auth_len'] else 0)
        if off > end:
            raise ProtocolError('request stub beyond PDU')
        stub = body[off:end]
        if pdu['auth_len']:
            self._fault(pdu['call_id'], ctx_id, NCA_PROTO_ERROR)
            return
        if flags & PFC_FIRST_FRAG:
            self.partial = [pdu['call_id'], ctx_id, opnum, stub]
        elif self.partial is None or self.partial[0] != pdu['call_id']:
            raise ProtocolError('fragment of unknown call %d' % pdu['call_id'])
        else:
            self.partial[3] += stub
            if len(self.partial[3]) > MAX_REQUEST:
                raise ProtocolError('request larger than %d bytes' %
                                    MAX_REQUEST)
        if not flags & PFC_LAST_FRAG:
            return
        call_id, ctx_id, opnum, stub = self.partial
        self.partial = None
        iface = self.contexts.get(ctx_id)
        if iface is None:
            LOG.info('%s: request on unknown context %d', self.server.label,
                     ctx_id)
            self._fault(call_id, ctx_id, NCA_UNK_IF)
            return
        handler = iface.handlers.get(opnum)
        if handler is None:
            LOG.info('%s: opnum %d not served -> nca_op_rng_error',
                     self.server.label, opnum)
            self._fault(call_id, ctx_id, NCA_OP_RNG_ERROR)
            return
        try:
            out = handler(self.state, stub)
        except RpcFault as e:
            LOG.info('%s: opnum %d -> %s', self.server.label, opnum, e)
            self._fault(call_id, ctx_id, e.status)
            return
        except Exception as e:  # malformed stub: impacket's NDR raises freely
            LOG.warning('%s: opnum %d: bad stub data: %s', self.server.label,
                        opnum, e)
            self._fault(call_id, ctx_id, NCA_S_FAULT_NDR)
            return
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.hostile is not None:
            self.server.hostile.respond(self, call_id, ctx_id, opnum, out)
        else:
            self._respond(call_id, ctx_id, out)

    def _respond(self, call_id, ctx_id, stub):
        room = self.max_xmit - HEADER_LEN - 8
        off = 0
        first = True
        while True:
            chunk = stub[off:off + room]
            off += len(chunk)
            flags = (PFC_FIRST_FRAG if first else 0) | \
                (PFC_LAST_FRAG if off >= len(stub) else 0)
            body = struct.pack('<IHBB', len(stub) - off + len(chunk), ctx_id,
                               0, 0) + chunk
            self._send(_header(PTYPE_RESPONSE, flags, HEADER_LEN + len(body),
                               0, call_id) + body)
            first = False
            if off >= len(stub):
                break

    def _fault(self, call_id, ctx_id, status):
        # alloc_hint, p_cont_id, cancel_count, reserved, status, reserved2.
        body = struct.pack('<IHBBII', 0, ctx_id, 0, 0, status, 0)
        self._send(_header(PTYPE_FAULT, PFC_FIRST_FRAG | PFC_LAST_FRAG,
                           HEADER_LEN + len(body), 0, call_id) + body)


class DceRpcServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """A TCP DCE/RPC server on 127.0.0.1 for exactly one interface.

    impacket's SMB server forwards each open of a registered named pipe to a
    new TCP connection here, so one pipe = one server = one interface, and a
    bind for another interface on this pipe is rejected like Windows does.
    """

    daemon_threads = True  # a stuck client must not block shutdown
    allow_reuse_address = True

    def __init__(self, iface, label, delay=0.0, max_frag=MAX_FRAG,
                 hostile=None):
        self.iface = iface
        # rras_hostile.Hostile: turns one kind of answer bad (--hostile).
        self.hostile = hostile
        self.label = label
        self.delay = delay
        self.max_frag = max_frag
        self._lock = threading.Lock()
        self.active = 0
        self.served = 0
        super().__init__(('127.0.0.1', 0), _Handler)

    def find_interface(self, abstract_le, major, minor):
        i = self.iface
        if abstract_le == i.uuid_le and major == i.major and minor <= i.minor:
            return i
        return None

    def note_connection(self, delta):
        with self._lock:
            self.active += delta
            if delta > 0:
                self.served += 1
            active = self.active
        # Tests read these lines to see that a killed client was let go.
        LOG.info('%s: client %s (active %d)', self.label,
                 'connected' if delta > 0 else 'gone', active)

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        t = threading.Thread(target=self.serve_forever, name=self.label,
                             daemon=True)
        t.start()
        return t
