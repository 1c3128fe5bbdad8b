"""A thread-safe record of every request the sandbox received, for tests to assert on and await."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestRecord:
    method: str
    # Percent-decoded, e.g. "/v1/projects/p/availableNumbers/+12025550134:rent".
    path: str
    query: dict[str, list[str]]
    json: Any = None
    at: float = field(default_factory=time.monotonic)
    """When the sandbox received it (`time.monotonic`): benchmarks count requests per minute."""


class RequestLog:
    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._changed = threading.Condition()

    def append(self, record: RequestRecord) -> None:
        with self._changed:
            self._records.append(record)
            self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._records.clear()

    def snapshot(self) -> list[RequestRecord]:
        with self._changed:
            return list(self._records)

    def wait_for(self, predicate: Callable[[list[RequestRecord]], bool], timeout: float = 5.0) -> bool:
        """Block until `predicate(records)` holds (True) or `timeout` seconds pass (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(list(self._records)), timeout=timeout)

    def __len__(self) -> int:
        with self._changed:
            return len(self._records)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.snapshot())
