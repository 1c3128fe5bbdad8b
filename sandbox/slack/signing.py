"""Sign requests to the app the way Slack does (v0 HMAC-SHA256 over timestamp and raw body)."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Literal

SignatureMode = Literal["valid", "bad", "stale"]
"""`bad` signs with a wrong secret; `stale` signs correctly but 10 minutes ago (Bolt allows 5)."""

STALE_BY_SECONDS = 600


def signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(signing_secret: str, body: bytes, mode: SignatureMode = "valid") -> dict[str, str]:
    # Bolt compares with its wall clock, so the timestamp is real time, not the workspace's test clock.
    now = int(time.time())
    timestamp = str(now - STALE_BY_SECONDS if mode == "stale" else now)
    secret = signing_secret + "-tampered" if mode == "bad" else signing_secret
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature(secret, timestamp, body)}
