"""A real HTTP endpoint standing in for numbot's /sinch/callbacks; tests await what it receives."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from serving import BackgroundServer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


@dataclass(frozen=True)
class ReceivedCallback:
    body: bytes
    signature: str | None


class CallbackReceiver:
    """A real HTTP endpoint that records callbacks and can refuse the first few with a 500."""

    def __init__(self) -> None:
        self.received: list[ReceivedCallback] = []
        self.refused = 0
        self._refuse_remaining = 0
        self._changed = threading.Condition()
        self._server = BackgroundServer(self._app).start()
        self.url = f"{self._server.url}/sinch/callbacks"

    def refuse_next(self, count: int) -> None:
        with self._changed:
            self._refuse_remaining = count

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedCallback]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) >= count, timeout), (
                f"expected {count} callbacks, got {len(self.received)}"
            )
            return list(self.received)

    def wait_for_refusals(self, count: int, timeout: float = 5.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.refused >= count, timeout)

    def stop(self) -> None:
        self._server.stop()

    def _app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        body = request.get_data()
        with self._changed:
            if self._refuse_remaining > 0:
                self._refuse_remaining -= 1
                self.refused += 1
                self._changed.notify_all()
                return Response("try later", 500)(environ, start_response)
            self.received.append(ReceivedCallback(body, request.headers.get("X-Sinch-Signature")))
            self._changed.notify_all()
        return Response("", 200)(environ, start_response)
