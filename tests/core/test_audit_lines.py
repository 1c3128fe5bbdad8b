"""How `audit` words each entry, and how it packs lines into Slack sections."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blockkit.blocks import chunks
from commands.admin.audit import describe_entry
from storage.audit import AuditEntry

AT = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)


def entry(action: str, actor: str = "U1", **detail: str) -> AuditEntry:
    return AuditEntry(1, AT, actor, action, "+12025550134", "R-ABCDE", detail or None)


def test_request_transitions_read_as_sentences_with_kind_and_number() -> None:
    kinds = {"R-ABCDE": "rent_any"}
    assert describe_entry(entry("request.approved"), kinds) == (
        "<!date^1893553440^{date_short_pretty} at {time}|2030-01-02 03:04 UTC> · "
        "<@U1> approved R-ABCDE (rent any +12025550134)"
    )
    rejected = describe_entry(entry("request.rejected", reason="too pricey"), kinds)
    assert rejected.endswith("<@U1> rejected R-ABCDE (rent any +12025550134): “too pricey”")
    failed = describe_entry(entry("request.failed", actor="numbot", error="HTTP 500"), kinds)
    assert failed.endswith("R-ABCDE (rent any +12025550134) failed: HTTP 500")


def test_a_request_missing_from_storage_falls_back_to_the_kind_in_the_entry() -> None:
    line = describe_entry(entry("request.created", kind="release"), {})
    assert line.endswith("<@U1> asked for R-ABCDE (release +12025550134)")


def test_unknown_actions_still_say_who_did_what_to_which_number() -> None:
    line = describe_entry(AuditEntry(2, AT, "U2", "e911.provisioned", "+12025550134", None, None), {})
    assert line.endswith("<@U2> `e911.provisioned` +12025550134")


def test_lines_are_packed_into_as_few_sections_as_the_limit_allows() -> None:
    assert chunks(["aaa", "bbb", "ccc"], limit=7) == ["aaa\nbbb", "ccc"]
    assert chunks(["a" * 10, "b"], limit=5) == ["a" * 10, "b"]
    assert chunks([], limit=5) == []
