"""Callback events: their JSON, their X-Sinch-Signature, and delivery with bounded retries.

Events are POSTed with httpx from a small worker pool, never on a request thread. A delivery counts as
accepted on any 2xx; otherwise (error status, refused connection, timeout) it is retried after each delay in
`retry_delays`, then given up. As the spec warns, a retried event does not hold back later ones.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import httpx

from sandbox.sinch.changes import ChangeSignal
from sandbox.sinch.scheduler import TimerQueue
from sandbox.sinch.views import utc_now
from serving.tls import tls_context

log = logging.getLogger(__name__)

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class Api(Enum):
    """Which API an event belongs to: they differ in resource type, secret and timestamp format."""

    NUMBERS = "ACTIVE_NUMBER"
    IMPORTED = "IMPORTED_NUMBER"


@dataclass(frozen=True)
class EventTarget:
    """The number (or order) an event is about, and where its owner wants to hear about it."""

    api: Api
    project_id: str
    resource_id: str
    callback_url: str
    # The API's own resource type (ACTIVE_NUMBER / IMPORTED_NUMBER) unless the event is about an order.
    resource_type: str | None = None


def new_event_id() -> str:
    """A lowercase ULID (48-bit millisecond time + 80 random bits), like Sinch's event ids."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def event_payload(
    target: EventTarget, event_type: str, status: str, failure_code: str | None
) -> dict[str, Any]:
    now = utc_now()
    # The Numbers spec shows naive UTC timestamps; the Imported spec declares date-time with a Z.
    if target.api is Api.NUMBERS:
        timestamp = now.replace(tzinfo=None).isoformat()
    else:
        timestamp = now.isoformat().replace("+00:00", "Z")
    return {
        "eventId": new_event_id(),
        "timestamp": timestamp,
        "projectId": target.project_id,
        "resourceId": target.resource_id,
        "resourceType": target.resource_type or target.api.value,
        "eventType": event_type,
        "status": status,
        "failureCode": failure_code,
    }


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


@dataclass
class Delivery:
    url: str
    body: bytes
    secret: str | None
    attempts: int = 0
    delivered: bool = False
    errors: list[str] = field(default_factory=list)


class CallbackDispatcher:
    def __init__(
        self,
        timers: TimerQueue,
        changes: ChangeSignal,
        retry_delays: tuple[float, ...],
        timeout_seconds: float = 5.0,
        *,
        loopback_only: bool = False,
    ) -> None:
        self._loopback_only = loopback_only
        self._timers = timers
        self._changes = changes
        self._retry_delays = retry_delays
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sinch-sandbox-callback")
        self._http = httpx.Client(timeout=timeout_seconds, verify=tls_context())
        self._lock = threading.Lock()
        self._stopped = False
        self.deliveries: list[Delivery] = []

    def send(self, url: str, payload: dict[str, Any], secret: str | None) -> None:
        """Queue one event for `url`; the exact bytes sent are the ones signed."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        delivery = Delivery(url, body, secret)
        with self._lock:
            self.deliveries.append(delivery)
        self._timers.call_later(0, lambda: self._submit(delivery))

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    def _submit(self, delivery: Delivery) -> None:
        with self._lock:
            if self._stopped:
                return
            self._pool.submit(self._attempt, delivery)

    def _attempt(self, delivery: Delivery) -> None:
        if not self._post(delivery):
            self._retry_later(delivery)
        self._changes.notify()

    def _post(self, delivery: Delivery) -> bool:
        """One attempt; True when the receiver accepted the event."""
        headers = {"Content-Type": "application/json"}
        if delivery.secret:
            headers["X-Sinch-Signature"] = sign(delivery.secret, delivery.body)
        delivery.attempts += 1
        if self._loopback_only and not _is_loopback(delivery.url):
            delivery.errors.append("refused: not a loopback address")
            return False
        try:
            response = self._http.post(delivery.url, content=delivery.body, headers=headers)
        except httpx.HTTPError as error:
            delivery.errors.append(repr(error))
            return False
        if not response.is_success:
            delivery.errors.append(f"HTTP {response.status_code}")
            return False
        delivery.delivered = True
        return True

    def _retry_later(self, delivery: Delivery) -> None:
        if delivery.errors and delivery.errors[-1].startswith("refused"):
            return
        retry_index = delivery.attempts - 1
        if retry_index < len(self._retry_delays):
            self._timers.call_later(self._retry_delays[retry_index], lambda: self._submit(delivery))
        else:
            log.warning("giving up callback to %s after %d attempts", delivery.url, delivery.attempts)


def _is_loopback(url: str) -> bool:
    host = httpx.URL(url).host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost could resolve anywhere
