#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_check.py - client side used by test_rras_peer.sh to drive
# the RRAS peer.  Prints one "key=value ..." line per question; the shell test
# compares it with what it configured.  Exit status: 0 answered, 1 failed
# (the line then says why), 2 usage.
#
#   rras_check.py logon  PORT AUTHFILE            SMB logon to IPC$
#   rras_check.py pipe   PORT AUTHFILE NAME       open \PIPE\NAME
#   rras_check.py dim    PORT AUTHFILE LEVEL      RMprAdminServerGetInfo
#   rras_check.py opnum  PORT AUTHFILE OPNUM [HEX] raw DIMSVC call, stub HEX
#   rras_check.py authbind PORT AUTHFILE          bind with RPC-level auth
#   rras_check.py svc    PORT AUTHFILE [SERVICE]  SCMR open + query status
#   rras_check.py wrongbind PORT AUTHFILE         bind DIMSVC on svcctl
#   rras_check.py shortread PORT AUTHFILE         read a bind_ack 16 bytes first
#   rras_check.py overread PORT AUTHFILE          libsmbclient reads more than
#                                                 the bind_ack holds, times out
#   rras_check.py hang   PORT AUTHFILE            open ROUTER, bind, then
#                                                 sleep until killed
#   rras_check.py smbc   PORT AUTHFILE LEVEL [N]  RMprAdminServerGetInfo
#                                                 through libsmbclient, N times
#                                                 on one context (one answer
#                                                 line if all agree)
#
# impacket is the client for all but "smbc", which goes through Samba's
# libsmbclient (the stack libmprapi uses) with ctypes, reading the reply the
# way that proved reliable: the 16-byte header, then frag_length - 16.

import ctypes
import ctypes.util
import os
import struct
import sys
import time
import uuid

from impacket.dcerpc.v5 import rpcrt, scmr, transport
from impacket.smbconnection import SMBConnection, SessionError
from impacket.uuid import uuidtup_to_bin

DIMSVC = ('8f09f000-b7ed-11ce-bbd2-00001a181cad', '0.0')
LEVEL_FIELDS = {
    0: ('lan_only', 'uptime', 'total_ports', 'ports_in_use'),
    1: ('pptp_ports', 'pptp_flags', 'l2tp_ports', 'l2tp_flags'),
    2: ('pptp_ports', 'pptp_flags', 'l2tp_ports', 'l2tp_flags', 'sstp_ports',
        'sstp_flags'),
}


def read_auth(path):
    user = password = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            key, _, value = line.partition('=')
            key = key.strip().lower()
            if key == 'username':
                user = value.strip()
            elif key == 'password':
                password = value.strip()
    return user, password


def fail(text):
    print('error=%s' % text)
    sys.exit(1)


def decode_get_info(level, stub):
    """Strict decode of RMprAdminServerGetInfo's response stub."""
    if len(stub) < 8:
        fail('short_stub:%d' % len(stub))
    size, ref = struct.unpack_from('<II', stub, 0)
    off = 8
    buf = b''
    if ref:
        if len(stub) < off + 4:
            fail('no_max_count')
        (max_count,) = struct.unpack_from('<I', stub, off)
        off += 4
        if max_count != size or off + size > len(stub):
            fail('bad_array:size=%d,max_count=%d,stub=%d' %
                 (size, max_count, len(stub)))
        buf = stub[off:off + size]
        off += size
        off += -off % 4
    elif size:
        fail('null_pointer_with_size:%d' % size)
    if off + 4 != len(stub):
        fail('bad_stub_length:%d,expected:%d' % (len(stub), off + 4))
    (status,) = struct.unpack_from('<I', stub, off)
    if status != 0:
        return 'status=%d size=%d' % (status, size)
    names = LEVEL_FIELDS.get(level)
    if names is None or size != 4 * len(names):
        fail('unexpected_size:%d' % size)
    values = struct.unpack('<%dI' % len(names), buf)
    return 'status=0 ' + ' '.join('%s=%d' % kv for kv in zip(names, values))


def smb_connect(port, auth):
    user, password = read_auth(auth)
    conn = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, timeout=10)
    conn.login(user, password)
    return conn


def dce_for(port, auth, pipe):
    conn = smb_connect(port, auth)
    t = transport.SMBTransport('127.0.0.1', port, filename='\\' + pipe,
                               smb_connection=conn)
    dce = t.get_dce_rpc()
    dce.connect()
    return dce


