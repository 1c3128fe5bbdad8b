"""Pages walks token-paginated lists lazily and starts over on every iteration."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.sinch import Page, Pages
from bot.sinch.pagination import Unread, read_ahead


class Listing:
    """An in-memory paginated list that records which tokens were asked for."""

    def __init__(self, items: list[int], page_size: int, last_token: str | None = None) -> None:
        self.items = items
        self.page_size = page_size
        self.last_token = last_token
        self.requested: list[str | None] = []

    def receive(self, token: str | None) -> Unread[int]:
        self.requested.append(token)
        start = int(token or 0)
        end = start + self.page_size
        next_token = str(end) if end < len(self.items) else self.last_token
        page = Page(self.items[start:end], next_token, len(self.items))
        return Unread(next_token, lambda: page)


def test_walks_every_page_in_order() -> None:
    listing = Listing(list(range(7)), page_size=3)

    assert list(Pages(listing.receive)) == list(range(7))
    assert listing.requested == [None, "3", "6"]


def test_each_iteration_starts_again_from_the_first_page() -> None:
    listing = Listing(list(range(4)), page_size=2)
    pages = Pages(listing.receive)

    assert list(pages) == list(pages) == [0, 1, 2, 3]
    assert listing.requested == [None, "2", None, "2"]


def test_limit_stops_fetching_once_enough_items_were_yielded() -> None:
    listing = Listing(list(range(20)), page_size=3)

    assert list(Pages(listing.receive, limit=6)) == list(range(6))
    assert listing.requested == [None, "3"]


def test_limit_zero_fetches_nothing_and_negative_is_refused() -> None:
    listing = Listing([1], page_size=1)

    assert list(Pages(listing.receive, limit=0)) == []
    assert listing.requested == []
    with pytest.raises(ValueError, match="negative"):
        Pages(listing.receive, limit=-1)


def test_total_size_is_known_after_the_first_page() -> None:
    listing = Listing(list(range(5)), page_size=2)
    pages = Pages(listing.receive)

    assert pages.total_size == 5
    assert listing.requested == [None]
    next(iter(pages))
    assert pages.total_size == 5
    assert listing.requested == [None, None]


@pytest.mark.parametrize("last_token", ["", "4"])
def test_empty_or_repeated_next_token_ends_the_walk(last_token: str) -> None:
    listing = Listing(list(range(4)), page_size=2, last_token=last_token)

    assert list(Pages(listing.receive)) == [0, 1, 2, 3]
    assert len(listing.requested) <= 3


def test_reading_ahead_gives_every_page_in_order_and_raises_what_fetching_raised() -> None:
    def pages() -> Iterator[int]:
        yield from range(5)
        raise RuntimeError("Sinch went away on page 6")

    seen: list[int] = []
    with pytest.raises(RuntimeError, match="page 6"):
        for page in read_ahead(pages()):
            seen.append(page)
    assert seen == [0, 1, 2, 3, 4]


def test_a_reader_that_stops_early_leaves_no_fetcher_behind() -> None:
    fetched: list[int] = []

    def pages() -> Iterator[int]:
        for page in range(100):
            fetched.append(page)
            yield page

    for page in read_ahead(pages()):
        if page == 2:
            break
    # At most one page ahead of the reader, and the fetching thread has ended.
    assert len(fetched) <= 5
    assert not [thread for thread in threading.enumerate() if thread.name == "sinch-read-ahead"]


def test_pages_ahead_asks_for_the_next_page_before_the_current_one_is_parsed() -> None:
    asked: list[str | None] = []
    second_asked = threading.Event()

    def receive(token: str | None) -> Unread[int]:
        asked.append(token)
        if token == "1":
            second_asked.set()
        index = int(token or 0)

        def parse() -> Page[int]:
            # Parsing the first page waits until the second has been asked for: done in turn, it never is.
            if index == 0:
                assert second_asked.wait(timeout=5), (
                    "the next page was not asked for while this one was parsed"
                )
            return Page([index], str(index + 1) if index < 2 else "", 3)

        return Unread(str(index + 1) if index < 2 else "", parse)

    assert [page.items for page in Pages(receive).pages_ahead()] == [[0], [1], [2]]
    assert asked == [None, "1", "2"]
