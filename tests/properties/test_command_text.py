"""Whatever follows `/numbers`, the bot acks in time, answers clearly, and changes nothing by itself."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UsageError
from commands.shared.parsing import Parsed, parse_args, split_words
from sandbox.slack import LocalSlack, Message, View
from tests.harness import OPS, REQUESTER, World, shown
from tests.properties.state import snapshot

WORDS = (
    "search",
    "rent",
    "rent-any",
    "list",
    "show",
    "update",
    "release",
    "audit",
    "imported",
    "e911",
    "callbacks",
    "help",
    "set",
    "remove",
    "status",
    "rotate-secret",
    "US",
    "GB",
    "LOCAL",
    "MOBILE",
    "TOLL_FREE",
    "--sms",
    "--voice",
    "--limit",
    "--contains",
    "--ends",
    "+12065550100",
    "+1206",
    "555",
    "0",
    "-1",
    '"',
    "'",
    "--",
    "—",
    "\u201cname",
)
word = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12))
command_text = st.lists(word, max_size=6).map(" ".join)
CRASH = "Something went wrong"


@given(text=st.text(max_size=80))
def test_splitting_any_text_gives_words_or_a_usage_error(text: str) -> None:
    try:
        words = split_words(text)
    except UsageError as error:
        assert "quotes" in str(error)
        return
    assert all(isinstance(item, str) for item in words)


@given(
    words=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=8),
    max_positionals=st.none() | st.integers(0, 3),
)
def test_parsing_any_words_gives_arguments_or_a_message_with_usage(
    words: list[str], max_positionals: int | None
) -> None:
    try:
        parsed = parse_args(
            words,
            flags=("--sms", "--voice"),
            options=("--limit",),
            max_positionals=max_positionals,
            usage="u",
        )
    except UsageError as error:
        assert str(error).strip() and error.usage == "u"
        return
    assert isinstance(parsed, Parsed)
    assert parsed.flags <= {"--sms", "--voice"} and set(parsed.options) <= {"--limit"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=command_text)
def test_any_command_text_is_answered_without_a_crash_or_a_change(shared_world: World, text: str) -> None:
    world = shared_world
    before = snapshot(world)
    answered = len(world.slack.ephemerals(REQUESTER.id))
    opened = [view.id for view in world.slack.views(REQUESTER.id)]

    ack = world.requester.slash("/numbers", text, channel=OPS.id)

    assert ack.ok and ack.elapsed < 3.0, ack

    def replies(slack: LocalSlack) -> list[Message | View]:
        new_views = [view for view in slack.views(REQUESTER.id) if view.id not in opened]
        return [*slack.ephemerals(REQUESTER.id)[answered:], *new_views]

    reply = world.wait_for(replies)
    assert all(shown(item).strip() and CRASH not in shown(item) for item in reply)
    assert snapshot(world) == before