def cmd_logon(port, auth):
    try:
        conn = smb_connect(port, auth)
    except SessionError as e:
        fail(e.getErrorString()[0])
    conn.connectTree('IPC$')
    conn.logoff()
    print('logon=ok dialect=0x%x' % conn.getDialect())


def cmd_pipe(port, auth, name):
    conn = smb_connect(port, auth)
    tid = conn.connectTree('IPC$')
    try:
        fid = conn.openFile(tid, '\\' + name)
    except SessionError as e:
        fail(e.getErrorString()[0])
    conn.closeFile(tid, fid)
    conn.logoff()
    print('pipe=ok')


def cmd_dim(port, auth, level):
    dce = dce_for(port, auth, 'ROUTER')
    dce.bind(uuidtup_to_bin(DIMSVC))
    dce.call(0, struct.pack('<I', level))
    stub = dce.recv()
    print(decode_get_info(level, stub))
    dce.disconnect()


def cmd_opnum(port, auth, opnum, stub_hex):
    dce = dce_for(port, auth, 'ROUTER')
    dce.bind(uuidtup_to_bin(DIMSVC))
    dce.call(opnum, bytes.fromhex(stub_hex))
    try:
        stub = dce.recv()
    except rpcrt.DCERPCException as e:
        print('fault=%s' % str(e).split()[0])
        return
    print('answered=%d' % len(stub))


def cmd_svc(port, auth, service):
    dce = dce_for(port, auth, 'svcctl')
    dce.bind(scmr.MSRPC_UUID_SCMR)
    try:
        resp = scmr.hROpenSCManagerW(dce)
    except rpcrt.DCERPCException as e:
        fail('open_scm:%s' % e.get_error_code())
    scm = resp['lpScHandle']
    try:
        resp = scmr.hROpenServiceW(dce, scm, service + '\x00',
                                   scmr.SERVICE_QUERY_STATUS)
    except rpcrt.DCERPCException as e:
        scmr.hRCloseServiceHandle(dce, scm)
        fail('open_service:%s' % e.get_error_code())
    svc = resp['lpServiceHandle']
    resp = scmr.hRQueryServiceStatus(dce, svc)
    st = resp['lpServiceStatus']
    print('state=%d type=0x%x' % (st['dwCurrentState'], st['dwServiceType']))
    scmr.hRCloseServiceHandle(dce, svc)
    scmr.hRCloseServiceHandle(dce, scm)
    dce.disconnect()


def cmd_authbind(port, auth):
    # RPC-level NTLM with packet privacy: the peer has no RPC security.
    user, password = read_auth(auth)
    conn = smb_connect(port, auth)
    t = transport.SMBTransport('127.0.0.1', port, filename='\\ROUTER',
                               smb_connection=conn)
    dce = t.get_dce_rpc()
    dce.set_credentials(user, password)
    dce.set_auth_level(rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    dce.connect()
    try:
        dce.bind(uuidtup_to_bin(DIMSVC))
    except rpcrt.DCERPCException as e:
        print('bind=refused %s' % str(e).split(':')[-1].strip())
        return
    print('bind=accepted')


def cmd_wrongbind(port, auth):
    # DIMSVC on the svcctl pipe: Windows rejects the presentation context.
    dce = dce_for(port, auth, 'svcctl')
    try:
        dce.bind(uuidtup_to_bin(DIMSVC))
    except rpcrt.DCERPCException as e:
        print('bind=rejected %s' %
              str(e).split(':')[-1].split('(')[0].strip())
        return
    print('bind=accepted')


def cmd_shortread(port, auth):
    # Bind on ROUTER, then read the bind_ack 16 bytes first: how does the
    # peer answer a read shorter than the PDU (success or BUFFER_OVERFLOW)?
    conn = smb_connect(port, auth)
    tid = conn.connectTree('IPC$')
    fid = conn.openFile(tid, '\\ROUTER')
    conn.writeFile(tid, fid, _pdu(11, 1, _bind_body()))
    try:
        first = conn.readFile(tid, fid, 0, 16)
        status = 'STATUS_SUCCESS'
    except SessionError as e:
        status = e.getErrorString()[0]
        first = b''
    rest = conn.readFile(tid, fid, 0, 4280)
    frag_len = struct.unpack_from('<H', first + rest, 8)[0] if first else 0
    print('first=%s rest=%d%s' % (status, len(rest),
                                  ' whole=%d' % frag_len if first else ''))
    conn.closeFile(tid, fid)
    conn.logoff()


def cmd_hang(port, auth):
    dce = dce_for(port, auth, 'ROUTER')
    dce.bind(uuidtup_to_bin(DIMSVC))
    print('hanging', flush=True)
    time.sleep(3600)


# -- libsmbclient through ctypes ---------------------------------------------

def _pdu(ptype, call_id, body):
    return struct.pack('<BBBB4sHHI', 5, 0, ptype, 3, b'\x10\x00\x00\x00',
                       16 + len(body), 0, call_id) + body


def _bind_body():
    ndr = uuid.UUID('8a885d04-1ceb-11c9-9fe8-08002b104860').bytes_le
    ctx = struct.pack('<HBB', 0, 1, 0) + \
        uuid.UUID(DIMSVC[0]).bytes_le + struct.pack('<HH', 0, 0) + \
        ndr + struct.pack('<I', 2)
    return struct.pack('<HHIBBH', 4280, 4280, 0, 1, 0, 0) + ctx


_AUTH_FN_T = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p,
                              ctypes.c_void_p, ctypes.c_int,
                              ctypes.c_void_p, ctypes.c_int,
                              ctypes.c_void_p, ctypes.c_int)
