"""SQLite persistence: plain functions over tables, each taking the shared `Store`."""

from storage.db import Store, StoreClosedError

__all__ = ["Store", "StoreClosedError"]
