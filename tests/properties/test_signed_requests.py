"""Callback bodies and signatures, Slack signatures: whatever arrives, the answer is a clear refusal or a
stored event, never a crash, and nothing unsigned changes anything."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.server import SINCH_CALLBACKS_PATH, SLACK_EVENTS_PATH
from bot.sinch import MalformedEventError
from bot.watching.callbacks import parse
from sandbox.sinch.callbacks import sign
from sandbox.slack.signing import signature
from tests.harness import OPS, REQUESTER, SIGNING_SECRET, World
from tests.properties.conftest import CALLBACK_SECRET
from tests.properties.state import snapshot

HTTP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
event_like = st.fixed_dictionaries(
    {},
    optional={
        "eventId": st.text(max_size=30) | st.integers(),
        "timestamp": st.text(max_size=30),
        "projectId": st.text(max_size=10),
        "resourceId": st.text(max_size=16) | st.just("+12065550100"),
        "resourceType": st.sampled_from(["ACTIVE_NUMBER", "IMPORTED_NUMBER", "NUMBER_ORDER", "???"]),
        "eventType": st.sampled_from(
            ["PROVISIONING_TO_SMS_PLATFORM", "DEPROVISIONING_FROM_VOICE_PLATFORM", ""]
        ),
        "status": st.sampled_from(["SUCCEEDED", "FAILED", "IN_PROGRESS", 3]),
        "failureCode": st.none() | st.text(max_size=20),
    },
)
# What can travel in an HTTP header at all: visible ASCII, no surrounding whitespace.
header_value = st.from_regex(r"[!-~]{1,50}", fullmatch=True)
callback_body = st.one_of(
    st.binary(max_size=200),
    json_value.map(lambda value: json.dumps(value).encode()),
    event_like.map(lambda value: json.dumps(value).encode()),
)


def post_callback(world: World, body: bytes, signature_header: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature_header is not None:
        headers["X-Sinch-Signature"] = signature_header
    return httpx.post(f"{world.runtime.url}{SINCH_CALLBACKS_PATH}", content=body, headers=headers, timeout=5)


@given(body=callback_body)
def test_parsing_any_body_gives_an_event_or_a_malformed_event_error(body: bytes) -> None:
    try:
        event = parse(body)
    except MalformedEventError as error:
        assert str(error).strip()
        return
    assert event.event_id


@HTTP
@given(body=callback_body, header=st.none() | header_value)
def test_a_callback_without_the_right_signature_is_refused_and_changes_nothing(
    shared_world: World, body: bytes, header: str | None
) -> None:
    before = snapshot(shared_world)

    response = post_callback(shared_world, body, header)

    assert response.status_code == 401 and response.json()["detail"]
    assert snapshot(shared_world) == before


@HTTP
@given(body=callback_body)
def test_a_signed_callback_is_stored_once_or_refused_with_a_reason(shared_world: World, body: bytes) -> None:
    before = snapshot(shared_world)

    first = post_callback(shared_world, body, sign(CALLBACK_SECRET, body))
    again = post_callback(shared_world, body, sign(CALLBACK_SECRET, body))

    assert first.status_code in {200, 400} and first.json()["detail"], first.text
    if first.status_code == 400:
        assert again.status_code == 400 and snapshot(shared_world) == before
    else:
        assert again.json()["detail"] == "duplicate"
        assert snapshot(shared_world).events <= before.events + 1


@HTTP
@given(
    text=st.text(max_size=30),
    timestamp_shift=st.integers(-3600, 3600),
    secret=st.text(min_size=1, max_size=20).filter(lambda value: value != SIGNING_SECRET),
)
def test_a_slash_command_not_signed_by_slack_is_refused_and_never_answered(
    shared_world: World, text: str, timestamp_shift: int, secret: str
) -> None:
    before = snapshot(shared_world)
    answered = len(shared_world.slack.ephemerals(REQUESTER.id))
    body = urlencode(
        {
            "command": "/numbers",
            "text": text,
            "user_id": REQUESTER.id,
            "channel_id": OPS.id,
            "team_id": "T0LOCAL",
        }
    ).encode()
    timestamp = str(int(time.time()) + timestamp_shift)

    response = httpx.post(
        f"{shared_world.runtime.url}{SLACK_EVENTS_PATH}",
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(secret, timestamp, body),
        },
        timeout=5,
    )

    assert response.status_code == 401
    assert snapshot(shared_world) == before
    assert len(shared_world.slack.ephemerals(REQUESTER.id)) == answered
