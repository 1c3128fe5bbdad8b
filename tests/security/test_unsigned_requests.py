"""Nothing unverified causes anything: a request to /slack/events that fails Slack's signature check, for
any reason, gets 401, makes numbot call no URL at all (least of all the `response_url` in its own body) and
logs no traceback. A signed body Bolt cannot read as a Slack payload gets 400, not 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
import pytest

from bot.blockkit import ids
from tests.harness import OPS, REQUESTER, SIGNING_SECRET
from tests.security.conftest import BotProcess, Listener

ATTACK_PATH = "/attacker"
CANARY_PATH = "/canary"
# Older than Slack's five-minute replay window.
STALE_SECONDS = 6 * 60

Headers = dict[str, str]


def signed(body: bytes, *, secret: str = SIGNING_SECRET, age_seconds: int = 0) -> Headers:
    """Slack's signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret."""
    timestamp = str(int(time.time()) - age_seconds)
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def unsigned(body: bytes) -> Headers:
    return {}


def timestamp_not_a_number(body: bytes) -> Headers:
    return {"X-Slack-Request-Timestamp": "now", "X-Slack-Signature": "v0=" + "0" * 64}


def no_signature(body: bytes) -> Headers:
    return {"X-Slack-Request-Timestamp": signed(body)["X-Slack-Request-Timestamp"]}


def stale(body: bytes) -> Headers:
    return signed(body, age_seconds=STALE_SECONDS)


def wrong_secret(body: bytes) -> Headers:
    return signed(body, secret="not-the-signing-secret")


FORGERIES: list[Callable[[bytes], Headers]] = [
    unsigned,
    timestamp_not_a_number,
    no_signature,
    stale,
    wrong_secret,
]


def slash_command(response_url: str) -> bytes:
    return urlencode(
        {
            "command": ids.COMMAND,
            "text": "help",
            "user_id": REQUESTER.id,
            "channel_id": OPS.id,
            "team_id": "T0LOCAL01",
            "trigger_id": "1.2.3",
            "response_url": response_url,
        }
    ).encode()


def button_click(response_url: str) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": REQUESTER.id},
        "team": {"id": "T0LOCAL01"},
        "channel": {"id": OPS.id},
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [{"action_id": ids.APPROVE, "block_id": "b", "value": "1", "type": "button"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def post(bot: BotProcess, body: bytes, headers: Headers, content_type: Headers = FORM) -> httpx.Response:
    return httpx.post(bot.events_url, content=body, headers={**content_type, **headers}, timeout=10)


def answered_canary(bot: BotProcess, listener: Listener, base_url: str) -> None:
    """A genuine signed `/numbers help` whose answer goes to the listener: it arriving shows the bot does
    call a listed response_url, and that it has handled what was sent before it."""
    body = slash_command(base_url + CANARY_PATH)
    assert post(bot, body, signed(body)).status_code == 200
    assert listener.wait_for(CANARY_PATH), "the bot never answered a genuine signed command"


@pytest.mark.parametrize("payload", [slash_command, button_click])
@pytest.mark.parametrize("forge", FORGERIES)
def test_a_request_failing_verification_gets_401_and_causes_no_call_and_no_traceback(
    bot: BotProcess,
    listener: tuple[Listener, str],
    forge: Callable[[bytes], Headers],
    payload: Callable[[str], bytes],
) -> None:
    recorded, base_url = listener
    mark = bot.log_mark()
    body = payload(base_url + ATTACK_PATH)

    answer = post(bot, body, forge(body))

    assert answer.status_code == 401, answer.text
    answered_canary(bot, recorded, base_url)
    assert recorded.paths() == [CANARY_PATH]
    assert "Traceback" not in bot.log_since(mark)


def test_an_unsigned_body_that_is_not_even_a_payload_gets_401(
    bot: BotProcess, listener: tuple[Listener, str]
) -> None:
    mark = bot.log_mark()
    for body in (b"payload=%7Bnot+json", b"\xff\xfe\x00garbage"):
        for forge in FORGERIES:
            assert post(bot, body, forge(body)).status_code == 401
    assert "Traceback" not in bot.log_since(mark)


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot+json", FORM),
        (urlencode({"payload": "[1, 2]"}).encode(), FORM),
        (b"[1, 2]", JSON),
        (b"{broken", JSON),
        (b"\xff\xfe\x00\x80binary", FORM),
    ],
    ids=["payload-not-json", "payload-a-list", "json-list", "json-broken", "binary"],
)
def test_a_signed_body_that_is_not_a_slack_payload_gets_400(
    bot: BotProcess, body: bytes, content_type: Headers
) -> None:
    mark = bot.log_mark()

    answer = post(bot, body, signed(body), content_type)

    assert answer.status_code == 400, answer.text
    assert "Traceback" not in bot.log_since(mark)
