"""Reading the one phone number a command takes."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from commands.shared.number_lookup import phone_argument

USAGE = "show <+E164>"


@pytest.mark.parametrize(
    "words",
    [["+1", "206-713-7898"], ["+1", "206", "713", "7898"], ["+1", "(206)", "713-7898"], ["+12067137898"]],
)
def test_a_number_typed_in_groups_is_read_as_one_as_the_import_form_does(words: list[str]) -> None:
    assert phone_argument(words, USAGE) == "+12067137898"


def test_a_second_word_that_is_not_part_of_the_number_is_still_refused() -> None:
    with pytest.raises(UsageError, match="Unexpected"):
        phone_argument(["+12067137898", "now"], USAGE)
