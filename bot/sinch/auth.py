"""The two ways Sinch accepts credentials, as httpx auth schemes: OAuth2 client credentials and Basic.

Secrets and tokens never appear in reprs or logs.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeAlias

import httpx
from pydantic import BaseModel, ValidationError

from bot.sinch.errors import SinchError, Transport, error_from_response

DEFAULT_TOKEN_URL = "https://auth.sinch.com/oauth2/token"  # noqa: S105 - a URL, not a secret

logger = logging.getLogger(__name__)


def _basic_credentials(key_id: str, key_secret: str) -> str:
    encoded = base64.b64encode(f"{key_id}:{key_secret}".encode()).decode("ascii")
    return f"Basic {encoded}"


class BasicAuth(httpx.Auth):
    """Key id and key secret on every request (simple; Sinch rate-limits Basic more strictly)."""

    def __init__(self, key_id: str, key_secret: str) -> None:
        self._key_id = key_id
        self._header = _basic_credentials(key_id, key_secret)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return f"BasicAuth(key_id={self._key_id!r})"


class _TokenResponse(BaseModel):
    access_token: str
    expires_in: float


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float


class OAuth2ClientCredentials(httpx.Auth):
    """Bearer tokens from Sinch's OAuth2 endpoint, shared by every thread using the client.

    A token is reused until `refresh_margin` seconds before it expires. One lock makes sure only one
    thread fetches at a time; the others wait and use its token. A 401 on a request means the token was
    revoked early: it is refreshed once (unless another thread already did) and the request re-sent once.
    """

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        token_url: str = DEFAULT_TOKEN_URL,
        *,
        timeout: float = 10.0,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._key_id = key_id
        self._credentials = _basic_credentials(key_id, key_secret)
        self._token_url = token_url
        self._timeout = timeout
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._lock = threading.Lock()
        self._token: _Token | None = None

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._current_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            logger.info("Sinch answered 401; fetching a new access token and re-sending once")
            request.headers["Authorization"] = f"Bearer {self._replace_token(token)}"
            yield request

    def _current_token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._token.refresh_at:
                self._token = self._fetch_token()
            return self._token.value

    def _replace_token(self, rejected: str) -> str:
        with self._lock:
            if self._token is None or self._token.value == rejected:
                self._token = self._fetch_token()
            return self._token.value

    def _fetch_token(self) -> _Token:
        fetched_at = self._clock()
        try:
            response = httpx.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                headers={"Authorization": self._credentials, "Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.TransportError as error:
            # The API request itself was not sent yet, so even a non-idempotent call may be retried.
            raise Transport(
                f"Could not reach the Sinch login service ({type(error).__name__}).",
                may_have_reached_server=False,
            ) from error
        if response.status_code != 200:
            raise error_from_response(response.status_code, response.content, response.headers)
        try:
            body = _TokenResponse.model_validate_json(response.content)
        except ValidationError as error:
            raise SinchError(
                "The Sinch login service sent an answer without a usable access token.",
                status=response.status_code,
            ) from error
        # Very short-lived tokens would otherwise be refreshed before every request.
        lifetime = max(body.expires_in - self._refresh_margin, body.expires_in / 2)
        logger.debug("Fetched a Sinch access token valid for %.0fs", body.expires_in)
        return _Token(value=body.access_token, refresh_at=fetched_at + lifetime)

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(key_id={self._key_id!r}, token_url={self._token_url!r})"


Auth: TypeAlias = OAuth2ClientCredentials | BasicAuth
