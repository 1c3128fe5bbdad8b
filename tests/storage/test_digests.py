from __future__ import annotations

from datetime import timedelta

import pytest

from storage import Store, digests, outbox
from storage.outbox import OutboxMessage
from tests.storage.helpers import T0, race

TTL = timedelta(minutes=2)
MONDAY = "2025-03-03T09:00:00+00:00"


def queue_digest(store: Store, held: digests.DigestClaim) -> bool:
    """What posting does: the message and the settlement commit together, or neither does."""
    with store.transaction():
        outbox_id = outbox.enqueue(store, OutboxMessage("C0ALERTS1", "digest"), T0)
        if not digests.settle(store, held, outbox_id, T0):
            raise LookupError("claim lost")
    return True


def test_an_occurrence_is_claimed_by_one_owner_until_its_claim_expires(store: Store) -> None:
    assert digests.claim(store, MONDAY, "bot-a", T0, TTL) == digests.DigestClaim(MONDAY, "bot-a", None)

    assert digests.claim(store, MONDAY, "bot-b", T0 + TTL - timedelta(seconds=1), TTL) is None
    assert digests.claim(store, MONDAY, "bot-b", T0 + TTL, TTL) is not None


def test_a_claim_given_up_after_a_failure_can_be_taken_at_once(store: Store) -> None:
    held = digests.claim(store, MONDAY, "bot-a", T0, TTL)
    assert held is not None
    assert digests.claim(store, MONDAY, "bot-a", T0, TTL) is None  # not even by its own process twice
    digests.record_file(store, held, "F0CHART")

    digests.release(store, held)

    assert digests.claim(store, MONDAY, "bot-a", T0, TTL) == digests.DigestClaim(MONDAY, "bot-a", "F0CHART")


def test_a_retry_after_a_crash_finds_the_chart_already_uploaded(store: Store) -> None:
    held = digests.claim(store, MONDAY, "bot-a", T0, TTL)
    assert held is not None
    digests.record_file(store, held, "F0CHART")
    # bot-a dies here; after its claim expires another process takes over.

    retry = digests.claim(store, MONDAY, "bot-b", T0 + TTL, TTL)

    assert retry == digests.DigestClaim(MONDAY, "bot-b", "F0CHART")


def test_a_posted_occurrence_is_never_claimed_again(store: Store) -> None:
    held = digests.claim(store, MONDAY, "bot-a", T0, TTL)
    assert held is not None
    assert queue_digest(store, held)

    assert digests.claim(store, MONDAY, "bot-a", T0, TTL) is None
    assert digests.claim(store, MONDAY, "bot-b", T0 + timedelta(days=1), TTL) is None
    assert digests.is_settled(store, MONDAY)
    assert len(outbox.due(store, T0)) == 1


def test_a_claim_lost_to_another_process_rolls_its_message_back(store: Store) -> None:
    slow = digests.claim(store, MONDAY, "bot-a", T0, TTL)
    fast = digests.claim(store, MONDAY, "bot-b", T0 + TTL, TTL)
    assert slow is not None
    assert fast is not None
    assert queue_digest(store, fast)

    with pytest.raises(LookupError):
        queue_digest(store, slow)

    assert [row.text for row in outbox.due(store, T0)] == ["digest"]


def test_a_skipped_occurrence_is_recorded_once_and_never_posted(store: Store) -> None:
    assert digests.skip(store, MONDAY, "more than a day late", T0)
    assert not digests.skip(store, MONDAY, "more than a day late", T0)

    assert digests.claim(store, MONDAY, "bot-a", T0, TTL) is None
    assert digests.is_settled(store, MONDAY)


def test_exactly_one_of_racing_processes_claims_an_occurrence(store: Store) -> None:
    won = race(store, 6, lambda index: digests.claim(store, MONDAY, f"bot-{index}", T0, TTL))

    assert sum(held is not None for held in won) == 1
