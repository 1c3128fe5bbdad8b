from __future__ import annotations

import pytest

from bot.errors import UsageError
from commands.shared.router import CommandRouter, Invocation, Subcommand


def _noop(invocation: Invocation, services: object) -> None:
    raise AssertionError("not called in these tests")


@pytest.fixture
def router() -> CommandRouter:
    router = CommandRouter()
    for name in ("search", "check", "imported list", "imported show"):
        router.add(Subcommand(name=name, usage=name, summary=name, handler=_noop))
    return router


@pytest.mark.parametrize("text", ["", "help", "HELP", "?", "--help"])
def test_empty_and_help_resolve_to_help(router: CommandRouter, text: str) -> None:
    assert router.resolve(text)[0] is None


def test_subcommand_and_its_words(router: CommandRouter) -> None:
    subcommand, words = router.resolve("Search US LOCAL --sms")
    assert subcommand is not None and subcommand.name == "search"
    assert words == ["US", "LOCAL", "--sms"]


def test_two_word_family(router: CommandRouter) -> None:
    subcommand, words = router.resolve("imported show +15551234567")
    assert subcommand is not None and subcommand.name == "imported show"
    assert words == ["+15551234567"]


def test_family_without_member_lists_the_members(router: CommandRouter) -> None:
    with pytest.raises(UsageError, match="`imported list`, `imported show`"):
        router.resolve("imported")


def test_typo_gets_a_suggestion(router: CommandRouter) -> None:
    with pytest.raises(UsageError, match=r"Unknown subcommand `serch`\. Did you mean `search`"):
        router.resolve("serch US LOCAL")


def test_duplicate_registration_is_a_programming_error(router: CommandRouter) -> None:
    with pytest.raises(ValueError, match="twice"):
        router.add(Subcommand(name="search", usage="", summary="", handler=_noop))


def test_a_word_can_be_both_a_subcommand_and_a_family() -> None:
    # `order show <id>` and `order <+E164>` / `order <REGION> <TYPE>` live side by side.
    router = CommandRouter()
    for name in ("order show", "order"):
        router.add(Subcommand(name=name, usage=name, summary=name, handler=_noop))
    shown, show_words = router.resolve("order show 01hzz")
    ordered, order_words = router.resolve("order US LOCAL")
    assert shown is not None and (shown.name, show_words) == ("order show", ["01hzz"])
    assert ordered is not None and (ordered.name, order_words) == ("order", ["US", "LOCAL"])
