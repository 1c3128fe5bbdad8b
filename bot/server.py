"""The bot's HTTP surface: `/slack/events` (Bolt), `/sinch/callbacks`, `/healthz` (live), `/readyz` (ready).

Served by waitress (bot.wsgi_server) in HTTP mode, and in Socket Mode too when Sinch callbacks need a port.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.readiness import Probe

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SLACK_EVENTS_PATH = "/slack/events"
SINCH_CALLBACKS_PATH = "/sinch/callbacks"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def create_wsgi(
    app: App | None,
    *,
    routes: Mapping[str, WSGIApplication] | None = None,
    health: Callable[[], dict[str, Any]] = dict,
    ready: Callable[[], Sequence[Probe]] | None = None,
) -> WSGIApplication:
    """One WSGI app: Bolt for Slack (when `app` is given, i.e. HTTP mode), extra `routes`, and health.

    `/healthz` only says the process answers (restart it if not); `/readyz` runs the `ready` checks and
    answers 503 naming the failing ones (send it no work until they pass).
    """
    table: dict[str, WSGIApplication] = dict(routes or {})
    if app is not None:
        table[SLACK_EVENTS_PATH] = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)

    def healthz(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return _json(start_response, "200 OK", {"ok": True, **health()})

    table[HEALTH_PATH] = healthz
    if ready is not None:
        table[READY_PATH] = _readyz(ready)

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        handler = table.get(environ.get("PATH_INFO", ""))
        if handler is None:
            return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})
        return handler(environ, start_response)

    return dispatch


def _readyz(ready: Callable[[], Sequence[Probe]]) -> WSGIApplication:
    def readyz(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        probes = ready()
        ok = all(probe.ok for probe in probes)
        checks = {probe.name: {"ok": probe.ok, "detail": probe.detail} for probe in probes}
        return _json(
            start_response, "200 OK" if ok else "503 Service Unavailable", {"ok": ok, "checks": checks}
        )

    return readyz


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
