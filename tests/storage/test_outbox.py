from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from storage import Store
from storage.outbox import (
    OutboxMessage,
    claim,
    defer,
    due,
    enqueue,
    get_message,
    mark_sent,
    oldest_pending,
    pending_counts,
    renew_claim,
    sent_ts,
)
from tests.storage.helpers import T0


def test_messages_are_due_oldest_first_with_their_content(store: Store) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Rented*"}}]
    first = enqueue(
        store, OutboxMessage(channel="C_OPS", text="Rented", blocks=blocks, digest_key="rent"), T0
    )
    second = enqueue(store, OutboxMessage(channel="C_OTHER", text="Released", thread_ts="170.1"), T0)

    rows = due(store, T0)

    assert [row.id for row in rows] == [first, second]
    assert (rows[0].channel, rows[0].text, rows[0].blocks, rows[0].digest_key) == (
        "C_OPS",
        "Rented",
        blocks,
        "rent",
    )
    assert (rows[1].thread_ts, rows[1].blocks) == ("170.1", None)
    assert (rows[0].status, rows[0].attempts) == ("pending", 0)


def test_a_thread_reply_waits_for_its_parent_and_inherits_its_ts(store: Store) -> None:
    parent = enqueue(store, OutboxMessage(channel="C_OPS", text="Approval needed"), T0)
    reply = enqueue(store, OutboxMessage(channel="C_OPS", text="Approved by Bob", parent_id=parent), T0)

    assert [row.id for row in due(store, T0)] == [parent]

    assert mark_sent(store, parent, "1700000000.000200", T0)

    [row] = due(store, T0)
    assert (row.id, row.thread_ts) == (reply, "1700000000.000200")


def test_an_edit_waits_for_the_message_it_replaces(store: Store) -> None:
    card = enqueue(store, OutboxMessage(channel="C_OPS", text="Approval needed"), T0)
    edit = enqueue(store, OutboxMessage(channel="C_OPS", text="Approved", update_of=card), T0)
    assert [row.id for row in due(store, T0)] == [card]

    mark_sent(store, card, "1700000000.000300", T0)

    [row] = due(store, T0)
    assert (row.id, row.update_of, row.update_ts, row.thread_ts) == (edit, card, "1700000000.000300", None)


def test_a_deferred_message_waits_until_its_retry_time(store: Store) -> None:
    first = enqueue(store, OutboxMessage(channel="C_OPS", text="one"), T0)
    second = enqueue(store, OutboxMessage(channel="C_OPS", text="two"), T0)

    assert defer(store, first, T0 + timedelta(seconds=30), "ratelimited (Retry-After 30)")

    assert [
        row.id for row in due(store, T0 + timedelta(seconds=29))
    ] == []  # same channel: it waits behind the deferred one
    assert [row.id for row in due(store, T0 + timedelta(seconds=30))] == [first, second]
    stored = get_message(store, first)
    assert stored is not None
    assert (stored.attempts, stored.last_error) == (1, "ratelimited (Retry-After 30)")


def test_due_honours_the_limit(store: Store) -> None:
    for n in range(5):
        enqueue(store, OutboxMessage(channel="C_OPS", text=f"m{n}"), T0)

    assert len(due(store, T0, limit=3)) == 3


def test_a_message_is_marked_sent_once(store: Store) -> None:
    message = enqueue(store, OutboxMessage(channel="C_OPS", text="hello"), T0)

    assert mark_sent(store, message, "1700000000.000400", T0 + timedelta(seconds=1))
    assert not mark_sent(store, message, "1700000000.999999", T0 + timedelta(seconds=2))
    assert not defer(store, message, T0 + timedelta(seconds=5), "too late")

    assert sent_ts(store, message) == "1700000000.000400"
    assert due(store, T0 + timedelta(minutes=1)) == []
    stored = get_message(store, message)
    assert stored is not None
    assert (stored.status, stored.sent_at, stored.attempts) == ("sent", T0 + timedelta(seconds=1), 0)


def test_sent_ts_is_none_until_sent_or_for_unknown_ids(store: Store) -> None:
    message = enqueue(store, OutboxMessage(channel="C_OPS", text="hello"), T0)

    assert sent_ts(store, message) is None
    assert sent_ts(store, 999) is None
    assert get_message(store, 999) is None


def test_backlog_is_visible_per_channel_and_by_age(store: Store) -> None:
    assert pending_counts(store) == {}
    assert oldest_pending(store, T0) is None
    sent = enqueue(store, OutboxMessage(channel="C_OPS", text="a"), T0 - timedelta(minutes=10))
    enqueue(store, OutboxMessage(channel="C_OPS", text="b"), T0 - timedelta(minutes=3))
    enqueue(store, OutboxMessage(channel="C_OPS", text="c"), T0 - timedelta(minutes=1))
    enqueue(store, OutboxMessage(channel="C_ALERTS", text="d"), T0)
    mark_sent(store, sent, "1.1", T0)

    assert pending_counts(store) == {"C_OPS": 2, "C_ALERTS": 1}
    assert oldest_pending(store, T0) == timedelta(minutes=3)


