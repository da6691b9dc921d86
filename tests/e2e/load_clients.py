#!/usr/bin/env python3
"""load_clients.py - hostile and measuring HTTP clients for serve_limits.sh and
scripts/bench_soak.sh. Talks to 127.0.0.1 (or another loopback address) only, with a
bounded number of sockets and a time limit on everything.

  load_clients.py empty-params PORT N
      N requests of GET /collections?&&&... (2,400 empty parameters), on keep-alive
      connections (a new one whenever the server closes one). Prints one JSON object:
      {"answered": n, "statuses": {"400": n, ...}, "unanswered": n}.
  load_clients.py trickle PORT N SRC SECONDS
      N connections from source address SRC, each sending a request line, then one
      header line a second, never ending the headers. Runs SECONDS, then prints
      {"opened": n, "refused": n, "held": n, "cut_after": [seconds...]} (refused: closed
      by the server within 0.5 s of opening; cut_after: when a held one was cut).
  load_clients.py slow-readers PORT N PATH SECONDS
      N connections that each send GET PATH and then read 1 byte a second. Prints
      {"opened": n, "status_lines": n (200s), "statuses": {...}} after SECONDS.
  load_clients.py probe PORT SECONDS PATH [PATH...]
      one keep-alive connection asking for the PATHs in turn for SECONDS; prints
      {"n": n, "errors": n, "statuses": {...}, "p50_ms": x, "p99_ms": x, "max_ms": x}.
  load_clients.py loop PORT SECONDS PATH [PATH...]
      the same, printing only the counts: load, not measurement. A PATH containing
      {n} gets a fresh number each time (to miss caches).
"""
import http.client
import json
import selectors
import socket
import sys
import time

HOST = "127.0.0.1"


def empty_params(port, n):
    path = "/collections?" + "&" * 2400
    statuses, unanswered, conn = {}, 0, None
    for _ in range(n):
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            key = str(resp.status)
            if resp.status >= 400 and not body.startswith(b"{"):
                key += "-not-json"
            statuses[key] = statuses.get(key, 0) + 1
            if resp.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            unanswered += 1
            if conn is not None:
                conn.close()
            conn = None
            if unanswered >= 20:  # the server is broken: do not wait 10 s n times
                break
    print(json.dumps({"answered": sum(statuses.values()), "statuses": statuses,
                      "unanswered": unanswered}))


def trickle(port, n, src, seconds):
    sel = selectors.DefaultSelector()
    socks, opened_at = [], {}
    refused, cut_after = 0, []
    for _ in range(n):
        s = socket.socket()
        s.bind((src, 0))
        try:
            s.connect((HOST, port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            refused += 1
            s.close()
            continue
        s.setblocking(False)
        opened_at[s] = time.monotonic()
        socks.append(s)
        sel.register(s, selectors.EVENT_READ)
    start = time.monotonic()
    next_line = start + 1
    alive = set(socks)
    while time.monotonic() - start < seconds and alive:
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                continue  # an answer would be a bug the caller sees in "held"
            sel.unregister(s)
            alive.discard(s)
            age = time.monotonic() - opened_at[s]
            if age < 0.5:
                refused += 1
            else:
                cut_after.append(round(age, 2))
            s.close()
        if time.monotonic() >= next_line:
            next_line += 1
            for s in list(alive):
                try:
                    s.send(b"X-Trickle: 1\r\n")
                except OSError:
                    pass
    for s in alive:
        s.close()
    print(json.dumps({"opened": len(socks), "refused": refused,
                      "held": len(alive), "cut_after": sorted(cut_after)}))


def slow_readers(port, n, path, seconds):
    socks, heads = [], {}
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        s.settimeout(10)
        s.connect((HOST, port))
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        s.setblocking(False)
        socks.append(s)
        heads[s] = b""
    # Each second, every reader takes 1 byte (12 until it has its status line), for `seconds`
    # and then until every reader has its status line: each answer is spooled whole before
    # its first byte, and 30 of them take longer than `seconds` on a slow (sanitizer) build.
    end = time.monotonic() + seconds
    deadline = end + 60

    def waiting():
        return any(len(h) < 12 for h in heads.values())

    while time.monotonic() < end or (waiting() and time.monotonic() < deadline):
        for s in socks:
            want = 12 - len(heads[s]) if len(heads[s]) < 12 else 1
            try:
                data = s.recv(want)
            except OSError:
                continue
            if len(heads[s]) < 12:
                heads[s] += data
        time.sleep(1)
    statuses = {}
    for s in socks:
        line = heads[s]
        key = line[9:12].decode("latin1") if line.startswith(b"HTTP/1.1 ") else "none"
        statuses[key] = statuses.get(key, 0) + 1
        s.close()
    print(json.dumps({"opened": len(socks), "status_lines": statuses.get("200", 0),
                      "statuses": statuses}))


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))], 2)


def probe(port, seconds, paths, is_measured=True):
    conn, times, statuses, errors = None, [], {}, 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        path = paths[i % len(paths)].replace("{n}", str(i))
        i += 1
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            statuses[str(resp.status)] = statuses.get(str(resp.status), 0) + 1
            if resp.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors += 1
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
            continue
        times.append((time.monotonic() - t0) * 1000)
    out = {"n": len(times), "errors": errors, "statuses": statuses}
    if is_measured:
        out.update({"p50_ms": percentile(times, 0.5), "p99_ms": percentile(times, 0.99),
                    "max_ms": round(max(times), 2) if times else None})
    print(json.dumps(out))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, port = argv[1], int(argv[2])
    if cmd == "empty-params":
        empty_params(port, int(argv[3]))
    elif cmd == "trickle":
        trickle(port, int(argv[3]), argv[4], float(argv[5]))
    elif cmd == "slow-readers":
        slow_readers(port, int(argv[3]), argv[4], float(argv[5]))
    elif cmd in ("probe", "loop"):
        probe(port, float(argv[3]), argv[4:], cmd == "probe")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
