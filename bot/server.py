"""The bot's HTTP surface: `/slack/events` (Bolt), `/sinch/callbacks`, `/healthz` (live), `/readyz` (ready).

Served by waitress (`serving`) in HTTP mode, and in Socket Mode too when Sinch callbacks need a port.
Every route has a body-size cap checked against Content-Length before anything reads the body, and nothing
reaches Bolt (no listener, no error handler, no `respond`) before its Slack signature is verified here.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body

from bot.readiness import Probe

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
SINCH_CALLBACKS_PATH = "/sinch/callbacks"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# Slack's largest payloads are view submissions, which carry the whole view: at most 100 blocks, each text
# at most 3000 characters, so ~330 KB of JSON for a modal filled to Slack's limits with prose, form-encoded
# (`payload=`, where spaces stay one byte and JSON quotes and braces become three). numbot's own largest
# views (100 select options of 75 characters, a few sections) are a small fraction of that. 512 KiB holds
# the extreme with ~50% to spare; waitress' default would be 1 GiB.
SLACK_EVENTS_MAX_BYTES = 512 * 1024
# Sinch callback events are a few hundred bytes of JSON; 64 KiB is over a hundred times that.
SINCH_CALLBACKS_MAX_BYTES = 64 * 1024
BODY_LIMITS: Mapping[str, int] = {
    SLACK_EVENTS_PATH: SLACK_EVENTS_MAX_BYTES,
    SINCH_CALLBACKS_PATH: SINCH_CALLBACKS_MAX_BYTES,
    HEALTH_PATH: 0,
    READY_PATH: 0,
}
# What the HTTP server buffers at most for any route: it refuses larger bodies (chunked ones too, as they
# arrive) before the app runs, so an oversized upload costs neither memory nor a worker thread.
LARGEST_BODY_BYTES = max(BODY_LIMITS.values())
# Slack sends seconds since the epoch; Bolt's verifier calls int() on the header and raises otherwise.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Slack's replay window: a signed request older (or further in the future) than this is refused.
SIGNATURE_MAX_AGE_SECONDS = 5 * 60


def create_wsgi(
    app: App | None,
    *,
    signing_secret: str = "",
    routes: Mapping[str, WSGIApplication] | None = None,
    health: Callable[[], dict[str, Any]] = dict,
    ready: Callable[[], Sequence[Probe]] | None = None,
) -> WSGIApplication:
    """One WSGI app: Bolt for Slack (when `app` is given, i.e. HTTP mode, with the `signing_secret` every
    request must be signed with), extra `routes`, and health.

    `/healthz` only says the process answers (restart it if not); `/readyz` runs the `ready` checks and
    answers 503 naming the failing ones (send it no work until they pass).
    """
    table: dict[str, WSGIApplication] = dict(routes or {})
    if app is not None:
        if not signing_secret:
            raise ValueError("serving Slack over HTTP needs its signing secret")
        table[SLACK_EVENTS_PATH] = SignedSlackEvents(app, signing_secret)

    def healthz(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return _json(start_response, "200 OK", {"ok": True, **health()})

    table[HEALTH_PATH] = healthz
    if ready is not None:
        table[READY_PATH] = _readyz(ready)

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        handler = table.get(path)
        if handler is None:
            return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})
        length = content_length(environ)
        if length is None:
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "bad_content_length"})
        if length > BODY_LIMITS.get(path, 0):
            return _json(start_response, "413 Content Too Large", {"ok": False, "error": "body_too_large"})
        return handler(environ, start_response)

    return dispatch


def content_length(environ: WSGIEnvironment) -> int | None:
    """The request's declared body size (0 when absent); None when the header is not a size."""
    declared = environ.get("CONTENT_LENGTH") or "0"
    return int(declared) if declared.isdecimal() else None


def read_body(environ: WSGIEnvironment) -> bytes:
    """The body, exactly as long as declared (dispatch has already checked it against the route's cap)."""
    length = content_length(environ) or 0
    body: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    return body


class SignedSlackEvents:
    """`/slack/events`: a request reaches Bolt only once its signature is verified and its body parses.

    Bolt verifies too (defence in depth), but inside its dispatch, where a failure reaches the error
    handler, which answers through the `response_url` of the very body that failed verification.
    """

    def __init__(self, app: App, signing_secret: str) -> None:
        self._bolt = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)
        self._secret = signing_secret.encode()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = read_body(environ)
        if not self._signed(body, environ):
            log.info("refused a request to %s that fails Slack's signature check", SLACK_EVENTS_PATH)
            return _json(start_response, "401 Unauthorized", {"ok": False, "error": "invalid_signature"})
        problem = unparseable(body, environ.get("CONTENT_TYPE"))
        if problem is not None:
            return _json(start_response, "400 Bad Request", {"ok": False, "error": problem})
        # Bolt reads the body again from the stream.
        environ["wsgi.input"] = io.BytesIO(body)
        return self._bolt(environ, start_response)

    def _signed(self, body: bytes, environ: WSGIEnvironment) -> bool:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
            return False
        # Over the raw bytes, as Slack signs them: slack_sdk's verifier decodes the body first and raises on
        # one that is not UTF-8.
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.encode())


def unparseable(body: bytes, content_type: str | None) -> str | None:
    """Why Bolt could not read this body as a Slack payload (a JSON object), or None if it can."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body_not_utf8"
    try:
        payload = parse_body(text, content_type)
    except ValueError:
        return "payload_not_json"
    return None if isinstance(payload, dict) else "payload_not_an_object"


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
