#!/usr/bin/env python3
"""A ticker.v1 client (docs/protocol.md) on asyncio and the `websockets` package.

    python3 client.py [URL] [SYMBOL ...] [--seconds N]

Prints one line per quote ("AAPL 189.52") on stdout, everything else on stderr as "# ...".
Reconnects with exponential backoff and jitter, and subscribes again; a gap in `seq` is a reason
to reconnect too. With --seconds N it exits after N seconds: 0 if a quote arrived, 1 if none did.
Exit 2: the server refused what this client sent, or its handshake.

Works with websockets 10.4 (Debian 12's python3-websockets) and with current releases: it uses
only connect(), recv(), send(), close() and exceptions that all of them have.
"""
import asyncio
import json
import random
import sys

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake

DEFAULT_URL = "ws://localhost:8080/ticker/ws/quotes"
# Closes that blame the client (protocol error, binary frame, bad UTF-8, policy, too big): sending
# the same again would be refused the same way, so this client stops instead.
CLIENT_FAULT = {1002, 1003, 1007, 1008, 1009}


class Refused(Exception):
    """The server refused this client; retrying the same would not help."""


def log(line):
    print(f"# {line}", file=sys.stderr, flush=True)


class Client:
    def __init__(self, url, symbols):
        self.url, self.symbols = url, symbols
        self.attempt = 0  # failed connections since one last brought quotes
        self.quotes = 0

    async def run(self):
        while True:
            why, delay = await self.connection()
            if delay is None:
                # Exponential backoff with jitter: half of 1, 2, 4, ... 30 s fixed, half at random.
                self.attempt += 1
                ceiling = min(30.0, 0.5 * 2 ** min(self.attempt, 6))
                delay = ceiling / 2 + random.random() * ceiling / 2
            log(f"{why}; reconnecting in {delay:.1f} s")
            await asyncio.sleep(delay)

    async def connection(self):
        """One connection; returns why it ended and how long to wait (None: the backoff)."""
        notice = None
        try:
            # websockets answers the server's pings, and its own keepalive pings find a dead peer.
            async with websockets.connect(self.url, subprotocols=["ticker.v1"], close_timeout=2) as ws:
                log(f"connected to {self.url}")
                seq = 0
                while True:
                    frame = json.loads(await ws.recv())
                    # Frames are numbered 1, 2, 3, ... per connection: a gap means lost frames. A
                    # new connection and its snapshot put that right.
                    if frame["seq"] != seq + 1:
                        await ws.close(4000, "sequence gap")
                        return f"seq gap: expected {seq + 1}, got {frame['seq']}", None
                    seq = frame["seq"]
                    kind = frame["type"]
                    if kind == "welcome":  # subscribe at once, and after every reconnect
                        await ws.send(json.dumps({"type": "subscribe", "symbols": self.symbols}))
                    elif kind == "subscribed":
                        for r in frame.get("rejected", []):
                            log(f"rejected {r['symbol']}: {r['code']}")
                    elif kind in ("snapshot", "ticks"):
                        self.attempt = 0
                        for q in frame["data"]:
                            print(f"{q['symbol']} {q['price']:.2f}", flush=True)
                        self.quotes += len(frame["data"])
                    elif kind == "notice":  # draining: this connection closes with 1001 at closesAt
                        notice = frame
                        log(f"notice: {frame['reason']}, closing at {frame['closesAt']}")
                    elif kind == "error":
                        log(f"error {frame['code']}: {frame['message']}")
                    # heartbeat, pong, market and types added later: nothing to do
        except ConnectionClosed as e:
            code = e.rcvd.code if e.rcvd else 1006  # no close frame: the connection dropped
            if code in CLIENT_FAULT:
                raise Refused(f"closed {code} ({e.rcvd.reason}): the server blames this client")
            if code == 1001 and notice:
                # A drain: the server spreads its closes over drainMs; spread the reconnects over
                # the rest of 5 s.
                return "closed 1001 after a notice", random.random() * max(1.0, 5.0 - notice["drainMs"] / 1000)
            return f"closed {code}", None
        except InvalidHandshake as e:
            # InvalidStatus.response (websockets 14+), InvalidStatusCode (earlier).
            response = getattr(e, "response", None) or e
            status = getattr(response, "status_code", None)
            if status in (401, 403):
                raise Refused(f"handshake refused: HTTP {status}")
            retry_after = getattr(response, "headers", {}).get("Retry-After", "")
            if retry_after.isdigit():  # 429, 503: not before Retry-After
                return f"handshake refused: HTTP {status}", int(retry_after) + random.random()
            return f"handshake failed: {e}", None
        except (OSError, asyncio.TimeoutError) as e:
            return f"cannot connect: {e!r}", None


async def main(args):
    seconds = 0.0
    if "--seconds" in args:
        at = args.index("--seconds")
        seconds = float(args[at + 1])
        del args[at:at + 2]
    url = args.pop(0) if args and args[0].startswith(("ws://", "wss://")) else DEFAULT_URL
    client = Client(url, args or ["AAPL", "MSFT"])
    try:
        await asyncio.wait_for(client.run(), seconds or None)
    except asyncio.TimeoutError:  # --seconds are up
        log(f"{seconds:g} s are up; {client.quotes} quotes")
        return 0 if client.quotes else 1
    except Refused as e:
        log(f"{e}; {client.quotes} quotes")
        return 2


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(sys.argv[1:])))
    except KeyboardInterrupt:
        sys.exit(130)
