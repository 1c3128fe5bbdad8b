from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import Store, StoreClosedError
from storage.db import to_iso
from tests.storage.helpers import T0, race


def test_reopening_a_database_applies_migrations_once_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "numbot.db"
    first = Store(path)
    first.db.execute("INSERT INTO leases (name, owner, expires_at) VALUES ('x', 'me', ?)", [to_iso(T0)])
    first.close_all()

    second = Store(path)

    applied = [row["name"] for row in second.db.query("SELECT name FROM _sqlite_migrations")]
    assert applied == [
        "m001_initial_schema",
        "m002_callback_secret",
        "m003_outbox_channel_order",
        "m004_outbox_claims",
        "m005_heartbeat",
        "m006_number_orders",
        "m007_number_order_last_log",
        "m008_number_order_forms",
        "m009_form_drafts",
        "m010_inventory",
        "m011_digests",
    ]
    assert second.db["leases"].count == 1
    second.close_all()


def test_connections_use_wal_busy_timeout_normal_sync_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "numbot.db", busy_timeout_ms=1234)

    def pragma(name: str) -> object:
        row = next(store.db.query(f"PRAGMA {name}"))
        return next(iter(row.values()))

    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") == 1234
    assert pragma("synchronous") == 1  # NORMAL
    assert pragma("foreign_keys") == 1
    store.close_all()


def test_each_thread_gets_its_own_connection_reused_within_the_thread(store: Store) -> None:
    main_db = store.db
    assert store.db is main_db

    other_dbs = race(store, 2, lambda _: store.db)

    assert len({id(db) for db in [main_db, *other_dbs]}) == 3


def test_a_connection_cannot_leak_into_another_thread(store: Store) -> None:
    main_db = store.db
    failures: list[Exception] = []

    def use_main_connection() -> None:
        try:
            main_db.execute("SELECT 1")
        except sqlite3.ProgrammingError as failure:
            failures.append(failure)

    thread = threading.Thread(target=use_main_connection)
    thread.start()
    thread.join(timeout=10)

    assert len(failures) == 1


def test_transaction_commits_all_or_nothing(store: Store) -> None:
    def insert_lease(db: Database, name: str) -> None:
        db.execute("INSERT INTO leases (name, owner, expires_at) VALUES (?, 'me', ?)", [name, to_iso(T0)])

    with store.transaction() as db:
        insert_lease(db, "kept-1")
        insert_lease(db, "kept-2")
    with pytest.raises(RuntimeError), store.transaction() as db:
        insert_lease(db, "lost")
        raise RuntimeError("workflow failed half-way")

    assert sorted(row["name"] for row in store.db["leases"].rows) == ["kept-1", "kept-2"]


def test_nested_transaction_failure_rolls_back_only_the_inner_block(store: Store) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO leases (name, owner, expires_at) VALUES ('outer', 'me', ?)", [to_iso(T0)])
        with pytest.raises(RuntimeError), store.transaction():
            db.execute("INSERT INTO leases (name, owner, expires_at) VALUES ('inner', 'me', ?)", [to_iso(T0)])
            raise RuntimeError("inner step failed")

    assert [row["name"] for row in store.db["leases"].rows] == ["outer"]


def test_after_commit_callbacks_run_once_the_outermost_transaction_commits(store: Store) -> None:
    ran: list[str] = []

    store.after_commit(lambda: ran.append("outside"))
    assert ran == ["outside"]
    with store.transaction():
        store.after_commit(lambda: ran.append("outer"))
        with store.transaction():
            store.after_commit(lambda: ran.append("inner"))
        assert ran == ["outside"]  # nothing runs before the data it announces is visible
    assert ran == ["outside", "outer", "inner"]


def test_after_commit_callbacks_of_a_rolled_back_block_never_run(store: Store) -> None:
    ran: list[str] = []

    with store.transaction():
        store.after_commit(lambda: ran.append("kept"))
        with pytest.raises(RuntimeError), store.transaction():
            store.after_commit(lambda: ran.append("inner, rolled back"))
            raise RuntimeError("inner step failed")
    with pytest.raises(RuntimeError), store.transaction():
        store.after_commit(lambda: ran.append("outer, rolled back"))
        raise RuntimeError("workflow failed")
    with store.transaction():
        pass

    assert ran == ["kept"]


def test_close_gives_the_thread_a_fresh_connection_next_time(store: Store) -> None:
    before = store.db
    store.close()

    after = store.db

    assert after is not before
    assert next(after.query("SELECT 1 AS one"))["one"] == 1


def test_after_close_all_other_threads_get_no_connection(store: Store) -> None:
    store.close_all()

    outcomes = race(store, 1, lambda _: _try_db(store))

    assert outcomes == ["closed"]
    with pytest.raises(StoreClosedError):
        _ = store.db


def _try_db(store: Store) -> str:
    try:
        _ = store.db
    except StoreClosedError:
        return "closed"
    return "open"


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_iso(datetime(2025, 1, 1))


def test_times_are_stored_in_utc_with_fixed_width() -> None:
    paris = timezone(timedelta(hours=1))
    assert to_iso(datetime(2025, 1, 1, 10, 0, tzinfo=paris)) == "2025-01-01T09:00:00.000000+00:00"