@pytest.mark.parametrize(
    "fields",
    [
        {"thread_ts": "1.1", "parent_id": 1},
        {"update_of": 1, "thread_ts": "1.1"},
        {"update_of": 1, "parent_id": 2},
    ],
)
def test_contradictory_threading_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="thread"):
        OutboxMessage(channel="C_OPS", text="x", **fields)  # type: ignore[arg-type]


def test_a_reply_to_an_unknown_parent_is_refused(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        enqueue(store, OutboxMessage(channel="C_OPS", text="orphan", parent_id=42), T0)


def test_a_deferred_message_holds_back_later_ones_of_its_channel_only(store: Store) -> None:
    rate_limited = enqueue(store, OutboxMessage(channel="C_OPS", text="first"), T0)
    defer(store, rate_limited, T0 + timedelta(seconds=30), "ratelimited")
    later = enqueue(store, OutboxMessage(channel="C_OPS", text="second"), T0)
    elsewhere = enqueue(store, OutboxMessage(channel="C_OTHER", text="other channel"), T0)

    assert [row.id for row in due(store, T0 + timedelta(seconds=5))] == [elsewhere]
    assert [row.id for row in due(store, T0 + timedelta(seconds=30))] == [rate_limited, later, elsewhere]


CLAIM_TTL = timedelta(minutes=5)


def test_a_claimed_message_and_its_channel_are_hidden_from_every_other_process(store: Store) -> None:
    first = enqueue(store, OutboxMessage(channel="C_OPS", text="one"), T0)
    enqueue(store, OutboxMessage(channel="C_OPS", text="two"), T0)
    other = enqueue(store, OutboxMessage(channel="C_OTHER", text="three"), T0)

    assert claim(store, [first], "process-a", T0, CLAIM_TTL)

    assert not claim(store, [first], "process-b", T0, CLAIM_TTL)
    assert [row.id for row in due(store, T0)] == [other]


def test_a_claim_takes_all_of_a_digest_or_none_of_it(store: Store) -> None:
    ids = [
        enqueue(store, OutboxMessage(channel="C_OPS", text=f"n{i}", digest_key="rent"), T0) for i in range(3)
    ]
    assert claim(store, [ids[1]], "process-a", T0, CLAIM_TTL)

    assert not claim(store, ids, "process-b", T0, CLAIM_TTL)
    # The two free rows were not left claimed by the failed attempt.
    assert claim(store, [ids[0], ids[2]], "process-c", T0, CLAIM_TTL)


def test_a_sent_message_cannot_be_claimed_and_an_abandoned_claim_expires(store: Store) -> None:
    sent = enqueue(store, OutboxMessage(channel="C_OPS", text="sent"), T0)
    abandoned = enqueue(store, OutboxMessage(channel="C_OTHER", text="claimer died"), T0)
    assert claim(store, [sent, abandoned], "process-a", T0, CLAIM_TTL)
    mark_sent(store, sent, "1700000000.000100", T0)

    later = T0 + CLAIM_TTL
    assert not claim(store, [sent], "process-b", later, CLAIM_TTL)
    assert [row.id for row in due(store, later)] == [abandoned]
    assert claim(store, [abandoned], "process-b", later, CLAIM_TTL)


def test_a_deferred_message_is_released_for_its_retry(store: Store) -> None:
    message = enqueue(store, OutboxMessage(channel="C_OPS", text="rate limited"), T0)
    assert claim(store, [message], "process-a", T0, CLAIM_TTL)

    defer(store, message, T0 + timedelta(seconds=1), "ratelimited")

    assert claim(store, [message], "process-b", T0 + timedelta(seconds=1), CLAIM_TTL)


def test_only_the_claimer_renews_its_claim_and_a_renewed_claim_outlives_its_first_deadline(
    store: Store,
) -> None:
    slow = enqueue(store, OutboxMessage(channel="C_OPS", text="Slack is slow"), T0)
    assert claim(store, [slow], "process-a", T0, CLAIM_TTL)

    assert renew_claim(store, [slow], "process-b", T0 + 2 * CLAIM_TTL) == 0
    assert renew_claim(store, [slow], "process-a", T0 + 2 * CLAIM_TTL) == 1

    assert not claim(store, [slow], "process-b", T0 + CLAIM_TTL, CLAIM_TTL)
    assert claim(store, [slow], "process-b", T0 + 2 * CLAIM_TTL, CLAIM_TTL)
