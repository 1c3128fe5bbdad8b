"""The server-side check every modal submission passes before a listener reads it."""

from __future__ import annotations

from typing import Any

from commands.shared.view_state import TEXT_MAX, clean_text, text_problems


def _submitted(values: dict[str, str], max_length: int | None = 100) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value"}
    if max_length is not None:
        element["max_length"] = max_length
    typed = {block: {"value": {"type": "plain_text_input", "value": text}} for block, text in values.items()}
    return {"blocks": [{"type": "input", "block_id": "name", "element": element}], "state": {"values": typed}}


def test_a_value_longer_than_its_input_allows_is_refused_under_that_input() -> None:
    assert text_problems(_submitted({"name": "x" * 101})) == {
        "name": "Keep this to 100 characters or fewer (it has 101)."
    }
    assert text_problems(_submitted({"name": "x" * 100})) == {}


def test_inputs_without_a_limit_and_values_for_inputs_the_view_lacks_are_held_to_slack_s_cap() -> None:
    assert text_problems(_submitted({"name": "x" * (TEXT_MAX + 1)}, max_length=None)) == {
        "name": f"Keep this to {TEXT_MAX} characters or fewer (it has {TEXT_MAX + 1})."
    }
    assert list(text_problems(_submitted({"forged": "x" * (TEXT_MAX + 1)}))) == ["forged"]


def test_typed_values_lose_control_and_bidi_characters_in_place() -> None:
    view = _submitted({"name": "Support\u202e enil\x1b"})
    clean_text(view)
    assert view["state"]["values"]["name"]["value"]["value"] == "Support enil"
