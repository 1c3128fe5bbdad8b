"""Differences between two looks at the workspace, as the events a person would notice."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sandbox.console.feed import HomeShown, ModalClosed, ModalShown, Posted, Snapshot, Whispered, changes
from sandbox.slack import Message, View

CHANNEL = "C0OPS0001"


def message(ts: str, text: str, thread_ts: str | None = None) -> Message:
    return Message(ts, CHANNEL, text, [], "U0NUMBOT", bot=True, thread_ts=thread_ts)


def modal(view_id: str, title: str, view_hash: str = "H1") -> View:
    return View(
        view_id,
        "modal",
        "U0RITA001",
        view_hash,
        "cb",
        title,
        [],
        "",
        "",
        None,
        None,
        False,
        view_id,
        None,
        {},
    )


def snapshot(
    messages: Sequence[Message] = (),
    ephemerals: Sequence[Message] = (),
    views: Sequence[View] = (),
    calls: int = 0,
    homes: Sequence[View] = (),
) -> Snapshot:
    return Snapshot(
        messages={(m.channel, m.ts): m for m in messages},
        ephemerals={("U0RITA001", m.ts): m for m in ephemerals},
        views={v.id: v for v in views},
        homes={v.user_id: v for v in homes},
        calls=calls,
    )


def test_new_messages_come_in_posting_order_with_their_thread_parent() -> None:
    card = message("100.000002", "card")
    reply = message("100.000010", "reply", thread_ts=card.ts)
    private = message("100.000003", "just for you")

    events = changes(snapshot(), snapshot([reply, card], ephemerals=[private]))

    assert events == [
        Posted(card, None, edited=False),
        Whispered("U0RITA001", private, edited=False),
        Posted(reply, card, edited=False),
    ]


def test_an_edit_is_noticed_once_and_an_unchanged_message_not_at_all() -> None:
    card = message("100.000002", "pending")
    done = dataclasses.replace(card, text="done")

    assert changes(snapshot([card]), snapshot([done])) == [Posted(done, None, edited=True)]
    assert changes(snapshot([card]), snapshot([card], calls=3)) == []


def test_an_edit_and_a_new_reply_between_two_looks_read_in_the_order_they_happened() -> None:
    card = message("100.000002", "waiting for approval")
    approved = dataclasses.replace(card, text="approved and done", edited_ts="100.000020")
    reply = message("100.000021", "provisioning started", thread_ts=card.ts)
    earlier_reply = message("100.000019", "renting now", thread_ts=card.ts)

    assert changes(snapshot([card]), snapshot([reply, approved])) == [
        Posted(approved, None, edited=True),
        Posted(reply, approved, edited=False),
    ]
    assert changes(snapshot([card]), snapshot([reply, earlier_reply, approved])) == [
        Posted(earlier_reply, approved, edited=False),
        Posted(approved, None, edited=True),
        Posted(reply, approved, edited=False),
    ]


def test_modals_opening_changing_and_closing() -> None:
    loading, form, other = modal("V1", "Loading"), modal("V1", "Release", "H2"), modal("V2", "Other")
    with_errors = dataclasses.replace(form, errors={"reason": "Too short"})

    assert changes(snapshot(views=[other]), snapshot(views=[loading])) == [
        ModalClosed(other),
        ModalShown(loading, updated=False),
    ]
    assert changes(snapshot(views=[loading]), snapshot(views=[form])) == [ModalShown(form, updated=True)]
    assert changes(snapshot(views=[form]), snapshot(views=[with_errors])) == [
        ModalShown(with_errors, updated=True)
    ]


def test_each_publish_of_a_home_tab_is_noticed_even_with_the_same_blocks() -> None:
    first = dataclasses.replace(modal("V9", "home"), type="home")
    republished = dataclasses.replace(first, hash="H2")

    assert changes(snapshot(), snapshot(homes=[first])) == [HomeShown(first, updated=False)]
    assert changes(snapshot(homes=[first]), snapshot(homes=[republished])) == [
        HomeShown(republished, updated=True)
    ]
    assert changes(snapshot(homes=[first]), snapshot(homes=[first])) == []
