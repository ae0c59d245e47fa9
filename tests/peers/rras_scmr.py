# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_scmr.py - the MS-SCMR (svcctl) calls the RRAS test peer
# serves: just enough for "is RemoteAccess running?".
#
# [MS-SCMR] 3.1.4: RCloseServiceHandle (opnum 0), RQueryServiceStatus (6),
# ROpenSCManagerW (15), ROpenServiceW (16); interface 367abb81-9844-35f1-
# ad32-98f038001003 v2.0 on \PIPE\svcctl.  NDR is done with impacket's
# structures from impacket.dcerpc.v5.scmr.
#
# The RemoteAccess service's state is read from a file at each call, so a test
# stops or starts the "service" by rewriting one word:
#   running | stopped | start_pending | stop_pending | paused | absent
# "absent" makes ROpenServiceW fail with ERROR_SERVICE_DOES_NOT_EXIST, as on
# a Windows machine without the Routing and Remote Access role.

import logging
import os
import uuid

from impacket.dcerpc.v5 import scmr

from rras_dcerpc import Interface

LOG = logging.getLogger('rras_peer.scmr')

SCMR_UUID = '367abb81-9844-35f1-ad32-98f038001003'

ERROR_SUCCESS = 0
ERROR_INVALID_HANDLE = 6
ERROR_INVALID_DATA = 13
ERROR_ACCESS_DENIED = 5
ERROR_SERVICE_DOES_NOT_EXIST = 1060

SERVICE_WIN32_SHARE_PROCESS = 0x20  # RemoteAccess lives in svchost.exe
SERVICE_ACCEPT_STOP = 0x1
SERVICE_ACCEPT_PAUSE_CONTINUE = 0x2
SERVICE_ACCEPT_SHUTDOWN = 0x4

STATES = {
    'stopped': scmr.SERVICE_STOPPED,
    'start_pending': scmr.SERVICE_START_PENDING,
    'stop_pending': scmr.SERVICE_STOP_PENDING,
    'running': scmr.SERVICE_RUNNING,
    'paused': scmr.SERVICE_PAUSED,
}

# [MS-SCMR] 3.1.4: the opnum --hostile targets on this pipe.
OPNUM_QUERY_STATUS = 6

SERVICE_NAME = 'RemoteAccess'
NULL_HANDLE = b'\x00' * 20


class ServiceState:
    """The RemoteAccess state as the state file says, re-read on each call."""

    def __init__(self, path):
        self.path = path

    def read(self):
        """Return (word, None) or (None, why) when the file is unusable."""
        if self.path is None:
            return 'running', None
        try:
            with open(self.path, encoding='ascii') as f:
                word = f.read(64).strip().lower()
        except (OSError, UnicodeDecodeError) as e:
            return None, 'state file %s: %s' % (self.path, e)
        if word != 'absent' and word not in STATES:
            return None, 'state file %s: unknown state %r' % (self.path, word)
        return word, None


def _new_handle():
    # A context handle: 4 attribute bytes, then a 16-byte UUID (MS-RPCE
    # 2.2.1.1.2 / C706 ndr_context_handle).
    return b'\x00' * 4 + uuid.uuid4().bytes


def _handle_bytes(value):
    # impacket hands a decoded SC_RPC_HANDLE back as plain bytes.
    return value.getData() if hasattr(value, 'getData') else bytes(value)


def _handles(conn):
    return conn.setdefault('scmr_handles', {})


