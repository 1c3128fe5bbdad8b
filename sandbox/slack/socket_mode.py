"""A local Socket Mode endpoint: apps.connections.open hands out ws:// URLs served here.

slack_sdk's builtin client speaks plain ws:// to any port but 443, so no TLS is needed on loopback. The
server says `hello`, sends envelopes and waits for the app's ack envelope, whose payload is the ack body.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection, serve

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.delivery import ACK_DEADLINE_SECONDS, DeliveryKind, Retry
from sandbox.slack.models import Ack

CONNECT_WAIT_SECONDS = 5.0


class SocketModeServer:
    """Also the Socket Mode transport: `send` delivers over the newest connection."""

    def __init__(
        self,
        app_id: str,
        on_connections_changed: Callable[[], None],
        host: str = "127.0.0.1",
        ack_deadline: float = ACK_DEADLINE_SECONDS,
    ) -> None:
        self._app_id = app_id
        self._on_connections_changed = on_connections_changed
        self._host = host
        self._ack_deadline = ack_deadline
        self._state = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._awaited: set[str] = set()
        self._acks: dict[str, JsonDict] = {}
        self._send_lock = threading.Lock()
        self._server = serve(
            self._serve_connection, host, 0, process_request=self._admit, compression=None, logger=None
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-socket-mode", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    @property
    def connection_count(self) -> int:
        with self._state:
            return len(self._connections)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def drop_connections(self) -> None:
        """Close every connection from the server side, as when Slack restarts or the network drops."""
        with self._state:
            connections = list(self._connections)
        for connection in connections:
            connection.close()

    def issue_url(self) -> str:
        """A single-use URL, as apps.connections.open returns."""
        ticket = secrets.token_urlsafe(16)
        with self._state:
            self._tickets.add(ticket)
        return f"ws://{self._host}:{self.port}/link/?ticket={ticket}&app_id={self._app_id}"

    def send(self, kind: DeliveryKind, payload: JsonDict, retry: Retry | None) -> Ack:
        envelope_id = str(uuid.uuid4())
        envelope: JsonDict = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope |= {
                "retry_attempt": retry.number if retry else 0,
                "retry_reason": retry.reason if retry else "",
            }
        started = time.perf_counter()
        connection = self._newest_connection()
        with self._state:
            self._awaited.add(envelope_id)
        try:
            with self._send_lock:
                connection.send(json.dumps(envelope))
        except ConnectionClosed:
            with self._state:
                self._awaited.discard(envelope_id)
            return Ack(status=0, body=None, elapsed=time.perf_counter() - started, timed_out=True)
        with self._state:
            acked = self._state.wait_for(lambda: envelope_id in self._acks, timeout=self._ack_deadline)
            self._awaited.discard(envelope_id)
            response = self._acks.pop(envelope_id, {})
        elapsed = time.perf_counter() - started
        if not acked:
            return Ack(status=0, body=None, elapsed=elapsed, timed_out=True)
        return Ack(status=200, body=response.get("payload"), elapsed=elapsed)

    def _newest_connection(self) -> ServerConnection:
        with self._state:
            if not self._state.wait_for(lambda: self._connections, timeout=CONNECT_WAIT_SECONDS):
                raise ConnectionError("no Socket Mode connection: is the app's SocketModeHandler connected?")
            return self._connections[-1]

    def _admit(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = parse_qs(urlparse(request.path).query).get("ticket", [""])[0]
        with self._state:
            if ticket in self._tickets:
                self._tickets.discard(ticket)
                return None
        return connection.respond(403, "invalid or used ticket: call apps.connections.open\n")

    def _serve_connection(self, connection: ServerConnection) -> None:
        with self._state:
            self._connections.append(connection)
            count = len(self._connections)
            self._state.notify_all()
        self._on_connections_changed()
        try:
            hello = {"type": "hello", "num_connections": count, "connection_info": {"app_id": self._app_id}}
            with self._send_lock:
                connection.send(json.dumps(hello))
            for message in connection:
                self._record_ack(message)
        except ConnectionClosed:
            pass
        finally:
            with self._state:
                self._connections.remove(connection)
                self._state.notify_all()
            self._on_connections_changed()

    def _record_ack(self, message: str | bytes) -> None:
        ack = json.loads(message)
        if not isinstance(ack, dict):
            return
        envelope_id = str(ack.get("envelope_id"))
        with self._state:
            # Acks after the deadline are dropped, as Slack has already told the user it timed out.
            if envelope_id in self._awaited:
                self._acks[envelope_id] = ack
                self._state.notify_all()
