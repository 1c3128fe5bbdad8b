"""Serve a WSGI app with waitress on a background thread, and stop it cleanly.

One helper serves the bot's HTTP surface, the sandbox Sinch and the local Slack, in production and in
tests alike (port 0 picks a free port).
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class BackgroundServer:
    """A waitress server running on its own thread until `stop()` (or the end of a `with` block)."""

    def __init__(
        self,
        app: WSGIApplication,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 8,
        max_request_body_size: int = 1024**3,
    ) -> None:
        """`max_request_body_size`: larger bodies get 413 as soon as their size is known (from Content-Length,
        or while a chunked one arrives), before the app runs; waitress' default is 1 GiB."""
        # Bound here first: if the port is taken, nothing else (waitress' worker threads, its wake-up pipe)
        # has been created yet that would leak.
        listener = _bind(host, port)
        try:
            self._server: Any = create_server(
                app,
                sockets=[listener],
                threads=threads,
                # A 2-core machine answering bursts of callbacks: never refuse a connection we could queue.
                backlog=1024,
                connection_limit=1000,
                channel_timeout=30,
                # waitress refuses at this size, not above it.
                max_request_body_size=max_request_body_size + 1,
                ident="numbot",
            )
        except BaseException:
            listener.close()
            raise
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"wsgi-{self.port}", daemon=True)

    @property
    def host(self) -> str:
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def _loop(self) -> None:
        # waitress' own run() only returns once every socket is closed; polling in short rounds lets
        # stop() end the loop from another thread.
        while not self._stopping.is_set():
            self._server.asyncore.loop(timeout=0.05, map=self._server._map, count=1)

    def serve_forever(self) -> None:
        """Serve on the calling thread (the CLI's foreground mode) until stop() or Ctrl-C."""
        try:
            self._loop()
        finally:
            self._close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._server.pull_trigger()  # wakes the loop now rather than at the end of its 50 ms round
            self._thread.join(timeout=5)
            self._close()

    def _close(self) -> None:
        for channel in list(self._server._map.values()):
            channel.close()
        self._server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _bind(host: str, port: int) -> socket.socket:
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, protocol)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError:
        listener.close()
        raise
    return listener
