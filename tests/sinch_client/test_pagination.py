"""Pages walks token-paginated lists lazily and starts over on every iteration."""

from __future__ import annotations

import pytest

from bot.sinch import Page, Pages


class Listing:
    """An in-memory paginated list that records which tokens were asked for."""

    def __init__(self, items: list[int], page_size: int, last_token: str | None = None) -> None:
        self.items = items
        self.page_size = page_size
        self.last_token = last_token
        self.requested: list[str | None] = []

    def fetch(self, token: str | None) -> Page[int]:
        self.requested.append(token)
        start = int(token or 0)
        end = start + self.page_size
        next_token = str(end) if end < len(self.items) else self.last_token
        return Page(self.items[start:end], next_token, len(self.items))


def test_walks_every_page_in_order() -> None:
    listing = Listing(list(range(7)), page_size=3)

    assert list(Pages(listing.fetch)) == list(range(7))
    assert listing.requested == [None, "3", "6"]


def test_each_iteration_starts_again_from_the_first_page() -> None:
    listing = Listing(list(range(4)), page_size=2)
    pages = Pages(listing.fetch)

    assert list(pages) == list(pages) == [0, 1, 2, 3]
    assert listing.requested == [None, "2", None, "2"]


def test_limit_stops_fetching_once_enough_items_were_yielded() -> None:
    listing = Listing(list(range(20)), page_size=3)

    assert list(Pages(listing.fetch, limit=6)) == list(range(6))
    assert listing.requested == [None, "3"]


def test_limit_zero_fetches_nothing_and_negative_is_refused() -> None:
    listing = Listing([1], page_size=1)

    assert list(Pages(listing.fetch, limit=0)) == []
    assert listing.requested == []
    with pytest.raises(ValueError, match="negative"):
        Pages(listing.fetch, limit=-1)


def test_total_size_is_known_after_the_first_page() -> None:
    listing = Listing(list(range(5)), page_size=2)
    pages = Pages(listing.fetch)

    assert pages.total_size == 5
    assert listing.requested == [None]
    next(iter(pages))
    assert pages.total_size == 5
    assert listing.requested == [None, None]


@pytest.mark.parametrize("last_token", ["", "4"])
def test_empty_or_repeated_next_token_ends_the_walk(last_token: str) -> None:
    listing = Listing(list(range(4)), page_size=2, last_token=last_token)

    assert list(Pages(listing.fetch)) == [0, 1, 2, 3]
    assert len(listing.requested) <= 3
