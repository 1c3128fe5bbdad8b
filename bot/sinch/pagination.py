"""Lazy, re-iterable walking of Sinch's token-paginated lists (`pageToken` / `nextPageToken`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_page_token: str | None
    total_size: int | None


FetchPage = Callable[[str | None], Page[T]]
"""Fetch the page after the given token (None: the first page)."""


class Pages(Generic[T]):
    """Every item of a list, fetched page by page only as iteration reaches it.

    Each `for` loop starts again from the first page, so the same object can be shown, then refreshed.
    `limit` caps how many items one iteration yields (and so how many pages it fetches).
    """

    def __init__(self, fetch: FetchPage[T], *, limit: int | None = None) -> None:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        self._fetch = fetch
        self._limit = limit
        self._total_size: int | None = None
        self._total_known = False

    def __iter__(self) -> Iterator[T]:
        remaining = self._limit
        if remaining == 0:
            return
        for page in self.pages():
            for item in page.items:
                yield item
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return

    def pages(self) -> Iterator[Page[T]]:
        """The raw pages, from the first; stops at the last page (no or empty `nextPageToken`)."""
        token: str | None = None
        while True:
            page = self._fetch(token)
            self._remember_total(page)
            yield page
            # A token equal to the one just used would loop forever; treat it as the end.
            if not page.next_page_token or page.next_page_token == token:
                return
            token = page.next_page_token

    @property
    def total_size(self) -> int | None:
        """Sinch's count of all matching items; fetches the first page if no iteration has yet."""
        if not self._total_known:
            self._remember_total(self._fetch(None))
        return self._total_size

    def _remember_total(self, page: Page[T]) -> None:
        self._total_size = page.total_size
        self._total_known = True
