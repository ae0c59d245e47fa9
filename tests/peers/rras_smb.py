# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_smb.py - impacket's SMB server, made fit to be a test peer
# that clients hit repeatedly and kill without warning.
#
# Changes to impacket.smbserver.SMBSERVER, by subclassing only:
#  - When a client connection ends (logoff, TCP reset, killed process),
#    impacket drops its record of the connection but never closes the TCP
#    sockets behind the pipes it had open; only the garbage collector does,
#    eventually.  removeConnection() closes them at once, so the DCE/RPC
#    thread behind each pipe sees EOF and ends.
#  - Handler threads are daemons so SIGTERM ends the process at once even if
#    a client is stuck mid-call.
#  - impacket logs each successful logon's NTLMv2 response in John-the-Ripper
#    format; that can be cracked offline, so it is dropped.
#  - The NTLM server challenge is random per process, not impacket's constant.
#  - Pipe names match case-insensitively, as on Windows.
#  - One SMB2 READ (or FSCTL_PIPE_TRANSCEIVE) on a pipe returns at most one
#    DCE/RPC PDU; the rest of a PDU longer than the read comes with the next
#    read.  impacket passes bytes through as a stream, so one read could
#    return two fragments at once, which breaks clients that read fragment by
#    fragment (impacket's own client hangs on it).  Two flavours:
#      pipe_mode 'stream'  (default) a short read succeeds, like Samba's smbd
#                          (source3/smbd/smb2_read.c: "TODO: add
#                          STATUS_BUFFER_OVERFLOW handling").
#      pipe_mode 'message' a short read returns its bytes with
#                          STATUS_BUFFER_OVERFLOW, as Windows does for its
#                          message-mode RPC pipes ([MS-SMB2] 3.3.4.4).
#
# Only NTLM over SPNEGO (or raw) is spoken, SMB dialect 2.002 only; Samba's
# client stack (smbclient, libsmbclient 4.17) negotiates that by default.

import configparser
import logging
import os
import re
import select
import socket
import struct
import threading

from impacket import smb3structs as smb2
from impacket import smbserver
from impacket.nt_errors import (STATUS_BUFFER_OVERFLOW, STATUS_PIPE_BROKEN,
                                STATUS_SUCCESS)
from impacket.ntlm import compute_nthash

LOG = logging.getLogger('rras_peer.smb')

# "user::DOMAIN:challenge:ntproof:blob" as printed by impacket after logon.
_JTR_LINE = re.compile(r'^[^:\s]*::[^:]*:[0-9a-fA-F]{16}:[0-9a-fA-F]{32}:')


class _NoSecrets(logging.Filter):
    def filter(self, record):
        try:
            msg = record.getMessage()
        except Exception:
            return True
        return not _JTR_LINE.match(msg)


class _PipeNames(dict):
    """Pipe name -> address, looked up case-insensitively as Windows does
    (impacket compares the exact spelling the client sent)."""

    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return isinstance(key, str) and super().__contains__(key.lower())

    def __delitem__(self, key):
        super().__delitem__(key.lower())


# The client socket of the SMB connection this thread serves (one thread per
# connection in impacket), for pipe reads that must notice the client leave.
_conn_local = threading.local()


class _PeerHandler(smbserver.SMBSERVERHandler):
    def setup(self):
        _conn_local.client = self.request
        return super().setup()


class PeerSMBServer(smbserver.SMBSERVER):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, config_parser):
        super().__init__(address, handler_class=_PeerHandler,
                         config_parser=config_parser)
        self._pipes = _PipeNames()

    def getRegisteredNamedPipes(self):
        return self._pipes

    def registerNamedPipe(self, pipeName, address):
        self._pipes[str(pipeName)] = address
        return True

    def unregisterNamedPipe(self, pipeName):
        if pipeName in self._pipes:
            del self._pipes[str(pipeName)]
            return True
        return False

    def removeConnection(self, name):
        conn = self.getActiveConnections().get(name)
        if conn:
            for entry in list(conn.get('OpenedFiles', {}).values()):
                sock = entry.get('Socket') if isinstance(entry, dict) else None
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
        return super().removeConnection(name)