_keep = []  # ctypes callbacks must outlive the contexts that call them


def _smbc_lib():
    path = ctypes.util.find_library('smbclient')
    if not path:
        fail('no_libsmbclient')
    lib = ctypes.CDLL(path, use_errno=True)
    vp, ci, sz = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t
    lib.smbc_new_context.restype = vp
    lib.smbc_init_context.restype = vp
    lib.smbc_init_context.argtypes = [vp]
    lib.smbc_set_context.argtypes = [vp]
    lib.smbc_set_context.restype = vp
    lib.smbc_setOptionNoAutoAnonymousLogin.argtypes = [vp, ci]
    lib.smbc_setTimeout.argtypes = [vp, ci]
    lib.smbc_setFunctionAuthData.argtypes = [vp, _AUTH_FN_T]
    lib.smbc_open.argtypes = [ctypes.c_char_p, ci, ci]
    lib.smbc_write.argtypes = [ci, vp, sz]
    lib.smbc_write.restype = ctypes.c_ssize_t
    lib.smbc_read.argtypes = [ci, vp, sz]
    lib.smbc_read.restype = ctypes.c_ssize_t
    lib.smbc_close.argtypes = [ci]
    lib.smbc_free_context.argtypes = [vp, ci]
    return lib


def _smbc_context(lib, auth, timeout_ms):
    """A libsmbclient context, made the current one for smbc_open etc."""
    user, password = read_auth(auth)

    # Credentials go through the auth callback: set_credentials_with_fallback
    # left the password unused here (NTLMSSP then tried winbind's ccache and
    # failed with NT_STATUS_WRONG_CREDENTIAL_HANDLE).
    def fill(buf, size, text):
        data = text.encode()[:max(size - 1, 0)] + b'\x00'
        ctypes.memmove(buf, data, len(data))

    def on_auth(_srv, _shr, wg, wglen, un, unlen, pw, pwlen):
        fill(wg, wglen, 'WORKGROUP')
        fill(un, unlen, user)
        fill(pw, pwlen, password)

    auth_fn = _AUTH_FN_T(on_auth)
    _keep.append(auth_fn)
    ctx = lib.smbc_new_context()
    lib.smbc_setOptionNoAutoAnonymousLogin(ctx, 1)
    lib.smbc_setTimeout(ctx, timeout_ms)
    lib.smbc_setFunctionAuthData(ctx, auth_fn)
    if not lib.smbc_init_context(ctx):
        fail('smbc_init_context:errno=%d' % ctypes.get_errno())
    lib.smbc_set_context(ctx)
    return ctx


def cmd_overread(port, auth):
    # Ask for more than the reply holds: libsmbclient keeps reading until its
    # timeout, then gives up; the peer must let the pipe go.
    lib = _smbc_lib()
    _smbc_context(lib, auth, 2000)
    url = ('smb://127.0.0.1:%d/IPC$/ROUTER' % port).encode()
    fd = lib.smbc_open(url, os.O_RDWR, 0)
    if fd < 0:
        fail('smbc_open:errno=%d' % ctypes.get_errno())
    pdu = _pdu(11, 1, _bind_body())
    if lib.smbc_write(fd, pdu, len(pdu)) != len(pdu):
        fail('smbc_write:errno=%d' % ctypes.get_errno())
    buf = ctypes.create_string_buffer(4280)
    n = lib.smbc_read(fd, buf, len(buf))
    print('read=%d errno=%d' % (n, ctypes.get_errno() if n < 0 else 0))


