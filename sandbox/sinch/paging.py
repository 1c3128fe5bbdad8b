"""Keyset pagination with opaque page tokens.

A token remembers the sort key of the last item served, not an offset, so numbers added or released
between pages never make the next page skip or repeat an item. A token only works with the order it was
issued for; anything else is a 400 on `pageToken`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sandbox.sinch.errors import invalid_field

T = TypeVar("T")
SortKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str
    total_size: int


def paginate(
    items: Sequence[T], key: Callable[[T], SortKey], order_by: str, page_size: int, page_token: str | None
) -> Page[T]:
    ordered = sorted(items, key=key)
    ordered_after = _after(ordered, key, _decode(page_token, order_by)) if page_token else ordered
    page = ordered_after[:page_size]
    more = len(ordered_after) > page_size
    # The last page has an empty token, as protobuf-generated APIs send it.
    next_token = _encode(order_by, key(page[-1])) if more else ""
    return Page(page, next_token, len(ordered))


def page_body(name: str, page: Page[T], view: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """A list endpoint's answer: the page's items as `view` shows them under `name`, then where to go on."""
    return {
        name: [view(item) for item in page.items],
        "nextPageToken": page.next_page_token,
        "totalSize": page.total_size,
    }


def _after(ordered: list[T], key: Callable[[T], SortKey], after: list[str | int]) -> list[T]:
    try:
        return [item for item in ordered if list(key(item)) > after]
    except TypeError:
        raise invalid_field("pageToken", "Not a page token issued by this API") from None


def _encode(order_by: str, last_key: SortKey) -> str:
    raw = json.dumps({"orderBy": order_by, "after": list(last_key)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(token: str, order_by: str) -> list[str | int]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        after = decoded["after"]
        issued_for = decoded["orderBy"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise invalid_field("pageToken", "Not a page token issued by this API") from None
    if issued_for != order_by or not isinstance(after, list):
        raise invalid_field("pageToken", "The page token was issued for a different orderBy")
    return after
