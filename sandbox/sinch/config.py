"""How one sandbox instance behaves: seed, credentials, timings and callback defaults."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_PROJECT_ID = "sandbox-project"


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a test or the demo may want to vary; the defaults behave like a calm real service."""

    seed: int = 1
    # None accepts any key id/secret (Basic, or exchanged for a Bearer token); a pair rejects all others.
    credentials: tuple[str, str] | None = None
    token_ttl_seconds: int = 3600
    # Time from WAITING to the outcome; IN_PROGRESS is reached halfway. 0 finishes right after the response.
    provisioning_seconds: float = 3.0
    failure_rate: float = 0.0
    # Delays before each retry of a callback the receiver did not accept; attempts = 1 + len(delays).
    callback_retry_seconds: tuple[float, ...] = (0.5, 2.0, 10.0)
    default_callback_url: str | None = None
    # Deliver callbacks only to this machine (127.0.0.0/8, ::1, localhost): what a test or fuzzer sends as
    # a callbackUrl must never make the sandbox reach another host.
    loopback_callbacks_only: bool = False
    # The HMAC secret every project starts with, for both APIs (the real default is "not configured").
    callback_hmac_secret: str | None = None
    # The spec limits :rent and :rentAny to US LOCAL numbers; a demo may relax that for :rent.
    rent_us_local_only: bool = True
    # Number orders: how long a created order reserves its numbers (the spec: 30 minutes to 48 hours), how
    # long the review takes after a submit, and the largest document an upload may carry.
    order_reservation_seconds: float = 48 * 3600
    order_review_seconds: float = 30.0
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Token expiry is measured on this clock so tests can move time forward instead of sleeping.
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)