def _client_gone():
    client = getattr(_conn_local, 'client', None)
    if client is None:
        return False
    try:
        # Not recv(MSG_DONTWAIT) alone: impacket gives the socket a timeout,
        # and Python then waits for data up to that timeout first.
        readable, _, _ = select.select([client], [], [], 0)
        if not readable:
            return False
        return client.recv(1, socket.MSG_PEEK) == b''
    except (OSError, ValueError):
        return True


def _recv_exact(sock, n, partial=False):
    """n bytes from the DCE/RPC server, or None if it or the client left.

    A pipe read blocks until the server writes, as on Windows; but a client
    that gave up (libsmbclient times out a read that asks for more than the
    reply holds) must not leave this thread, and the DCE/RPC thread behind
    the pipe, waiting forever.  partial: fewer bytes come back when the
    server closed, or went silent for 0.5 s, after sending some (a hostile
    server's half PDU); None only if it closed before sending any."""
    buf = b''
    while len(buf) < n:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if not ready:
            if partial and buf:
                return buf
            if _client_gone():
                LOG.info('pipe read abandoned: the client went away')
                return None
            continue
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return buf if partial and buf else None
        buf += chunk
    return buf


def _next_message(entry, partial=False):
    """The rest of the current PDU, or the next whole PDU from the DCE/RPC
    server behind a pipe (framed by frag_length).  None if the pipe broke.

    partial: a PDU that the server sends in parts, or never finishes, goes
    to the client in those parts; the entry remembers how much of it is
    still owed, so framing resumes after it."""
    pending = entry.get('PipeMessage')
    if pending:
        return pending
    sock = entry['Socket']
    head = entry.pop('PipeHead', b'')  # header bytes already passed on
    owed = entry.pop('PipeOwed', 0)  # body bytes of that PDU still to come
    if owed:
        data = _recv_exact(sock, owed, partial)
        if data is not None and len(data) < owed:
            entry['PipeOwed'] = owed - len(data)
        return data
    more = _recv_exact(sock, 16 - len(head), partial)
    if more is None:
        return None
    hdr = head + more
    if len(hdr) < 16:
        entry['PipeHead'] = hdr
        return more
    (frag_len,) = struct.unpack_from('<H', hdr, 8)
    if frag_len < 16:
        return None
    if frag_len == 16:
        return more
    body = _recv_exact(sock, frag_len - 16, partial)
    if body is None:
        if partial:
            entry['PipeOwed'] = frag_len - 16
            return more
        return None
    if len(body) < frag_len - 16:
        entry['PipeOwed'] = frag_len - 16 - len(body)
    return more + body


def _take(entry, msg, limit, message_mode):
    data, rest = msg[:limit], msg[limit:]
    entry['PipeMessage'] = rest
    if rest and message_mode:
        return data, STATUS_BUFFER_OVERFLOW
    return data, STATUS_SUCCESS


def _pipe_entry(conn, tree_id, file_id):
    if tree_id not in conn['ConnectedShares']:
        return None
    entry = conn['OpenedFiles'].get(file_id)
    if entry is None or entry['FileHandle'] != smbserver.PIPE_FILE_DESCRIPTOR:
        return None
    return entry


