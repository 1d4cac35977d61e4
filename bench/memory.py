#!/usr/bin/env python3
"""Memory: OrleansLua vs redis-server, same data, same run.

Per element by key type (default): loads each data shape into both servers and compares the growth
of INFO used_memory (for OrleansLua: the managed heap after MEMORY PURGE, i.e. a full compacting GC of
the silo process that also hosts the gateway).
  bench/memory.py <orleanslua-port> <redis-port>

Process RSS (--rss): loads KEYS small strings (SET key:%07d value-%010d: 11-byte keys, 16-byte values,
pipelined) into each server in turn and reports VmRSS from /proc/<pid>/status before, after the load and
after MEMORY PURGE (OrleansLua: full compacting GC; Redis: jemalloc purge), bytes per key and the ratio.
  bench/memory.py --rss <orleanslua-port> <redis-port> <orleanslua-pid> <redis-pid> [keys]
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

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(l.split()[1] for l in f if l.startswith("VmRSS:")))

def rss(ol_port, rs_port, ol_pid, rs_pid, n=1_000_000):
    mb = lambda kb: f"{kb / 1024:,.1f} MB"
    rows = []
    for name, port, pid in (("OrleansLua", ol_port, ol_pid), ("redis-server", rs_port, rs_pid)):
        c = Conn(port)
        time.sleep(1)
        before = rss_kb(pid)
        start = time.time()
        for i in range(0, n, 10_000):
            c.pipeline([("SET", "key:%07d" % j, "value-%010d" % j) for j in range(i, min(n, i + 10_000))])
        seconds = time.time() - start
        keys = int(c.call("DBSIZE"))
        if keys != n: sys.exit(f"{name}: DBSIZE {keys}, expected {n}")
        time.sleep(1)
        loaded = rss_kb(pid)
        c.call("MEMORY", "PURGE")
        time.sleep(1)
        purged = rss_kb(pid)
        rows.append((name, before, loaded, purged, (purged - before) * 1024 / n, seconds))
    print(f"RSS (VmRSS), {n:,} keys: SET key:%07d value-%010d (11-byte keys, 16-byte values), pipelined 1000 deep\n")
    print("| server | RSS before | after load | after MEMORY PURGE | bytes per key | load time |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, before, loaded, purged, per_key, seconds in rows:
        print(f"| {name} | {mb(before)} | {mb(loaded)} | {mb(purged)} | {per_key:,.0f} | {seconds:.1f} s |")
    (_, _, ol_loaded, ol_purged, ol_key, _), (_, _, rs_loaded, rs_purged, rs_key, _) = rows
    print(f"\nOrleansLua / redis-server: RSS after load {ol_loaded / rs_loaded:.2f}x, after MEMORY PURGE "
          f"{ol_purged / rs_purged:.2f}x, bytes per key {ol_key / rs_key:.2f}x. Bytes per key = (RSS after MEMORY PURGE"
          f" - RSS before) / keys; OrleansLua's includes activating its slot grains.")

def main():
    if sys.argv[1] == "--rss":
        return rss(*map(int, sys.argv[2:7]))
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