def cmd_smbc(port, auth, level, repeat=1):
    lib = _smbc_lib()
    ctx = _smbc_context(lib, auth, 10000)
    url = ('smb://127.0.0.1:%d/IPC$/ROUTER' % port).encode()
    answers = set()
    # Several rounds on one context: libsmbclient keeps the SMB session, so
    # later rounds open the pipe again on the same connection, as a prober
    # that polls a router does.
    for _ in range(repeat):
        answers.add(_smbc_round(lib, url, level))
    lib.smbc_free_context(ctx, 1)
    if len(answers) != 1:
        fail('answers_differ:%r' % sorted(answers))
    print(answers.pop())


def _smbc_read_pdu(lib, fd):
    hdr = ctypes.create_string_buffer(16)
    if lib.smbc_read(fd, hdr, 16) != 16:
        fail('smbc_read_header:errno=%d' % ctypes.get_errno())
    frag_len = struct.unpack_from('<H', hdr.raw, 8)[0]
    if frag_len < 24:
        fail('bad_frag_length:%d' % frag_len)
    rest = ctypes.create_string_buffer(frag_len - 16)
    got = lib.smbc_read(fd, rest, frag_len - 16)
    if got != frag_len - 16:
        fail('smbc_read_body:%d:errno=%d' % (got, ctypes.get_errno()))
    return hdr.raw + rest.raw


def _smbc_round(lib, url, level):
    fd = lib.smbc_open(url, os.O_RDWR, 0)
    if fd < 0:
        fail('smbc_open:errno=%d' % ctypes.get_errno())

    def send(pdu):
        if lib.smbc_write(fd, pdu, len(pdu)) != len(pdu):
            fail('smbc_write:errno=%d' % ctypes.get_errno())

    send(_pdu(11, 1, _bind_body()))
    ack = _smbc_read_pdu(lib, fd)
    if ack[2] != 12:
        fail('bind_ptype:%d' % ack[2])
    # bind_ack: the result list follows the secondary address, 4-aligned.
    sec_len = struct.unpack_from('<H', ack, 24)[0]
    off = 26 + sec_len
    off += -off % 4
    if off + 8 > len(ack) or ack[off] != 1 or \
            struct.unpack_from('<H', ack, off + 4)[0] != 0:
        fail('bind_rejected')
    send(_pdu(0, 2, struct.pack('<IHH', 4, 0, 0) + struct.pack('<I', level)))
    stub = b''
    for _ in range(1000):
        pdu = _smbc_read_pdu(lib, fd)
        if pdu[2] != 2:
            fail('response_ptype:%d' % pdu[2])
        stub += pdu[24:]
        if pdu[3] & 0x02:  # PFC_LAST_FRAG
            break
    else:
        fail('too_many_fragments')
    lib.smbc_close(fd)
    return decode_get_info(level, stub)


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit():
        sys.stderr.write('usage: rras_check.py COMMAND PORT AUTHFILE [ARG]'
                         ' (see the comment at the top)\n')
        return 2
    cmd, port, auth = argv[0], int(argv[1]), argv[2]
    rest = argv[3:]
    if cmd == 'logon':
        cmd_logon(port, auth)
    elif cmd == 'pipe' and rest:
        cmd_pipe(port, auth, rest[0])
    elif cmd == 'dim' and rest:
        cmd_dim(port, auth, int(rest[0]))
    elif cmd == 'opnum' and rest:
        cmd_opnum(port, auth, int(rest[0]), rest[1] if len(rest) > 1 else '')
    elif cmd == 'authbind':
        cmd_authbind(port, auth)
    elif cmd == 'svc':
        cmd_svc(port, auth, rest[0] if rest else 'RemoteAccess')
    elif cmd == 'wrongbind':
        cmd_wrongbind(port, auth)
    elif cmd == 'hang':
        cmd_hang(port, auth)
    elif cmd == 'shortread':
        cmd_shortread(port, auth)
    elif cmd == 'overread':
        cmd_overread(port, auth)
    elif cmd == 'smbc' and rest:
        cmd_smbc(port, auth, int(rest[0]), int(rest[1]) if len(rest) > 1 else 1)
    else:
        sys.stderr.write('rras_check.py: bad command line\n')
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