def _hook_pipe_io(server, message_mode, partial=False):
    orig_read = None
    orig_ioctl = None

    def pipe_read(conn_id, smb_server, packet):
        conn = smb_server.getConnectionData(conn_id)
        req = smb2.SMB2Read(packet['Data'])
        file_id = req['FileID'].getData()
        if file_id == b'\xff' * 16 and 'SMB2_CREATE' in conn['LastRequest']:
            file_id = conn['LastRequest']['SMB2_CREATE']['FileID']
        entry = _pipe_entry(conn, packet['TreeID'], file_id)
        if entry is None:
            return orig_read(conn_id, smb_server, packet)
        try:
            msg = _next_message(entry, partial)
        except OSError as e:
            LOG.info('pipe read: %s', e)
            msg = None
        if msg is None:
            return [smb2.SMB2Error()], None, STATUS_PIPE_BROKEN
        data, status = _take(entry, msg, req['Length'], message_mode)
        resp = smb2.SMB2Read_Response()
        resp['DataOffset'] = 0x50
        resp['DataLength'] = len(data)
        resp['DataRemaining'] = 0
        resp['Buffer'] = data if data else b'\x00'
        return [resp], None, status

    def pipe_ioctl(conn_id, smb_server, packet):
        conn = smb_server.getConnectionData(conn_id)
        req = smb2.SMB2Ioctl(packet['Data'])
        if req['CtlCode'] != smb2.FSCTL_PIPE_TRANSCEIVE:
            return orig_ioctl(conn_id, smb_server, packet)
        entry = _pipe_entry(conn, packet['TreeID'], req['FileID'].getData())
        if entry is None:
            return orig_ioctl(conn_id, smb_server, packet)
        try:
            entry['PipeMessage'] = b''
            entry['Socket'].sendall(req['Buffer'])
            msg = _next_message(entry, partial)
        except OSError as e:
            LOG.info('pipe transceive: %s', e)
            msg = None
        if msg is None:
            return [smb2.SMB2Error()], None, STATUS_PIPE_BROKEN
        # A transceive answer that does not fit is BUFFER_OVERFLOW in both
        # flavours: Samba's smbd does the same for FSCTL_PIPE_TRANSCEIVE.
        data, status = _take(entry, msg, req['MaxOutputResponse'], True)
        resp = smb2.SMB2Ioctl_Response()
        resp['CtlCode'] = req['CtlCode']
        resp['FileID'] = req['FileID']
        resp['InputOffset'] = 0
        resp['InputCount'] = 0
        resp['OutputOffset'] = 0x70
        resp['OutputCount'] = len(data)
        resp['Flags'] = 0
        resp['Buffer'] = data
        return [resp], None, status

    orig_read = server.hookSmb2Command(smb2.SMB2_READ, pipe_read)
    orig_ioctl = server.hookSmb2Command(smb2.SMB2_IOCTL, pipe_ioctl)


def make_smb_server(port, user, password, pipe_mode='stream',
                    server_name='RRASPEER', domain='WORKGROUP',
                    partial=False):
    """Build (not start) the SMB server on 127.0.0.1:port with one account.

    The account is stored as its NT hash, as impacket's addCredential wants
    (uid, LM hash '', NT hash hex); impacket then checks NTLMv2 responses
    against it and answers STATUS_LOGON_FAILURE for a wrong password or an
    unknown user.  Anonymous logon is refused: with credentials configured
    impacket looks the empty user name up and fails it.
    """
    cfg = configparser.ConfigParser()
    cfg.add_section('global')
    cfg.set('global', 'server_name', server_name)
    cfg.set('global', 'server_os', 'Windows Server 2019')
    cfg.set('global', 'server_domain', domain)
    cfg.set('global', 'log_file', 'None')
    cfg.set('global', 'credentials_file', '')
    cfg.set('global', 'challenge', os.urandom(8).hex())
    cfg.set('global', 'SMB2Support', 'True')
    cfg.set('global', 'anonymous_logon', 'False')
    # IPC$ only; its "path" is the process's cwd, which the peer makes an
    # empty private directory so no file can be opened through it.
    cfg.add_section('IPC$')
    cfg.set('IPC$', 'comment', '')
    cfg.set('IPC$', 'read only', 'yes')
    cfg.set('IPC$', 'share type', '3')
    cfg.set('IPC$', 'path', '')

    for h in logging.getLogger().handlers:
        h.addFilter(_NoSecrets())
    logging.getLogger('impacket').addFilter(_NoSecrets())
    logging.getLogger('impacket.smbserver').addFilter(_NoSecrets())

    server = PeerSMBServer(('127.0.0.1', port), config_parser=cfg)
    server.processConfigFile()
    server.addCredential(user, 0, '', compute_nthash(password).hex())
    _hook_pipe_io(server, pipe_mode == 'message', partial)
    return server
