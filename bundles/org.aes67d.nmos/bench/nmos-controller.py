#!/usr/bin/env python3
"""nmos-controller.py - a plain-HTTP NMOS controller for the scale-out benchmark.

Reads senders and receivers from the registry's Query API, connects the sender labelled "tx K" to the receiver
labelled "rx K+1" (mod N) through each receiver's IS-05 Connection API (the sender's transport file,
activate_immediate), one connection after the other, and prints, per connection, the time the PATCH took and the
time from the PATCH to the first RTP packet the receiving daemon reports (GET /api/sink/status/0 on its REST API).

Usage: nmos-controller.py QUERY_BASE N REST_URL_PATTERN   (e.g. http://10.15.0.254:3210 8 http://10.15.0.{}:8080)
"""
import json
import sys
import time
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        body = r.read().decode()
        return json.loads(body) if r.headers.get("Content-Type", "").startswith("application/json") else body


def patch(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="PATCH",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read().decode())


def main():
    query, n, rest = sys.argv[1].rstrip("/") + "/x-nmos/query/v1.3", int(sys.argv[2]), sys.argv[3]
    deadline = time.time() + 60
    while True:
        senders, receivers = get(query + "/senders"), get(query + "/receivers")
        if len(senders) >= n and len(receivers) >= n:
            break
        if time.time() > deadline:
            sys.exit(f"controller: only {len(senders)} senders, {len(receivers)} receivers registered")
        time.sleep(0.2)
    devices = {d["id"]: d for d in get(query + "/devices")}
    by_label = {s["label"]: s for s in senders}
    rx_by_label = {r["label"]: r for r in receivers}
    # one connection at a time: each figure is that PATCH's own time to the first packet
    for k in range(n):
        j = (k + 1) % n
        s, r = by_label[f"tx {k}"], rx_by_label[f"rx {j}"]
        sdp = get(s["manifest_href"])
        control = next(c["href"] for c in devices[r["device_id"]]["controls"]
                       if c["type"].startswith("urn:x-nmos:control:sr-ctrl/"))
        t0 = time.monotonic()
        status, _ = patch(control.rstrip("/") + f"/single/receivers/{r['id']}/staged", {
            "sender_id": s["id"], "master_enable": True,
            "transport_file": {"data": sdp, "type": "application/sdp"},
            "activation": {"mode": "activate_immediate"}})
        if status != 200:
            sys.exit(f"controller: PATCH rx {j} answered {status}")
        answered = time.monotonic() - t0
        while True:
            flags = get(rest.format(j + 1) + "/api/sink/status/0")["sink_flags"]
            if flags.get("receiving_rtp_packet"):
                break
            if time.monotonic() - t0 > 30:
                sys.exit(f"controller: rx {j} receives nothing 30 s after its PATCH")
            time.sleep(0.005)
        print(f"controller: tx {k} -> rx {j}: PATCH answered in {1000 * answered:.0f} ms, "
              f"first packet {1000 * (time.monotonic() - t0):.0f} ms after the PATCH")

if __name__ == "__main__":
    main()
