"""SQLite persistence: plain functions over tables, each taking the shared `Store`."""

from storage.db import Store, StoreClosedError, StoreUnavailableError

__all__ = ["Store", "StoreClosedError", "StoreUnavailableError"]
