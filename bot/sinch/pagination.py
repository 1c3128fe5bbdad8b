"""Lazy, re-iterable walking of Sinch's token-paginated lists (`pageToken` / `nextPageToken`)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_page_token: str | None
    total_size: int | None


@dataclass(frozen=True)
class Unread(Generic[T]):
    """A page received but not yet parsed: the next page's token, read first, and how to parse the page."""

    next_page_token: str | None
    parse: Callable[[], Page[T]]


Receive = Callable[[str | None], Unread[T]]
"""Receive the page after the given token (None: the first page), leaving it unparsed."""


class Pages(Generic[T]):
    """Every item of a list, fetched page by page only as iteration reaches it.

    Each `for` loop starts again from the first page, so the same object can be shown, then refreshed.
    `limit` caps how many items one iteration yields (and so how many pages it fetches).
    """

    def __init__(self, receive: Receive[T], *, limit: int | None = None) -> None:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        self._receive = receive
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
        for unread in _received(self._receive):
            page = unread.parse()
            self._remember_total(page)
            yield page

    def pages_ahead(self) -> Iterator[Page[T]]:
        """`pages()`, with the next page requested on another thread as soon as its token is known.

        Sinch takes as long to send a page of 1,000 numbers as numbot takes to parse and store it; here the
        next request is on its way while the caller parses and uses the current page. One page ahead at
        most, so memory stays that of two pages whatever the list's length.
        """
        for unread in read_ahead(_received(self._receive)):
            page = unread.parse()
            self._remember_total(page)
            yield page

    @property
    def total_size(self) -> int | None:
        """Sinch's count of all matching items; fetches the first page if no iteration has yet."""
        if not self._total_known:
            self._remember_total(self._receive(None).parse())
        return self._total_size

    def _remember_total(self, page: Page[T]) -> None:
        self._total_size = page.total_size
        self._total_known = True


def _received(receive: Receive[T]) -> Iterator[Unread[T]]:
    token: str | None = None
    while True:
        unread = receive(token)
        yield unread
        # A token equal to the one just used would loop forever; treat it as the end.
        if not unread.next_page_token or unread.next_page_token == token:
            return
        token = unread.next_page_token


def read_ahead(items: Iterator[U]) -> Iterator[U]:
    """`items`, the next one produced on another thread while the caller works on the current one.

    The producer's errors are raised in the caller; a caller that stops early stops the producer.
    """
    handoff: queue.Queue[tuple[U | None, BaseException | None, bool]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: U | None, error: BaseException | None = None, *, done: bool = False) -> bool:
        """Hand over one item; False once the reader has gone (it stopped early or raised)."""
        while not stop.is_set():
            try:
                handoff.put((item, error, done), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(None, done=True)
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread, which raises it
            offer(None, error, done=True)

    producer = threading.Thread(target=produce, name="sinch-read-ahead", daemon=True)
    producer.start()
    try:
        while True:
            item, error, done = handoff.get()
            if error is not None:
                raise error
            if done:
                return
            yield cast(U, item)
    finally:
        stop.set()
        producer.join()
