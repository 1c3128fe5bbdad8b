"""One TLS context for the sandboxes' outgoing HTTP clients (Slack's deliveries, Sinch's callbacks).

httpx builds a fresh context for each client it makes, and reading the CA bundle into it takes ~50 ms at
every start of a sandbox. An SSLContext is safe to share between clients and threads.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
