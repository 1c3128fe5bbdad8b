from __future__ import annotations

from datetime import timedelta

from storage import Store, leases
from tests.storage.helpers import T0, race

TTL = 30.0


def test_a_free_lease_is_taken_and_renewed_by_its_owner(store: Store) -> None:
    assert leases.acquire(store, "scheduler", "bot-a", TTL, T0)
    assert leases.acquire(store, "scheduler", "bot-a", TTL, T0 + timedelta(seconds=20))

    assert leases.holder(store, "scheduler", T0 + timedelta(seconds=49)) == "bot-a"
    assert leases.holder(store, "scheduler", T0 + timedelta(seconds=50)) is None


def test_a_held_lease_is_refused_to_others_until_it_expires(store: Store) -> None:
    leases.acquire(store, "scheduler", "bot-a", TTL, T0)

    assert not leases.acquire(store, "scheduler", "bot-b", TTL, T0 + timedelta(seconds=29))
    assert leases.acquire(store, "scheduler", "bot-b", TTL, T0 + timedelta(seconds=30))
    assert leases.holder(store, "scheduler", T0 + timedelta(seconds=30)) == "bot-b"
    assert not leases.acquire(store, "scheduler", "bot-a", TTL, T0 + timedelta(seconds=31))


def test_release_frees_the_lease_only_for_its_owner(store: Store) -> None:
    leases.acquire(store, "scheduler", "bot-a", TTL, T0)

    assert not leases.release(store, "scheduler", "bot-b")
    assert leases.holder(store, "scheduler", T0) == "bot-a"
    assert leases.release(store, "scheduler", "bot-a")
    assert leases.holder(store, "scheduler", T0) is None
    assert leases.acquire(store, "scheduler", "bot-b", TTL, T0)


def test_leases_with_different_names_are_independent(store: Store) -> None:
    assert leases.acquire(store, "scheduler", "bot-a", TTL, T0)
    assert leases.acquire(store, "reconciler", "bot-b", TTL, T0)


def test_exactly_one_of_racing_owners_gets_the_lease(store: Store) -> None:
    owners = [f"bot-{n}" for n in range(6)]

    won = race(store, len(owners), lambda index: leases.acquire(store, "scheduler", owners[index], TTL, T0))

    assert won.count(True) == 1
    assert leases.holder(store, "scheduler", T0) == owners[won.index(True)]
