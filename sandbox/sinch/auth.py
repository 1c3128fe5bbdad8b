"""Authentication: the OAuth2 client-credentials token endpoint, Bearer tokens and HTTP Basic.

With no configured credentials any key id/secret is accepted, whether sent as Basic on each call or
exchanged for a token. A Bearer token must always be one this sandbox issued and not yet expired or
revoked, so clients can be tested refreshing on 401.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
from collections.abc import Callable

from werkzeug.wrappers import Request, Response


class Authenticator:
    def __init__(
        self, credentials: tuple[str, str] | None, ttl_seconds: int, clock: Callable[[], float]
    ) -> None:
        self._credentials = credentials
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._expiry_by_token: dict[str, float] = {}

    def accepts(self, authorization: str | None) -> bool:
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() == "bearer":
            with self._lock:
                expiry = self._expiry_by_token.get(value.strip())
            return expiry is not None and self._clock() < expiry
        if scheme.lower() == "basic":
            pair = _basic_pair(value.strip())
            return pair is not None and self._valid_key(*pair)
        return False

    def revoke_all(self) -> None:
        with self._lock:
            self._expiry_by_token.clear()

    def token_endpoint(self, request: Request) -> Response:
        """POST /oauth2/token (form `grant_type=client_credentials`, key id and secret as Basic auth)."""
        if request.form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type")
        scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
        pair = _basic_pair(value.strip()) if scheme.lower() == "basic" else None
        if pair is None and "client_id" in request.form:
            pair = (request.form["client_id"], request.form.get("client_secret", ""))
        if pair is None or not self._valid_key(*pair):
            return _oauth_error(401, "invalid_client", {"WWW-Authenticate": 'Basic realm="sinch"'})
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry_by_token[token] = self._clock() + self._ttl
        body = {"access_token": token, "expires_in": self._ttl, "scope": "", "token_type": "bearer"}
        return Response(
            json.dumps(body), 200, mimetype="application/json", headers={"Cache-Control": "no-store"}
        )

    def _valid_key(self, key_id: str, key_secret: str) -> bool:
        if self._credentials is None:
            return bool(key_id and key_secret)
        expected_id, expected_secret = self._credentials
        # Constant-time comparison, as a credential check should be even in a sandbox.
        return hmac.compare_digest(key_id, expected_id) & hmac.compare_digest(key_secret, expected_secret)


def _basic_pair(encoded: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    key_id, separator, key_secret = decoded.partition(":")
    return (key_id, key_secret) if separator else None


def _oauth_error(status: int, error: str, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps({"error": error}), status, mimetype="application/json", headers=headers)