def make_interface(service, scm_deny=False):
    def close_service_handle(conn, stub):
        req = scmr.RCloseServiceHandle(stub)
        h = _handle_bytes(req['hSCObject'])
        resp = scmr.RCloseServiceHandleResponse()
        resp['hSCObject'] = NULL_HANDLE
        if _handles(conn).pop(h, None) is None:
            resp['hSCObject'] = h
            resp['ErrorCode'] = ERROR_INVALID_HANDLE
        else:
            resp['ErrorCode'] = ERROR_SUCCESS
        return resp.getData()

    def open_sc_manager(conn, stub):
        req = scmr.ROpenSCManagerW(stub)
        resp = scmr.ROpenSCManagerWResponse()
        if scm_deny:
            LOG.info('ROpenSCManagerW -> ERROR_ACCESS_DENIED (--scm-deny)')
            resp['lpScHandle'] = NULL_HANDLE
            resp['ErrorCode'] = ERROR_ACCESS_DENIED
            return resp.getData()
        h = _new_handle()
        _handles(conn)[h] = ('scm', None)
        LOG.info('ROpenSCManagerW access 0x%x -> ok', req['dwDesiredAccess'])
        resp['lpScHandle'] = h
        resp['ErrorCode'] = ERROR_SUCCESS
        return resp.getData()

    def open_service(conn, stub):
        req = scmr.ROpenServiceW(stub)
        resp = scmr.ROpenServiceWResponse()
        resp['lpServiceHandle'] = NULL_HANDLE
        kind = _handles(conn).get(_handle_bytes(req['hSCManager']))
        name = req['lpServiceName'].rstrip('\x00')
        if kind is None or kind[0] != 'scm':
            resp['ErrorCode'] = ERROR_INVALID_HANDLE
            return resp.getData()
        word, why = service.read()
        if why:
            LOG.error('ROpenServiceW: %s', why)
            resp['ErrorCode'] = ERROR_INVALID_DATA
            return resp.getData()
        # Service names compare case-insensitively on Windows.
        if name.lower() != SERVICE_NAME.lower() or word == 'absent':
            LOG.info('ROpenServiceW %r -> ERROR_SERVICE_DOES_NOT_EXIST', name)
            resp['ErrorCode'] = ERROR_SERVICE_DOES_NOT_EXIST
            return resp.getData()
        h = _new_handle()
        _handles(conn)[h] = ('service', SERVICE_NAME)
        LOG.info('ROpenServiceW %r -> ok', name)
        resp['lpServiceHandle'] = h
        resp['ErrorCode'] = ERROR_SUCCESS
        return resp.getData()

    def query_service_status(conn, stub):
        req = scmr.RQueryServiceStatus(stub)
        resp = scmr.RQueryServiceStatusResponse()
        kind = _handles(conn).get(_handle_bytes(req['hService']))
        if kind is None or kind[0] != 'service':
            resp['ErrorCode'] = ERROR_INVALID_HANDLE
            return resp.getData()
        word, why = service.read()
        if why:
            LOG.error('RQueryServiceStatus: %s', why)
            resp['ErrorCode'] = ERROR_INVALID_DATA
            return resp.getData()
        # A service deleted while a handle is open still answers on Windows
        # (it is only marked for deletion); report it stopped.
        state = STATES.get(word, scmr.SERVICE_STOPPED)
        st = resp['lpServiceStatus']
        st['dwServiceType'] = SERVICE_WIN32_SHARE_PROCESS
        st['dwCurrentState'] = state
        st['dwControlsAccepted'] = (
            SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE |
            SERVICE_ACCEPT_SHUTDOWN) if state in (scmr.SERVICE_RUNNING,
                                                  scmr.SERVICE_PAUSED) else 0
        st['dwWin32ExitCode'] = 0
        st['dwServiceSpecificExitCode'] = 0
        pending = state in (scmr.SERVICE_START_PENDING,
                            scmr.SERVICE_STOP_PENDING)
        st['dwCheckPoint'] = 1 if pending else 0
        st['dwWaitHint'] = 30000 if pending else 0
        resp['ErrorCode'] = ERROR_SUCCESS
        LOG.info('RQueryServiceStatus RemoteAccess -> %s (%d)', word, state)
        return resp.getData()

    return Interface(SCMR_UUID, 2, 0, {
        0: close_service_handle,
        OPNUM_QUERY_STATUS: query_service_status,
        15: open_sc_manager,
        16: open_service,
    }, '\\PIPE\\ntsvcs')


def state_file_ok(path):
    """Check a --state-file at start-up; returns an error text or None."""
    if path is None:
        return None
    if not os.path.exists(path):
        return 'state file %s does not exist' % path
    _, why = ServiceState(path).read()
    return why
