#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/rras_peer.py - a loopback SMB + DCE/RPC server that answers like
# a Windows router with Routing and Remote Access, for mprmon's tests.
#
#   /usr/bin/python3 tests/peers/rras_peer.py --port P --auth-file F [options]
#
# Serves, on 127.0.0.1:P only, SMB 2.002 with one NTLM account and IPC$:
#   \PIPE\ROUTER  DIMSVC (MS-RRASM): RMprAdminServerGetInfo levels 0, 1, 2
#   \PIPE\svcctl  MS-SCMR: OpenSCManagerW, OpenServiceW("RemoteAccess"),
#                 QueryServiceStatus, CloseServiceHandle
# Prints "READY <port>" on stdout once listening; logs to stderr or --log;
# exits 0 on SIGTERM or SIGINT.  Needs impacket, which Debian installs for
# /usr/bin/python3 only.
#
# The account comes from --auth-file (smbclient format: "username = U",
# "password = PW", optional "domain = D"), so the password is in no process's
# argv; --user/--password exist for hand use.

import argparse
import importlib.util
import logging
import os
import signal
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # keep the source tree clean (distcheck)

if importlib.util.find_spec('impacket') is None:
    sys.stderr.write('rras_peer: impacket is not importable by %s; use '
                     '/usr/bin/python3 with python3-impacket\n' %
                     sys.executable)
    sys.exit(77)

import rras_dcerpc  # noqa: E402
import rras_dimsvc  # noqa: E402
import rras_lists  # noqa: E402
import rras_hostile  # noqa: E402
import rras_scmr  # noqa: E402
import rras_smb  # noqa: E402

LOG = logging.getLogger('rras_peer')


def read_auth_file(path):
    """Parse an smbclient-style auth file; returns (user, password)."""
    user = password = None
    try:
        with open(path, encoding='utf-8') as f:
            lines = f.read(65536).splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise SystemExit('rras_peer: auth file %s: %s' % (path, e))
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        key, sep, value = line.partition('=')
        key = key.strip().lower()
        if not sep or key not in ('username', 'password', 'domain'):
            raise SystemExit('rras_peer: auth file %s:%d: expected '
                             '"username|password|domain = value"' % (path, n))
        value = value.strip()
        if key == 'username':
            # "DOMAIN\user" or "user@realm": impacket matches the user only.
            user = value.split('\\')[-1].split('@')[0]
        elif key == 'password':
            password = value
    if not user or password is None:
        raise SystemExit('rras_peer: auth file %s: needs username and '
                         'password' % path)
    return user, password


def level_list(text):
    try:
        levels = [int(x) for x in text.split(',') if x.strip() != '']
    except ValueError:
        raise argparse.ArgumentTypeError('expected levels like 0,1,2')
    if any(lv < 0 for lv in levels):
        raise argparse.ArgumentTypeError('levels are >= 0')
    return levels


def dword(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError('not a number: %r' % text)
    if not 0 <= v <= 0xFFFFFFFF:
        raise argparse.ArgumentTypeError('out of DWORD range: %r' % text)
    return v


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='rras_peer.py',
        description='Loopback SMB/DCE-RPC peer that acts as a Windows RRAS '
        'router (MS-RRASM DIMSVC + MS-SCMR) for tests.')
    p.add_argument('--port', type=int, required=True,
                   help='TCP port on 127.0.0.1 (0: pick one, see READY)')
    p.add_argument('--auth-file', help='smbclient-format credentials file')
    p.add_argument('--user', help='account name (if no --auth-file)')
    p.add_argument('--password',
                   help='account password (visible in argv: hand use only)')
    p.add_argument('--state-file',
                   help='file holding the RemoteAccess service state: running'
                   ', stopped, start_pending, stop_pending, paused, absent '
                   '(default: always running)')
    p.add_argument('--lists-file',
                   help='JSON file of the interfaces, connections and ports '
                        'served (re-read when it changes; rras_lists.py)')
    p.add_argument('--no-router', action='store_true',
                   help='do not serve \\PIPE\\ROUTER (no RRAS installed)')
    p.add_argument('--scm-deny', action='store_true',
                   help='ROpenSCManagerW returns ERROR_ACCESS_DENIED')
    p.add_argument('--dim-deny', action='store_true',
                   help='RMprAdminServerGetInfo returns ERROR_ACCESS_DENIED')
    p.add_argument('--lan-only', action='store_true',
                   help='MPR_SERVER_0.fLanOnlyMode = 1')
    p.add_argument('--total-ports', type=dword, default=384)
    p.add_argument('--ports-in-use', type=dword, default=0)
    p.add_argument('--uptime-start', type=dword, default=0,
                   help='dwUpTime at peer start, in seconds')
    p.add_argument('--pptp-ports', type=dword, default=128)
    p.add_argument('--pptp-flags', type=dword, default=3)
    p.add_argument('--l2tp-ports', type=dword, default=128)
    p.add_argument('--l2tp-flags', type=dword, default=3)
    p.add_argument('--sstp-ports', type=dword, default=128)
    p.add_argument('--sstp-flags', type=dword, default=1)
    p.add_argument('--levels', type=level_list, default=[0, 1, 2],
                   help='info levels served (others: ERROR_INVALID_LEVEL); '
                   'e.g. 0 for a Windows 2000 router')
    p.add_argument('--delay', type=float, default=0.0,
                   help='seconds to wait before each DCE/RPC response')
    p.add_argument('--max-frag', type=int, default=rras_dcerpc.MAX_FRAG,
                   help='largest response fragment sent (default %(default)s)'
                   '; small values split responses into many fragments, '
                   'far below what real servers do (MS-RPCE wants >= 1432)')
    p.add_argument('--pipe-mode', choices=('stream', 'message'),
                   default='stream',
                   help='a pipe read shorter than the PDU: "stream" returns '
                   'the bytes with success, as Samba\'s smbd; "message" '
                   'adds STATUS_BUFFER_OVERFLOW, as Windows (MS-SMB2 3.3.4.4)'
                   ' (default %(default)s)')
    p.add_argument('--hostile', choices=rras_hostile.MODES,
                   help='answer badly on purpose (see rras_hostile.py): the '
                   'bind_ack for the bind-* and wrong-bind-ack modes, else '
                   'the reply to RMprAdminServerGetInfo (ROUTER) or '
                   'RQueryServiceStatus (svcctl)')
    p.add_argument('--hostile-pipe', choices=('ROUTER', 'svcctl'),
                   default='ROUTER',
                   help='the pipe --hostile applies to (default %(default)s)')
    p.add_argument('--hostile-file',
                   help='read "MODE PIPE" from this file at every bind and '
                   'call instead (empty: behave), so that one peer serves '
                   'the modes in turn')
    p.add_argument('--log', help='log file (default: stderr)')
    p.add_argument('--debug', action='store_true', help='verbose logging')
    opts = p.parse_args(argv)
    if not 0 <= opts.port <= 65535:
        p.error('--port out of range')
    if opts.delay < 0:
        p.error('--delay must be >= 0')
    if not rras_dcerpc.MIN_FRAG <= opts.max_frag <= rras_dcerpc.MAX_FRAG:
        p.error('--max-frag must be in %d..%d' % (rras_dcerpc.MIN_FRAG,
                                                  rras_dcerpc.MAX_FRAG))
    if opts.hostile and opts.hostile_file:
        p.error('--hostile excludes --hostile-file')
    if opts.hostile_file:
        opts.hostile_file = os.path.abspath(opts.hostile_file)
    if opts.auth_file:
        if opts.user or opts.password:
            p.error('--auth-file excludes --user/--password')
        opts.user, opts.password = read_auth_file(opts.auth_file)
    elif not opts.user or opts.password is None:
        p.error('give --auth-file, or --user and --password')
    why = rras_scmr.state_file_ok(opts.state_file)
    if why:
        p.error(why)
    if opts.state_file:
        opts.state_file = os.path.abspath(opts.state_file)
    why = rras_lists.lists_file_ok(opts.lists_file)
    if why:
        p.error(why)
    if opts.lists_file:
        opts.lists_file = os.path.abspath(opts.lists_file)
    return opts


