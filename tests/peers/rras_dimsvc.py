# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_dimsvc.py - the DIMSVC interface (MS-RRASM) of the RRAS
# test peer: RMprAdminServerGetInfo here, the listing calls in
# rras_lists.py.
#
# References are to Microsoft's [MS-RRASM] (checked against the published
# text, see the section numbers):
#   2.1.1      transport: RPC over SMB, \PIPE\ROUTER, UUID
#              8f09f000-b7ed-11ce-bbd2-00001a181cad version 0.0
#   3.1.4.1    RMprAdminServerGetInfo (Opnum 0):
#                DWORD RMprAdminServerGetInfo([in] DIM_HANDLE hDimServer,
#                    [in] DWORD dwLevel,
#                    [out] PDIM_INFORMATION_CONTAINER pInfoStruct);
#              DIM_HANDLE is a handle_t (no wire bytes), so the request stub
#              is just dwLevel; the response stub is the container, then the
#              DWORD return value.
#   2.2.1.2.1  DIM_INFORMATION_CONTAINER { DWORD dwBufferSize;
#                  [size_is(dwBufferSize)] LPBYTE pBuffer; }
#              pBuffer is an embedded pointer, unique by default
#              (MS-RPCE 2.2.4.9: pointer_default(unique) is assumed), so in
#              NDR it is a referent id in the struct, then deferred: the
#              conformant array's max_count, then the bytes (padded to 4).
#   2.2.1.2.61 MPR_SERVER_0 { BOOL fLanOnlyMode; DWORD dwUpTime;
#                  DWORD dwTotalPorts; DWORD dwPortsInUse; }
#   2.2.1.2.62 MPR_SERVER_1 { DWORD dwNumPptpPorts; DWORD dwPptpPortFlags;
#                  DWORD dwNumL2tpPorts; DWORD dwL2tpPortFlags; }
#   2.2.1.2.63 MPR_SERVER_2 { MPR_SERVER_1's fields, then
#                  DWORD dwNumSstpPorts; DWORD dwSstpPortFlags; }
#              (MPR_SERVER_1/2 do NOT start with MPR_SERVER_0's fields.)
# pBuffer carries the structure flat, little-endian (our brief calls these
# MPRI_INFO_0/1/2; MS-RRASM only names them MPR_SERVER_0/1/2).

import logging
import struct
import time

from rras_dcerpc import Interface, RpcFault, NCA_S_FAULT_NDR
import rras_lists

LOG = logging.getLogger('rras_peer.dimsvc')

DIMSVC_UUID = '8f09f000-b7ed-11ce-bbd2-00001a181cad'
OPNUM_SERVER_GET_INFO = 0

ERROR_SUCCESS = 0
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_LEVEL = 124

REFERENT_ID = 0x00020000  # any non-zero value; MS RPC starts at this one


class RouterInfo:
    """The values the peer reports; uptime counts from construction."""

    def __init__(self, opts):
        self.lan_only = 1 if opts.lan_only else 0
        self.total_ports = opts.total_ports
        self.ports_in_use = opts.ports_in_use
        self.pptp = (opts.pptp_ports, opts.pptp_flags)
        self.l2tp = (opts.l2tp_ports, opts.l2tp_flags)
        self.sstp = (opts.sstp_ports, opts.sstp_flags)
        self.levels = set(opts.levels)
        self.deny = opts.dim_deny
        self.started = time.monotonic() - opts.uptime_start

    def uptime(self):
        return int(time.monotonic() - self.started) & 0xFFFFFFFF

    def server_struct(self, level):
        """The flat MPR_SERVER_<level>, or None for an unknown level."""
        if level not in self.levels:
            return None
        if level == 0:
            return struct.pack('<IIII', self.lan_only, self.uptime(),
                               self.total_ports, self.ports_in_use)
        if level == 1:
            return struct.pack('<IIII', *self.pptp, *self.l2tp)
        if level == 2:
            return struct.pack('<IIIIII', *self.pptp, *self.l2tp, *self.sstp)
        return None


def encode_container(buf):
    """NDR of DIM_INFORMATION_CONTAINER; buf None -> empty, NULL pointer."""
    if buf is None:
        return struct.pack('<II', 0, 0)
    out = struct.pack('<II', len(buf), REFERENT_ID)
    out += struct.pack('<I', len(buf)) + buf  # conformant byte array
    out += b'\x00' * (-len(out) % 4)  # the next DWORD is 4-aligned
    return out


def make_interface(info, lists):
    def server_get_info(_state, stub):
        if len(stub) < 4:
            raise RpcFault(NCA_S_FAULT_NDR, 'stub of %d bytes' % len(stub))
        (level,) = struct.unpack_from('<I', stub, 0)
        if info.deny:
            LOG.info('RMprAdminServerGetInfo level %d -> ERROR_ACCESS_DENIED',
                     level)
            return encode_container(None) + struct.pack('<I',
                                                        ERROR_ACCESS_DENIED)
        buf = info.server_struct(level)
        if buf is None:
            LOG.info('RMprAdminServerGetInfo level %d -> ERROR_INVALID_LEVEL',
                     level)
            return encode_container(None) + struct.pack('<I',
                                                        ERROR_INVALID_LEVEL)
        LOG.info('RMprAdminServerGetInfo level %d -> %d bytes', level,
                 len(buf))
        return encode_container(buf) + struct.pack('<I', ERROR_SUCCESS)

    handlers = rras_lists.make_handlers(lists, info.deny)
    handlers[OPNUM_SERVER_GET_INFO] = server_get_info
    return Interface(DIMSVC_UUID, 0, 0, handlers, '\\PIPE\\ROUTER')
