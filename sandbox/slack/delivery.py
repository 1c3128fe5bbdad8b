"""Hand a slash command, interaction or event to the app over HTTP (signed), and time its answer."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlencode

import httpx

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.models import Ack
from sandbox.slack.signing import SignatureMode, signed_headers
from serving.tls import tls_context

DeliveryKind = Literal["slash_commands", "interactive", "events_api"]

ACK_DEADLINE_SECONDS = 3.0
EVENT_RETRIES = 3


@dataclass(frozen=True)
class Retry:
    number: int
    reason: str


class Transport(Protocol):
    def send(self, kind: DeliveryKind, payload: JsonDict, retry: Retry | None) -> Ack: ...


def deliver_event(transport: Transport, payload: JsonDict) -> Ack:
    """Deliver an Events API callback, redelivering up to 3 times while the app fails or is too slow."""
    ack = transport.send("events_api", payload, None)
    number = 0
    while not ack.ok and number < EVENT_RETRIES:
        number += 1
        ack = transport.send(
            "events_api", payload, Retry(number, "http_timeout" if ack.timed_out else "http_error")
        )
    return dataclasses.replace(ack, retries=number)


class HttpTransport:
    """POSTs to the app's request URL like Slack: forms for commands and interactions, JSON for events."""

    def __init__(
        self,
        url: str,
        signing_secret: str,
        signature: SignatureMode,
        ack_deadline: float = ACK_DEADLINE_SECONDS,
    ) -> None:
        self._url = url
        self._signing_secret = signing_secret
        self._signature = signature
        self._ack_deadline = ack_deadline
        self._client = httpx.Client(
            headers={"User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}, verify=tls_context()
        )

    def send(self, kind: DeliveryKind, payload: JsonDict, retry: Retry | None) -> Ack:
        body, content_type = _encode(kind, payload)
        headers = {
            "Content-Type": content_type,
            **signed_headers(self._signing_secret, body, self._signature),
        }
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry.number), "X-Slack-Retry-Reason": retry.reason}
        started = time.perf_counter()
        try:
            response = self._client.post(self._url, content=body, headers=headers, timeout=self._ack_deadline)
        except httpx.TimeoutException:
            return Ack(status=0, body=None, elapsed=time.perf_counter() - started, timed_out=True)
        elapsed = time.perf_counter() - started
        return Ack(response.status_code, _decode(response), elapsed, timed_out=elapsed > self._ack_deadline)

    def close(self) -> None:
        self._client.close()


def _encode(kind: DeliveryKind, payload: JsonDict) -> tuple[bytes, str]:
    if kind == "events_api":
        return json.dumps(payload).encode(), "application/json"
    form = payload if kind == "slash_commands" else {"payload": json.dumps(payload)}
    return urlencode(form).encode(), "application/x-www-form-urlencoded"


def _decode(response: httpx.Response) -> JsonDict | str | None:
    if not response.content:
        return None
    if response.headers.get("content-type", "").startswith("application/json"):
        decoded = response.json()
        return decoded if isinstance(decoded, dict) else None
    return response.text
