#!/usr/bin/env python
"""A local SMTP sink (aiosmtpd) for the notices tests and benchmark: it accepts mail, keeps nothing but each
message's Message-ID, and counts a message only once it has answered 250 for it.

    .venv/bin/python bench/smtp_sink.py --port 2525     # serves until Ctrl-C, prints its counts every second

In a test, ``Sink`` runs it in a thread of the test process:
- ``refuse``: recipients (a substring of the address) answered with a code instead of 250 for RCPT, e.g.
  ``{"bad-": [550], "busy-": [451, 451]}`` (each code once, in turn; then accepted);
- ``freeze_at=k``: when the k-th message's DATA arrives the whole server stops answering (its event loop
  waits) until ``release()``; that message and anything sent on a connection opened before the release is
  then refused (421) and not counted. The test kills the worker while it waits for those answers: nothing
  it sent after the freeze was accepted, so the deliveries it had in hand must be sent again, once.
In the benchmark, ``serve_counting`` runs it in a child process with the counts in shared memory.
"""

from __future__ import annotations

import argparse
import re
import socket
import threading
import time
from collections import Counter
from typing import Any

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def message_id_of(content: bytes) -> str:
    head = content.split(b"\r\n\r\n", 1)[0]
    found = MESSAGE_ID.search(head)
    return found.group(1).decode() if found else ""


class Handler:
    def __init__(self, *, refuse: dict[str, list[int]] | None = None, freeze_at: int | None = None) -> None:
        self.lock = threading.Lock()
        self.ids: Counter[str] = Counter()
        self.accepted = 0
        self.arrivals = 0
        self.refused: list[tuple[str, int]] = []
        self.refuse = {k: list(v) for k, v in (refuse or {}).items()}
        self.freeze_at = freeze_at
        self.frozen = threading.Event()
        self.released = threading.Event()
        self.generation = 0
        self.last_accepted_at = 0.0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> Any:
        session.generation = self.generation
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server: Any, session: Any, envelope: Any, hostname: str) -> str:
        session.generation = self.generation
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        with self.lock:
            for pattern, codes in self.refuse.items():
                if pattern in address and codes:
                    code = codes.pop(0)
                    self.refused.append((address, code))
                    return f"{code} {'4.3.0 try again later' if code < 500 else '5.1.1 no such mailbox'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.arrivals += 1
            freeze = self.freeze_at is not None and self.arrivals == self.freeze_at
        if freeze:
            self.frozen.set()
            self.released.wait()  # blocks the server's loop: no connection gets an answer meanwhile
            return "421 4.3.0 stopped for the test"
        if getattr(session, "generation", 0) != self.generation:
            return "421 4.3.0 connection from before the restart"
        msg_id = message_id_of(envelope.original_content or envelope.content)
        with self.lock:
            self.accepted += 1
            self.ids[msg_id] += 1
            self.last_accepted_at = time.time()
        return "250 OK"

    def release(self) -> None:
        with self.lock:
            self.generation += 1
        self.released.set()

    @property
    def distinct(self) -> int:
        with self.lock:
            return len(self.ids)

    def duplicates(self) -> dict[str, int]:
        with self.lock:
            return {k: v for k, v in self.ids.items() if v > 1}


class Sink:
    """The sink in a thread of this process (tests)."""

    def __init__(self, port: int | None = None, **handler_options: Any) -> None:
        from aiosmtpd.controller import Controller

        self.handler = Handler(**handler_options)
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     data_size_limit=10 * 1024 * 1024)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.handler.released.set()
        self.controller.stop()


def serve_counting(port: int, accepted: Any, distinct: Any, last_at: Any, ready: Any) -> None:
    """The benchmark's child process: serves on ``port`` and keeps the counts in shared values."""
    import asyncio

    from aiosmtpd.smtp import SMTP

    class Counting(Handler):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            msg_id = message_id_of(envelope.original_content or envelope.content)
            self.ids[msg_id] += 1
            accepted.value += 1
            distinct.value = len(self.ids)
            last_at.value = time.time()
            return "250 OK"

    handler = Counting()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(handler, hostname="sink.localhost"), "127.0.0.1", port,
                                          backlog=256)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=2525)
    args = parser.parse_args()
    with Sink(port=args.port) as sink:
        print(f"SMTP sink on 127.0.0.1:{args.port}", flush=True)
        try:
            while True:
                time.sleep(1)
                print(f"accepted {sink.handler.accepted} distinct {sink.handler.distinct}", flush=True)
        except KeyboardInterrupt:
            pass