def setup_logging(opts):
    if opts.log:
        handler = logging.FileHandler(opts.log)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(
        '%(asctime)s rras_peer[%(process)d] %(name)s: %(message)s'))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if opts.debug else logging.INFO)


def main(argv):
    opts = parse_args(argv)
    setup_logging(opts)

    def hostile_for(pipe, opnum):
        if opts.hostile_file:
            return rras_hostile.Hostile(None, opnum, pipe, opts.hostile_file)
        if opts.hostile is None or opts.hostile_pipe != pipe:
            return None
        return rras_hostile.Hostile(opts.hostile, opnum, pipe)

    pipes = []
    if not opts.no_router:
        info = rras_dimsvc.RouterInfo(opts)
        dim = rras_dcerpc.DceRpcServer(
            rras_dimsvc.make_interface(
                info, rras_lists.RouterLists(opts.lists_file)),
            'ROUTER', opts.delay,
            opts.max_frag,
            hostile_for('ROUTER', rras_dimsvc.OPNUM_SERVER_GET_INFO))
        pipes.append(('ROUTER', dim))
    state = rras_scmr.ServiceState(opts.state_file)
    scm = rras_dcerpc.DceRpcServer(
        rras_scmr.make_interface(state, opts.scm_deny), 'svcctl', opts.delay,
        opts.max_frag, hostile_for('svcctl', rras_scmr.OPNUM_QUERY_STATUS))
    pipes.append(('svcctl', scm))

    try:
        # A hostile server's half-sent PDU must reach the client as it is.
        smb = rras_smb.make_smb_server(opts.port, opts.user, opts.password,
                                       opts.pipe_mode,
                                       partial=bool(opts.hostile or
                                                    opts.hostile_file))
    except OSError as e:
        LOG.error('cannot listen on 127.0.0.1:%d: %s', opts.port, e)
        return 1
    opts.password = None
    # impacket opens IPC$ "files" relative to the cwd: make it empty.
    jail = tempfile.mkdtemp(prefix='rras_peer.')
    os.chdir(jail)
    for name, rpc in pipes:
        smb.registerNamedPipe(name, ('127.0.0.1', rpc.port))
        rpc.start()
        LOG.info('pipe %s -> DCE/RPC on 127.0.0.1:%d', name, rpc.port)

    def on_signal(signum, _frame):
        LOG.info('signal %d: stopping', signum)
        # shutdown() waits for serve_forever, so it must not run on the
        # thread that is inside serve_forever (this one).
        threading.Thread(target=smb.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    port = smb.server_address[1]
    LOG.info('listening on 127.0.0.1:%d (user %s, router pipe %s)', port,
             opts.user, 'off' if opts.no_router else 'on')
    sys.stdout.write('READY %d\n' % port)
    sys.stdout.flush()

    smb.serve_forever(poll_interval=0.2)
    smb.server_close()
    for _, rpc in pipes:
        rpc.shutdown()
        rpc.server_close()
    try:
        os.rmdir(jail)
    except OSError:
        pass
    LOG.info('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
