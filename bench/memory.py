#!/usr/bin/env python3
"""Memory per element by key type: OrleansLua vs redis-server, same data, same run.

Loads each data shape into both servers and compares the growth of INFO used_memory (for
OrleansLua: the managed heap after MEMORY PURGE, i.e. a full compacting GC of the silo process that
also hosts the gateway). Usage: bench/memory.py <orleanslua-port> <redis-port>
"""
import socket, sys, time

def enc(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)

class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")
    def read(self):
        line = self.f.readline()
        t, rest = line[:1], line[1:-2]
        if t in (b"+", b"-", b":"): return rest
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        if t == b"*":
            return [self.read() for _ in range(int(rest))]
        if t == b"=":
            return self.f.read(int(rest) + 2)[4:-2]
        raise ValueError(line)
    def call(self, *args):
        self.s.sendall(enc(*args)); return self.read()
    def pipeline(self, commands, chunk=1000):
        for i in range(0, len(commands), chunk):
            part = commands[i:i + chunk]
            self.s.sendall(b"".join(enc(*c) for c in part))
            for _ in part: self.read()

def used_memory(c, orleanslua):
    if orleanslua: c.call("MEMORY", "PURGE")
    time.sleep(0.3)
    info = c.call("INFO", "memory").decode()
    return int(next(l.split(":")[1] for l in info.split("\r\n") if l.startswith("used_memory:")))

def shapes():
    # (name, elements, commands) — members are 16-byte strings, values 16 bytes
    m = lambda i: "member:%08d" % i
    yield "string (key+value)", 100_000, [("SET", "s:{%d}:%d" % (i % 1000, i), m(i)) for i in range(100_000)]
    for kind, cmd in (("hash", "HSET"), ("set", "SADD"), ("zset", "ZADD"), ("list", "RPUSH")):
        def args(key, i):
            return {"HSET": (cmd, key, m(i), m(i)), "SADD": (cmd, key, m(i)), "ZADD": (cmd, key, i, m(i)), "RPUSH": (cmd, key, m(i))}[cmd]
        yield f"{kind}, 10 keys x 10000", 100_000, [args(f"{kind}:big:{i % 10}", i) for i in range(100_000)]
        yield f"{kind}, 10000 keys x 10", 100_000, [args(f"{kind}:small:{i // 10}", i) for i in range(100_000)]

def main():
    ol, rs = Conn(int(sys.argv[1])), Conn(int(sys.argv[2]))
    # Every slot's grain once, before measuring: its fixed cost is reported on its own line, so the
    # rows below compare data structures only.
    before = used_memory(ol, True)
    ol.pipeline([("SET", "warm:%d" % i, "x") for i in range(200_000)])
    ol.call("FLUSHALL")
    slots = int(next(l.split(":")[1] for l in ol.call("CLUSTER", "INFO").decode().split("\r\n") if l.startswith("cluster_slots_assigned:")))
    print(f"OrleansLua: {(used_memory(ol, True) - before) / slots:.0f} bytes per active slot grain (all {slots} active)")
    print(f"{'data':32} {'OrleansLua B/elem':>18} {'redis B/elem':>13} {'ratio':>6}")
    for name, n, commands in shapes():
        row = []
        for c, is_ol in ((ol, True), (rs, False)):
            c.call("FLUSHALL")
            before = used_memory(c, is_ol)
            c.pipeline(commands)
            after = used_memory(c, is_ol)
            row.append((after - before) / n)
        print(f"{name:32} {row[0]:18.1f} {row[1]:13.1f} {row[0] / row[1]:6.2f}")

main()
