#!/usr/bin/env python3
"""Board fan-out benchmark for bench/run (issue 11): N concurrent Server-Sent Events
clients on a service point's live stream, then a desk calls a ticket; the time from
sending the call to the event's arrival on every client, as p50/p95/p99/max.

Standard library only (asyncio). Each client is a raw HTTP/1.1 connection to
`GET /service-points/{point}/events` — half of them as a display board opens it (no
query), half as an e-ticket page does (`?last_event_id=N`, the id it was rendered
at). The clients are spread round-robin over the given servers (two app servers on one
PostgreSQL database: the event crosses servers through LISTEN/NOTIFY).

One round: a ticket is issued (`POST /api/v1/service-points/{point}/tickets`) so the
queue is not empty, the script waits until every client has received that event,
then takes t0 and sends the desk's call (`POST /staff/desks/{desk}/call`, staff session
cookie and CSRF token); a client's delivery time is when the first bytes holding the
call's event (`"kind":"called"`) reach it, minus t0. After the round the desk gives the
ticket back (`transfer` to its category) so the next round can call again.

Prints one line: `SSE_RESULT clients=… connected=… rounds=… deliveries=… missing=…
p50_ms=… p95_ms=… p99_ms=… max_ms=… call_ms=…` (call_ms: the median time the call's
POST took to answer).
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.parse

CALLED = b'"kind":"called"'
ISSUED = b'"kind":"issued"'


class Client(asyncio.Protocol):
    def __init__(self, fanout):
        self.fanout = fanout
        self.buf = b""
        self.headers_done = False
        self.ready = asyncio.get_running_loop().create_future()
        self.seen_issued = 0
        self.called_at = None
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        now = time.perf_counter()
        buf = self.buf + data
        if not self.headers_done:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buf = buf
                return
            status = buf.split(b"\r\n", 1)[0]
            if b" 200 " not in status:
                if not self.ready.done():
                    self.ready.set_exception(RuntimeError(status.decode(errors="replace")))
                return
            self.headers_done = True
            if not self.ready.done():
                self.ready.set_result(True)
        if self.fanout.armed and self.called_at is None and CALLED in buf:
            self.called_at = now
        self.seen_issued += buf.count(ISSUED)
        # Keep a tail so a marker split between two reads is still found.
        self.buf = buf[-64:]

    def connection_lost(self, exc):
        if not self.ready.done():
            self.ready.set_exception(RuntimeError(f"closed: {exc}"))


class Fanout:
    armed = False


def http_request(host, port, method, path, headers, body=b""):
    """A blocking one-shot HTTP/1.1 request; returns (status, headers text, body)."""
    import http.client

    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, resp.getheaders(), data


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", required=True, help="host:port[,host:port]")
    ap.add_argument("--point", type=int, required=True)
    ap.add_argument("--category", required=True, help="the ticket category's code (A)")
    ap.add_argument("--category-id", type=int, required=True)
    ap.add_argument("--desk", type=int, required=True)
    ap.add_argument("--session", required=True, help="staff session cookie value")
    ap.add_argument("--csrf", required=True, help="that session's CSRF token")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--last-event-id", type=int, default=0)
    args = ap.parse_args()

    servers = []
    for s in args.servers.split(","):
        host, port = s.rsplit(":", 1)
        servers.append((host, int(port)))
    loop = asyncio.get_running_loop()
    fanout = Fanout()
    clients = []
    path_board = f"/service-points/{args.point}/events"
    path_ticket = f"{path_board}?last_event_id={args.last_event_id}"

    async def connect(i):
        host, port = servers[i % len(servers)]
        path = path_board if i % 2 == 0 else path_ticket
        _, proto = await loop.create_connection(lambda: Client(fanout), host, port)
        proto.transport.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Accept: text/event-stream\r\n\r\n".encode()
        )
        await asyncio.wait_for(proto.ready, 30)
        clients.append(proto)

    started = time.perf_counter()
    sem = asyncio.Semaphore(100)

    async def guarded(i):
        async with sem:
            try:
                await connect(i)
            except Exception as e:  # noqa: BLE001 - reported as a count
                print(f"[sse] client {i}: {e}", file=sys.stderr)

    await asyncio.gather(*(guarded(i) for i in range(args.clients)))
    connect_s = time.perf_counter() - started
    print(f"[sse] {len(clients)} of {args.clients} clients connected in {connect_s:.1f} s",
          file=sys.stderr)

    main_host, main_port = servers[0]
    staff_headers = {
        "Cookie": f"magistrat_session={args.session}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
    }
    give_back = urllib.parse.urlencode({"_csrf": args.csrf, "category": args.category_id}).encode()
    # The desk may hold a ticket from an earlier benchmark: give it back first.
    await asyncio.to_thread(
        http_request, main_host, main_port, "POST", f"/staff/desks/{args.desk}/transfer",
        staff_headers, give_back,
    )
    deliveries = []
    missing = 0
    call_ms = []
    for r in range(args.rounds):
        before = [c.seen_issued for c in clients]
        status, _, body = await asyncio.to_thread(
            http_request, main_host, main_port, "POST",
            f"/api/v1/service-points/{args.point}/tickets",
            {"Content-Type": "application/json"},
            json.dumps({"category": args.category}).encode(),
        )
        if status != 201:
            raise SystemExit(f"issuing a ticket answered {status}: {body[:200]!r}")
        # Every client has the issue's event: the stream is quiet, the call comes next.
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and any(
            c.seen_issued <= b for c, b in zip(clients, before)
        ):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        for c in clients:
            c.called_at = None
        fanout.armed = True
        t0 = time.perf_counter()
        status, _, _ = await asyncio.to_thread(
            http_request, main_host, main_port, "POST", f"/staff/desks/{args.desk}/call",
            staff_headers, urllib.parse.urlencode({"_csrf": args.csrf}).encode(),
        )
        call_ms.append((time.perf_counter() - t0) * 1000)
        if status != 303:
            raise SystemExit(f"the call answered {status}")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and any(c.called_at is None for c in clients):
            await asyncio.sleep(0.005)
        fanout.armed = False
        got = [(c.called_at - t0) * 1000 for c in clients if c.called_at is not None]
        missing += len(clients) - len(got)
        deliveries.extend(got)
        print(f"[sse] round {r + 1}: {len(got)} deliveries, p50 "
              f"{percentile(got, 50):.1f} ms, p99 {percentile(got, 99):.1f} ms, max "
              f"{max(got) if got else float('nan'):.1f} ms", file=sys.stderr)
        # Give the ticket back to the queue so the desk is free for the next round.
        await asyncio.to_thread(
            http_request, main_host, main_port, "POST", f"/staff/desks/{args.desk}/transfer",
            staff_headers, give_back,
        )
        await asyncio.sleep(0.5)
    for c in clients:
        c.transport.close()
    print(
        "SSE_RESULT clients=%d connected=%d servers=%d rounds=%d deliveries=%d missing=%d "
        "p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f call_ms=%.1f connect_s=%.1f"
        % (args.clients, len(clients), len(servers), args.rounds, len(deliveries), missing,
           percentile(deliveries, 50), percentile(deliveries, 95), percentile(deliveries, 99),
           max(deliveries) if deliveries else float("nan"),
           statistics.median(call_ms) if call_ms else float("nan"), connect_s))


if __name__ == "__main__":
    asyncio.run(main())
