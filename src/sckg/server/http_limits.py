"""Limits on the request head that uvicorn's httptools protocol does not set by itself.

Without them one 48 MiB header held the event loop for seconds (httptools' cost grows faster than
the size), and connections that never finish their headers stayed open for good, using up the
process's file descriptors. The protocol below is uvicorn's own, with three additions:

- a request head (request line and headers) larger than ``MAX_HEAD_BYTES`` gets 431 and the
  connection is closed, before httptools has to parse it all;
- a request line longer than httptools accepts (about 64 KiB: a long GET query) gets 413 with a
  word about POST, instead of httptools' bare "Invalid HTTP request";
- a head not complete ``HEAD_TIMEOUT`` seconds after its first byte gets 408 and is closed.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 128 * 1024   # a 64 KiB request line (the largest GET query) plus ample headers
MAX_REQUEST_LINE = 65_000     # just under httptools' own limit on the request-target
HEAD_TIMEOUT = 20.0           # seconds to send a request's head, from its first byte


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._in_head = True
        self._head = 0
        self._line_done = False
        self._head_timer: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._head_too_slow)
            self._head += len(data)
            self._line_done = self._line_done or b"\n" in data
            if not self._line_done and self._head > MAX_REQUEST_LINE:
                return self._refuse(413, "Content Too Large",
                                    "the request line is longer than this endpoint accepts (64 KiB); "
                                    "send a long query with POST")
            if self._head > MAX_HEAD_BYTES:
                return self._refuse(431, "Request Header Fields Too Large",
                                    f"the request's headers are larger than {MAX_HEAD_BYTES} bytes")
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._end_head()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head, self._line_done = True, 0, False  # the next request's head

    def connection_lost(self, exc) -> None:
        self._end_head()
        super().connection_lost(exc)

    def _end_head(self) -> None:
        self._in_head = False
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self._refuse(408, "Request Timeout", f"the request's head was not complete within {HEAD_TIMEOUT:g} s")

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self._end_head()
        body = (message + "\n").encode("ascii")
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
                             b"content-length: %d\r\nconnection: close\r\n\r\n%s"
                             % (status, reason.encode("ascii"), len(body), body))
        self.transport.close()
