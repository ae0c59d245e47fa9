#!/usr/bin/python3
"""rpc_echo_peer.py - a test-only DCE/RPC peer for check_rpc_client.

impacket's DCERPCServer (python3-impacket, /usr/bin/python3) serving an echo
interface over ncacn_ip_tcp on 127.0.0.1.  Accepted binds are impacket's own
(its bind_ack, impacket's choice of result and sizes).  It writes its port on
stdout and exits when stdin reaches end of file, so a test that dies cannot
leave it behind.

Interface ECHO_UUID v1.0:
  opnum 0  echo: the response stub is the request stub
  opnum 1  refuses with a fault, status 5 (access denied, as Windows does
           for an authorization failure, MS-RPCE 3.2.3.5.1)
  opnum 2  request: u32 n; response: n bytes (i & 0xff)
  opnum 3..99  fault nca_op_rng_error, as a Windows server answers an opnum
           beyond the interface (impacket itself answers 0x6e4)
  opnum >= 100  impacket's stock reply to an unknown opnum (a 28-byte fault
           with status 0x6e4, RPC_S_CANNOT_SUPPORT)

impacket 0.10's DCERPCServer hands only the last fragment of a fragmented
request to processRequest, and its fragmented responses keep the whole
message's frag_len; recv and send are overridden to reassemble and fragment
correctly, since fragmentation is what the test exercises; and bind, to
reject an unknown interface instead of dropping the connection.
"""
import os
import struct
import sys
import threading

from impacket.dcerpc.v5 import rpcrt

ECHO_UUID = ('4f1e0a5c-2b7d-4c3e-9a61-8d2f5b7c9e01', '1.0')
NCA_OP_RNG_ERROR = 0x1c010002
ACCESS_DENIED = 0x00000005
MAX_PEER_RESPONSE = 2 * 1024 * 1024


def op_echo(stub):
    return stub


def op_generate(stub):
    if len(stub) < 4:
        return b''
    n = min(struct.unpack('<L', stub[:4])[0], MAX_PEER_RESPONSE)
    return bytes(i & 0xff for i in range(n))


class EchoServer(rpcrt.DCERPCServer):
    def _recv_exact(self, n):
        data = b''
        while len(data) < n:
            chunk = self._clientSock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def recv(self):
        first = None
        stub = b''
        while True:
            hdr = self._recv_exact(16)
            if hdr is None:
                return None
            frag_len = struct.unpack('<H', hdr[8:10])[0]
            if frag_len < 16:
                return None
            rest = self._recv_exact(frag_len - 16)
            if rest is None:
                return None
            pdu = hdr + rest
            if pdu[2] != rpcrt.MSRPC_REQUEST:
                return pdu
            req = rpcrt.MSRPCRequestHeader(pdu)
            if first is None:
                first = req
            stub += req['pduData']
            if req['flags'] & rpcrt.PFC_LAST_FRAG:
                break
        whole = rpcrt.MSRPCRequestHeader()
        for field in ('call_id', 'ctx_id', 'op_num'):
            whole[field] = first[field]
        whole['flags'] = rpcrt.PFC_FIRST_FRAG | rpcrt.PFC_LAST_FRAG
        whole['alloc_hint'] = len(stub)
        whole['pduData'] = stub
        return whole.get_packet()

    def bind(self, packet, bind):
        item = rpcrt.CtxItem(bind['ctx_items'])
        if bind['ctx_num'] >= 1 and item['AbstractSyntax'] in self._listenUUIDS:
            return rpcrt.DCERPCServer.bind(self, packet, bind)
        # impacket 0.10 cannot encode a rejection (its bind_ack needs a
        # secondary address and raises without one, dropping the
        # connection); answer as Samba does: provider_rejection (2),
        # abstract_syntax_not_supported (1), empty secondary address.
        body = struct.pack('<HHLH', bind['max_tfrag'], bind['max_rfrag'],
                           0x1234, 0) + b'\0\0'
        body += struct.pack('<BBH', 1, 0, 0)
        body += struct.pack('<HH', 2, 1) + b'\0' * 20
        hdr = struct.pack('<BBBBLHHL', 5, 0, rpcrt.MSRPC_BINDACK, 3, 0x10,
                          16 + len(body), 0, packet['call_id'])
        self._clientSock.sendall(hdr + body)
        return None

    def _fault(self, req, status):
        fault = rpcrt.MSRPCRespHeader()
        fault['type'] = rpcrt.MSRPC_FAULT
        fault['call_id'] = req['call_id']
        fault['pduData'] = struct.pack('<LL', status, 0)
        return fault

    def processRequest(self, data):
        if data[2] == rpcrt.MSRPC_REQUEST:
            req = rpcrt.MSRPCRequestHeader(data)
            op = req['op_num']
            if op == 1:
                return self._fault(req, ACCESS_DENIED)
            if 3 <= op < 100:
                return self._fault(req, NCA_OP_RNG_ERROR)
            if op < 100:
                resp = rpcrt.MSRPCRespHeader()
                resp['call_id'] = req['call_id']
                cb = self._listenUUIDS[self._boundUUID]['CallBacks'][op]
                resp['pduData'] = cb(req['pduData'])
                return resp
        return rpcrt.DCERPCServer.processRequest(self, data)

    def send(self, data):
        if data['type'] != rpcrt.MSRPC_RESPONSE:
            self._clientSock.sendall(data.get_packet())
            return
        stub = data['pduData']
        chunk = 4280 - 24 - 8  # our client offers max_recv_frag 4280
        off = 0
        while True:
            part = stub[off:off + chunk]
            frag = rpcrt.MSRPCRespHeader()
            frag['call_id'] = data['call_id']
            frag['alloc_hint'] = len(stub) - off
            frag['flags'] = 0
            if off == 0:
                frag['flags'] |= rpcrt.PFC_FIRST_FRAG
            off += len(part)
            if off >= len(stub):
                frag['flags'] |= rpcrt.PFC_LAST_FRAG
            frag['pduData'] = part
            self._clientSock.sendall(frag.get_packet())
            if off >= len(stub):
                break


def watch_stdin():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    server = EchoServer()
    server.addCallbacks(ECHO_UUID, '\\PIPE\\echo', {0: op_echo, 2: op_generate})
    server.daemon = True
    server.start()
    print(server.getListenPort(), flush=True)
    watch_stdin()


if __name__ == '__main__':
    main()
