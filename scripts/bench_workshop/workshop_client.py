#!/usr/bin/env python3
"""workshop_client.py BASE SCENARIO TOKEN PARTICIPANTS WRITES_EACH - a simulated workshop
against `cityatlas serve` on 127.0.0.1 (scripts/bench_workshop.sh runs it).

A facilitator token opens a live session; PARTICIPANTS clients join it by code and each adds
WRITES_EACH point sketches inside the scenario's extent, a random pause of 0 to 1 s before
each, all at once (one thread and one keep-alive connection per participant). A projector
client polls GET /scenarios/SCENARIO/changes?after=LAST every POLL seconds, as the web map's
projector view does. For every acknowledged write (201) it records the time from sending the
POST to the projector first seeing its sketch_id as "created". A 503 (the single SQLite writer
busy) is retried after its Retry-After and counted. Prints one JSON line: participants,
writes, writes_per_s, latency median and p99 (s), lost (acknowledged, never seen), duplicated
(seen created twice), unexpected (seen, never acknowledged), retries_503, errors."""
import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlparse

POLL = 0.25


def conn_for(base):
    u = urlparse(base)
    if u.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("workshop_client: only 127.0.0.1")
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def call(conn, method, path, body=None, headers=None):
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    raw = r.read()
    return r.status, r.getheader("Retry-After"), (json.loads(raw) if raw else None)


def main():
    base, scenario, token, n_participants, writes_each = sys.argv[1:6]
    n_participants, writes_each = int(n_participants), int(writes_each)
    admin = conn_for(base)
    st, _, doc = call(admin, "GET", f"/scenarios/{scenario}")
    assert st == 200, (st, doc)
    ext = doc["extent"]
    kind = doc["sketch_kinds"][0]["id"]
    auth = {"Authorization": f"Bearer {token}"}
    st, _, session = call(admin, "POST", f"/scenarios/{scenario}/sessions",
                          {"mode": "live", "minutes": 60}, auth)
    assert st == 201, (st, session)
    code = session["code"]
    st, _, first = call(admin, "GET", f"/scenarios/{scenario}/changes?limit=500")
    last = first["last"]
    while first["more"]:
        st, _, first = call(admin, "GET", f"/scenarios/{scenario}/changes?after={last}&limit=500")
        last = first["last"]

    lock = threading.Lock()
    sent_at = {}  # sketch_id -> send time of its acknowledged write
    seen_at = {}  # sketch_id -> first time the projector saw it created
    seen_count = {}
    stats = {"retries_503": 0, "errors": 0}
    done = threading.Event()

    def projector():
        nonlocal last
        c = conn_for(base)
        while True:
            finished = done.is_set()
            st, _, page = call(c, "GET", f"/scenarios/{scenario}/changes?after={last}&limit=500")
            now = time.monotonic()
            if st != 200:
                with lock:
                    stats["errors"] += 1
                time.sleep(POLL)
                continue
            with lock:
                for ch in page["changes"]:
                    if ch["action"] == "created":
                        sid = ch["sketch_id"]
                        seen_count[sid] = seen_count.get(sid, 0) + 1
                        seen_at.setdefault(sid, now)
            last = page["last"]
            if page["more"]:
                continue
            if finished:
                return
            time.sleep(POLL)

    def participant(i):
        try:
            participant_run(i)
        except (OSError, http.client.HTTPException):
            with lock:
                stats["errors"] += 1

    def participant_run(i):
        c = conn_for(base)
        st, _, joined = call(c, "POST", f"/join/{code}", {"name": f"p{i}"})
        if st != 201:
            with lock:
                stats["errors"] += 1
            return
        h = {"Authorization": f"Bearer {joined['credential']}"}
        rnd = random.Random(i)
        for k in range(writes_each):
            time.sleep(rnd.random())
            lon = ext[0] + (ext[2] - ext[0]) * rnd.random()
            lat = ext[1] + (ext[3] - ext[1]) * rnd.random()
            feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": {"kind": kind, "note": f"p{i} idea {k}"}}
            while True:
                t0 = time.monotonic()
                st, retry, answer = call(c, "POST", f"/scenarios/{scenario}/sketches", feature, h)
                if st == 503:
                    with lock:
                        stats["retries_503"] += 1
                    time.sleep(float(retry or 1))
                    continue
                break
            with lock:
                if st == 201:
                    sent_at[answer["id"]] = t0
                else:
                    stats["errors"] += 1

    proj = threading.Thread(target=projector)
    proj.start()
    start = time.monotonic()
    threads = [threading.Thread(target=participant, args=(i,)) for i in range(n_participants)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    written = time.monotonic() - start
    # Whatever is not seen 10 s after the last write is lost.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if all(s in seen_at for s in sent_at):
                break
        time.sleep(0.1)
    done.set()
    proj.join()
    lat = sorted(seen_at[s] - sent_at[s] for s in sent_at if s in seen_at)

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else None

    print(json.dumps({
        "participants": n_participants,
        "writes": len(sent_at),
        "writes_per_s": round(len(sent_at) / written, 1),
        "latency_median_s": round(pct(0.5), 3) if lat else None,
        "latency_p99_s": round(pct(0.99), 3) if lat else None,
        "lost": sum(1 for s in sent_at if s not in seen_at),
        "duplicated": sum(1 for n in seen_count.values() if n > 1),
        "unexpected": sum(1 for s in seen_at if s not in sent_at),
        "retries_503": stats["retries_503"],
        "errors": stats["errors"],
    }))


if __name__ == "__main__":
    main()
