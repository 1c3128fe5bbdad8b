"""Short-lived, limited-use grants Slack hands to the app: trigger_ids and response_urls."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.slack.errors import ApiError

TRIGGER_LIFETIME_SECONDS = 3.0
RESPONSE_URL_LIFETIME_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    exchanged: bool = False


class Triggers:
    """A trigger_id opens one modal, for the user who interacted, within about 3 seconds."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._triggers: dict[str, _Trigger] = {}

    def issue(self, user_id: str) -> str:
        trigger_id = f"{len(self._triggers) + 1}.{secrets.token_hex(8)}"
        self._triggers[trigger_id] = _Trigger(user_id, self._clock())
        return trigger_id

    def exchange(self, trigger_id: object) -> str:
        """The user the trigger belongs to; it cannot be used again."""
        trigger = self._triggers.get(str(trigger_id))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.exchanged:
            raise ApiError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
            raise ApiError("expired_trigger_id")
        trigger.exchanged = True
        return trigger.user_id


@dataclass(frozen=True)
class ResponseTarget:
    """Where a response_url posts: the user who acted, the channel, and the message acted on, if any."""

    user_id: str
    channel_id: str
    message_ts: str | None = None
    message_is_ephemeral: bool = False


@dataclass
class _ResponseUrl:
    target: ResponseTarget
    issued_at: float
    uses: int = 0


class ResponseUrlRefusedError(Exception):
    """Slack answers 404 with this reason (`used_url`, `expired_url`, `invalid_url`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ResponseUrls:
    """A response_url works for 30 minutes, for at most 5 responses."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._urls: dict[str, _ResponseUrl] = {}

    def issue(self, target: ResponseTarget) -> str:
        token = secrets.token_urlsafe(12)
        self._urls[token] = _ResponseUrl(target, self._clock())
        return token

    def use(self, token: str) -> ResponseTarget:
        url = self._urls.get(token)
        if url is None:
            raise ResponseUrlRefusedError("invalid_url")
        if self._clock() - url.issued_at > RESPONSE_URL_LIFETIME_SECONDS:
            raise ResponseUrlRefusedError("expired_url")
        if url.uses >= RESPONSE_URL_MAX_USES:
            raise ResponseUrlRefusedError("used_url")
        url.uses += 1
        return url.target
