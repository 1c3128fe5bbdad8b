"""Oversized bodies are refused with 413 before they are read: several concurrent unsigned uploads of
100 MB (declared, or chunked without a length) leave the bot's memory flat and /healthz fast."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from bot.server import (
    HEALTH_PATH,
    SINCH_CALLBACKS_MAX_BYTES,
    SINCH_CALLBACKS_PATH,
    SLACK_EVENTS_MAX_BYTES,
    SLACK_EVENTS_PATH,
)
from tests.security.conftest import BotProcess

ATTACK_BYTES = 100 * 1024 * 1024
CHUNK = b"x" * (64 * 1024)
ATTACKERS = 3
MAX_RSS_BYTES = 150 * 1024 * 1024
# Refusing must not wait for the upload: far less than sending 100 MB takes.
REFUSED_WITHIN_SECONDS = 2.0
# Under the unbounded bodies of old, /healthz took seconds; on a loaded 2-core machine it takes milliseconds.
HEALTH_WITHIN_SECONDS = 1.0
BAD_SIGNATURE = b"X-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=00\r\n"


@dataclass
class Refusal:
    status: int
    seconds: float


def upload(url: str, path: str, *, chunked: bool) -> Refusal:
    """POSTs ATTACK_BYTES as fast as the server takes them, generated in chunks (never held in memory),
    while reading the answer on the same socket; returns once the status line is in."""
    address = urlsplit(url)
    framing = b"Transfer-Encoding: chunked\r\n" if chunked else b"Content-Length: %d\r\n" % ATTACK_BYTES
    head = b"POST %s HTTP/1.1\r\nHost: %s\r\n%s%s\r\n" % (
        path.encode(),
        address.netloc.encode(),
        framing,
        BAD_SIGNATURE,
    )
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(head)
        sender = threading.Thread(target=_send_body, args=(connection, chunked), daemon=True)
        sender.start()
        status_line = connection.makefile("rb").readline()
        seconds = time.monotonic() - started
        with contextlib.suppress(OSError):  # already reset by the server, which is fine
            connection.shutdown(socket.SHUT_RDWR)
        sender.join(timeout=10)
    return Refusal(int(status_line.split()[1]), seconds)


def _send_body(connection: socket.socket, chunked: bool) -> None:
    try:
        for chunk in _body(chunked):
            connection.sendall(chunk)
    except OSError:
        pass  # the server closed the connection after refusing: what it should do


def _body(chunked: bool) -> Iterator[bytes]:
    frame = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
    for _ in range(ATTACK_BYTES // len(CHUNK)):
        yield frame
    if chunked:
        yield b"0\r\n\r\n"


def health_seconds(client: httpx.Client) -> float:
    started = time.monotonic()
    assert client.get(HEALTH_PATH).status_code == 200
    return time.monotonic() - started


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_concurrent_oversized_uploads_get_413_at_once_and_leave_memory_and_health_alone(
    bot: BotProcess, chunked: bool
) -> None:
    paths = [SLACK_EVENTS_PATH, SINCH_CALLBACKS_PATH, SLACK_EVENTS_PATH]
    with (
        ThreadPoolExecutor(max_workers=ATTACKERS) as pool,
        httpx.Client(base_url=bot.url, timeout=10) as client,
    ):
        attacks = [pool.submit(upload, bot.url, path, chunked=chunked) for path in paths]
        health = [health_seconds(client) for _ in range(3)]
        refusals = [attack.result(timeout=60) for attack in attacks]

    assert [refusal.status for refusal in refusals] == [413] * ATTACKERS
    assert max(refusal.seconds for refusal in refusals) < REFUSED_WITHIN_SECONDS, refusals
    assert max(health) < HEALTH_WITHIN_SECONDS, health
    peak = bot.peak_rss_bytes()
    assert peak < MAX_RSS_BYTES, f"the bot peaked at {peak // 2**20} MiB"


@pytest.mark.parametrize(
    ("path", "size"),
    [
        (SLACK_EVENTS_PATH, SLACK_EVENTS_MAX_BYTES + 1),
        (SINCH_CALLBACKS_PATH, SINCH_CALLBACKS_MAX_BYTES + 1),
        (HEALTH_PATH, 1),
    ],
)
def test_each_route_refuses_a_body_one_byte_over_its_own_cap(bot: BotProcess, path: str, size: int) -> None:
    answer = httpx.post(f"{bot.url}{path}", content=b"x" * size, timeout=10)

    assert answer.status_code == 413, answer.text
