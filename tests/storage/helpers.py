"""Shared test helpers: a fixed clock origin and a thread race starter."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from storage import Store

T = TypeVar("T")

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def race(store: Store, contenders: int, attempt: Callable[[int], T]) -> list[T]:
    """Run `attempt(i)` on `contenders` threads released together, each on its own connection."""
    start = threading.Barrier(contenders)
    results: dict[int, T] = {}
    failures: list[BaseException] = []

    def contend(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = attempt(index)
        except BaseException as failure:  # noqa: BLE001 - re-raised in the test thread below
            failures.append(failure)
        finally:
            store.close()

    threads = [threading.Thread(target=contend, args=(index,)) for index in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if failures:
        raise failures[0]
    return [results[index] for index in range(contenders)]
