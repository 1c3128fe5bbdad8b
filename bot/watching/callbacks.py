"""`POST /sinch/callbacks`: verify, store durably, answer 200 fast; everything else happens later.

Sinch retries a callback until it gets a 2xx and does not keep the order of events, so the receiver only
ingests: it checks the `X-Sinch-Signature`, stores the event under its eventId (a redelivery is a no-op)
and wakes the watcher, which reads the number's real state from the API before telling anyone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot import redaction
from bot.config import Settings
from bot.server import SINCH_CALLBACKS_PATH, read_body
from bot.sinch import CallbackEvent, MalformedEventError, ResourceType, verify_signature
from storage import events
from storage.db import Store
from storage.events import EventApi

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

# After a rotation, events Sinch signed with the old secret may still be in its retry queue.
PREVIOUS_SECRET_GRACE = timedelta(hours=1)
_SIGNATURE_ENVIRON_KEY = "HTTP_X_SINCH_SIGNATURE"
_IMPORTED_RESOURCES = {ResourceType.IMPORTED_NUMBER, ResourceType.HOSTING_ORDER_NUMBER}


def callback_url(settings: Settings) -> str | None:
    """The URL numbot gives Sinch as `callbackUrl` when it rents or imports (None: no public URL, so poll)."""
    if not settings.numbot_public_url:
        return None
    return settings.numbot_public_url.rstrip("/") + SINCH_CALLBACKS_PATH


def accepted_secrets(store: Store, settings: Settings, now: datetime) -> list[str]:
    """The secret rotated from Slack (and, briefly, the one before it), else the configured one."""
    stored = events.callback_secret(store)
    if stored is not None:
        return stored.accepted(now, PREVIOUS_SECRET_GRACE)
    configured = settings.sinch_callback_secret
    return [configured.get_secret_value()] if configured is not None else []


def new_secret() -> str:
    """A fresh HMAC secret in the form the Numbers API accepts (32-64 letters, digits and hyphens).

    Registered for redaction before anyone can log it (slack_sdk logs the reply that shows it).
    """
    secret = secrets.token_hex(20)
    redaction.register(secret)
    return secret


def forget_expired_secret(store: Store, now: datetime) -> bool:
    """Delete the previous callback secret once its grace period is over; True if one was deleted."""
    return events.forget_previous_callback_secret(store, rotated_before=now - PREVIOUS_SECRET_GRACE)


def ensure_callback_secret(store: Store, settings: Settings, now: datetime) -> str:
    """The secret callbacks are verified with, generating and storing one when none exists (sandbox)."""
    accepted = accepted_secrets(store, settings, now)
    if accepted:
        return accepted[0]
    secret = new_secret()
    events.save_callback_secret(store, secret, now)
    return secret


def event_id_of(payload: dict[str, Any], raw_body: bytes) -> str:
    """Sinch's eventId; an event without one gets a stable id from its body, so redeliveries still dedupe."""
    given = payload.get("eventId")
    if isinstance(given, str) and given:
        return given
    return "body-sha256:" + hashlib.sha256(raw_body).hexdigest()


def parse(raw_body: bytes) -> CallbackEvent:
    """The event in a callback body (with its eventId filled in); MalformedEventError if it is not one."""
    try:
        payload = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedEventError("The callback body is not JSON.") from error
    if not isinstance(payload, dict):
        raise MalformedEventError("The callback body is not a JSON object.")
    try:
        return CallbackEvent.model_validate({**payload, "eventId": event_id_of(payload, raw_body)})
    except ValidationError as error:
        raise MalformedEventError(f"Not a Sinch callback event: {error.error_count()} problem(s)") from error


def api_of(event: CallbackEvent) -> EventApi:
    return "imported" if event.resource_type in _IMPORTED_RESOURCES else "numbers"


def ingest(store: Store, raw_body: bytes, now: datetime) -> bool:
    """Store the event in `raw_body`; True if it is new, False for a redelivery."""
    event = parse(raw_body)
    return events.store_event(
        store,
        event_id=event.event_id,
        api=api_of(event),
        resource_id=event.resource_id,
        resource_type=event.resource_type,
        event_type=event.event_type,
        status=event.status,
        raw_body=raw_body,
        received_at=now,
    )


class CallbackReceiver:
    """The WSGI app behind `/sinch/callbacks`. `on_stored` is called after a new event is committed."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime],
        on_stored: Callable[[], None],
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._on_stored = on_stored
        self._warned_no_secret = False

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", "POST only")
        # create_wsgi has refused a body over the route's cap before this reads it.
        body = read_body(environ)
        now = self._clock()
        if not self._signed(body, environ.get(_SIGNATURE_ENVIRON_KEY), now):
            return _answer(start_response, "401 Unauthorized", "bad or missing X-Sinch-Signature")
        try:
            new = ingest(self._store, body, now)
        except MalformedEventError as error:
            return _answer(start_response, "400 Bad Request", str(error))
        if new:
            self._on_stored()
        return _answer(start_response, "200 OK", "stored" if new else "duplicate")

    def _signed(self, body: bytes, header: str | None, now: datetime) -> bool:
        accepted = accepted_secrets(self._store, self._settings, now)
        if not accepted and not self._warned_no_secret:
            self._warned_no_secret = True
            log.warning(
                "a Sinch callback arrived but no callback secret is set (SINCH_CALLBACK_SECRET or "
                "`/numbers callbacks rotate-secret`): every callback is refused, numbot relies on polling"
            )
        return any(verify_signature(secret, body, header) for secret in accepted)


def _answer(start_response: StartResponse, status: str, detail: str) -> list[bytes]:
    payload = json.dumps({"ok": status.startswith("200"), "detail": detail}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
