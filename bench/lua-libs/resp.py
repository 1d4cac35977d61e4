"""Runs EVAL scripts against redis-server (raw RESP over a socket) or against the lua5.4 harness."""
import hashlib
import os
import socket
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def sha1(script):
    return hashlib.sha1(script.encode('latin-1')).hexdigest()


def _command(*args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a.encode('latin-1') if isinstance(a, str) else a
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out


def _read_reply(f):
    line = f.readline()
    kind = line[:1]
    if kind in b'+-:':
        return line
    if kind == b'$':
        n = int(line[1:-2])
        return line if n < 0 else line + f.read(n + 2)
    if kind == b'*':
        out = line
        for _ in range(max(int(line[1:-2]), 0)):
            out += _read_reply(f)
        return out
    raise ValueError('bad reply %r' % line)


def redis_replies(scripts, port=6391):
    """Raw replies of EVAL <script> 0 from the redis-server on 127.0.0.1:port, in order."""
    replies = []
    with socket.create_connection(('127.0.0.1', port)) as s:
        f = s.makefile('rb')
        for script in scripts:
            s.sendall(_command('EVAL', script, '0'))
            replies.append(_read_reply(f))
    return replies


def harness_replies(scripts):
    """Raw replies of the same scripts run by harness.lua under lua5.4."""
    data = b''.join(b'%s %d\n%s' % (sha1(sc).encode(), len(sc.encode('latin-1')), sc.encode('latin-1'))
                    for sc in scripts)
    out = subprocess.run(['lua5.4', os.path.join(ROOT, 'bench', 'lua-libs', 'harness.lua'), ROOT],
                         input=data, capture_output=True, check=True).stdout
    replies = []
    while out:
        header, out = out.split(b'\n', 1)
        n = int(header)
        replies.append(out[:n])
        out = out[n:]
    if len(replies) != len(scripts):
        raise RuntimeError('harness stopped after %d of %d scripts' % (len(replies), len(scripts)))
    return replies
