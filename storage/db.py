"""The SQLite file: schema migrations, one connection per thread, transactions, and value codecs.

Every storage module takes a `Store` and asks it for the calling thread's connection, so a `Store` can be
shared freely between Bolt listeners, the HTTP server's workers and the scheduler's jobs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

JsonDict = dict[str, Any]

DEFAULT_BUSY_TIMEOUT_MS = 5000

MIGRATIONS = Migrations("numbot")


class StoreClosedError(RuntimeError):
    """The store was shut down; no new connection is handed out."""


class StoreUnavailableError(Exception):
    """The database file cannot be opened or written; `reason` says why, in words an operator can act on."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Store:
    """A SQLite database file shared by all threads, each with its own connection."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._closed = threading.Event()
        try:
            _create_private(self.path)
            with self.transaction() as db:
                # Inside BEGIN IMMEDIATE, two processes opening a fresh file cannot both run a migration.
                MIGRATIONS.apply(db)
        except (OSError, sqlite3.Error) as error:
            self.close()
            raise StoreUnavailableError(self.path, path_problem(self.path) or str(error)) from error

    @property
    def db(self) -> Database:
        """The calling thread's connection, opened on first use."""
        if self._closed.is_set():
            self.close()
            raise StoreClosedError(f"{self.path} is closed")
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Run a block atomically; nested blocks become savepoints of the outer transaction.

        BEGIN IMMEDIATE takes the write lock up front, so a read-then-write block waits for other writers
        (busy timeout) instead of failing with SQLITE_BUSY when it first writes.
        """
        db = self.db
        pending = self._after_commit()
        if db.conn.in_transaction:
            registered = len(pending)
            try:
                with db.atomic():
                    yield db
            except BaseException:
                del pending[registered:]
                raise
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            pending.clear()
            db.rollback()
            raise
        callbacks = list(pending)
        pending.clear()
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the calling thread's transaction commits, or at once outside a transaction.

        For wake-ups that must not run ahead of the data they announce: a thread woken before the commit
        would look, find nothing yet, and go back to sleep. A rolled-back block drops its callbacks.
        """
        if self.db.conn.in_transaction:
            self._after_commit().append(callback)
        else:
            callback()

    def _after_commit(self) -> list[Callable[[], object]]:
        pending: list[Callable[[], object]] | None = getattr(self._local, "after_commit", None)
        if pending is None:
            pending = self._local.after_commit = []
        return pending

    def close(self) -> None:
        """Close the calling thread's connection; the next use opens a fresh one."""
        db: Database | None = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = None
            db.close()

    def close_all(self) -> None:
        """Shut down: close this thread's connection and stop handing out connections.

        SQLite connections made with check_same_thread can only be closed by their own thread: other
        threads close theirs on their next use of the store (which then raises StoreClosedError), and a
        thread that ends drops its connection with its thread-local storage.
        """
        self._closed.set()
        self.close()

    def _connect(self) -> Database:
        # isolation_level=None: the driver never opens a transaction behind our back; `transaction()`
        # is the only way statements are grouped.
        conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=True,
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
        # WAL with synchronous=NORMAL survives crashes intact; only the last commits can be lost on power cut.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return Database(conn, execute_plugins=False)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite creates it with the umask's mode.

    It holds callback secrets and everyone's requests. SQLite gives the -wal and -shm files the mode of the
    database file, so they are private too. An existing file keeps the mode its operator gave it.
    """
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))


def path_problem(path: Path) -> str | None:
    """Why SQLite cannot create or write a database at `path`, when the filesystem shows it; else None.

    SQLite itself only says "unable to open database file", which names neither the file nor the cause.
    """
    directory = path.absolute().parent
    for ancestor in [*reversed(directory.parents), directory]:
        if not ancestor.exists():
            return f"directory {ancestor} does not exist"
        if not ancestor.is_dir():
            return f"{ancestor} is not a directory"
    if path.is_dir():
        return f"{path} is a directory"
    if not os.access(directory, os.W_OK):
        return f"directory {directory} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is read-only"
    return None


def to_iso(moment: datetime) -> str:
    """UTC, fixed width: stored times compare correctly as plain strings in SQL."""
    if moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_from_iso(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)


def dump_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def load_json(text: str) -> Any:
    return json.loads(text)


def optional_dump_json(value: Any | None) -> str | None:
    return None if value is None else dump_json(value)


def optional_load_json(text: str | None) -> Any:
    return None if text is None else load_json(text)


def optional_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def optional_str(value: object | None) -> str | None:
    return None if value is None else str(value)


def in_clause(values: tuple[str, ...]) -> str:
    """Placeholders for `column IN (...)`; the values travel as parameters."""
    if not values:
        raise ValueError("an IN clause needs at least one value")
    return f"({', '.join('?' for _ in values)})"


# Every migration lives in this module, so importing Store is enough for all of them to apply.
@MIGRATIONS()
def m001_initial_schema(db: Database) -> None:
    db.executescript(_INITIAL_SCHEMA)


@MIGRATIONS()
def m002_callback_secret(db: Database) -> None:
    # One row: the project's secret is shared by both APIs' callback configurations (numbot sets both).
    db.execute(
        """CREATE TABLE callback_secret (
               id INTEGER PRIMARY KEY CHECK (id = 1),
               secret TEXT NOT NULL,
               previous TEXT,
               rotated_at TEXT NOT NULL
           )"""
    )


@MIGRATIONS()
def m003_outbox_channel_order(db: Database) -> None:
    # Serves the per-channel first-in-first-out check of `outbox.due`.
    db.execute("CREATE INDEX outbox_pending_channel ON outbox (channel, id) WHERE status = 'pending'")


@MIGRATIONS()
def m004_outbox_claims(db: Database) -> None:
    # A process claims the rows it is about to send, so a second process never sends them too.
    db.execute("ALTER TABLE outbox ADD COLUMN claimed_by TEXT")
    db.execute("ALTER TABLE outbox ADD COLUMN claim_expires_at TEXT")


@MIGRATIONS()
def m005_heartbeat(db: Database) -> None:
    # One row every process rewrites to prove the database still takes writes (see storage.heartbeat).
    db.execute(
        """CREATE TABLE heartbeat (
               id INTEGER PRIMARY KEY CHECK (id = 1),
               owner TEXT NOT NULL,
               at TEXT NOT NULL
           )"""
    )


@MIGRATIONS()
def m006_number_orders(db: Database) -> None:
    # Sinch has no endpoint that lists number orders: this table is the only record of the ones numbot made.
    db.execute(
        """CREATE TABLE number_orders (
               order_id TEXT PRIMARY KEY,
               request_id TEXT REFERENCES requests(id),
               region TEXT,
               number_type TEXT,
               state TEXT NOT NULL,
               expire_time TEXT,
               numbers TEXT NOT NULL,
               logs_told INTEGER NOT NULL DEFAULT 0,
               created_at TEXT NOT NULL,
               remind_at TEXT,
               reminded_at TEXT,
               checks INTEGER NOT NULL DEFAULT 0,
               last_checked_at TEXT,
               next_check_at TEXT,
               settled_at TEXT
           )"""
    )
    db.execute("CREATE INDEX number_orders_due ON number_orders (next_check_at) WHERE settled_at IS NULL")
    db.execute("CREATE INDEX number_orders_request ON number_orders (request_id)")


@MIGRATIONS()
def m007_number_order_last_log(db: Database) -> None:
    # `/numbers orders` shows each order's latest review message without asking Sinch about every order.
    db.execute("ALTER TABLE number_orders ADD COLUMN last_log TEXT")
    db.execute("CREATE INDEX number_orders_created ON number_orders (created_at)")


@MIGRATIONS()
def m008_number_order_forms(db: Database) -> None:
    # The order form that made an order: a form sent back with Sinch's corrections reuses its order (and the
    # number it reserved) instead of making a second one.
    db.execute("ALTER TABLE number_orders ADD COLUMN form TEXT")
    db.execute("CREATE INDEX number_orders_form ON number_orders (form) WHERE form IS NOT NULL")


@MIGRATIONS()
def m009_form_drafts(db: Database) -> None:
    # The answers on each page of a form longer than one Slack view, until its last page is sent: Slack keeps
    # no view's state once the next one is shown, and the bot may restart between pages.
    db.execute(
        """CREATE TABLE form_drafts (
               root_view_id TEXT NOT NULL,
               page INTEGER NOT NULL,
               values_json TEXT NOT NULL,
               expires_at TEXT NOT NULL,
               PRIMARY KEY (root_view_id, page)
           )"""
    )
    db.execute("CREATE INDEX form_drafts_expires ON form_drafts (expires_at)")


@MIGRATIONS()
def m010_inventory(db: Database) -> None:
    # A copy of the project's numbers, so the Home tab, reports and digests answer at once at any size instead
    # of reading every page from Sinch; E911 results and what changed are kept beside it.
    # One statement at a time: executescript would commit the migration's transaction half-way.
    for statement in _INVENTORY_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


_INITIAL_SCHEMA = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    blocks TEXT,
    thread_ts TEXT,
    parent_id INTEGER REFERENCES outbox(id),
    update_of INTEGER REFERENCES outbox(id),
    digest_key TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_ts TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('pending', 'approved', 'executing', 'done', 'failed', 'rejected', 'expired', 'cancelled')),
    requester TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL,
    setup_cost TEXT,
    monthly_cost TEXT,
    currency TEXT,
    origin_channel TEXT,
    origin_ts TEXT,
    card_outbox_id INTEGER REFERENCES outbox(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    result TEXT,
    error TEXT,
    updated_at TEXT NOT NULL,
    idempotency_key TEXT UNIQUE
);
CREATE INDEX requests_state_expires ON requests (state, expires_at);
CREATE INDEX requests_state_updated ON requests (state, updated_at);
CREATE INDEX requests_subject ON requests (subject);
CREATE INDEX requests_requester ON requests (requester);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    request_id TEXT,
    detail TEXT
);
CREATE INDEX audit_subject ON audit (subject);
CREATE INDEX audit_actor ON audit (actor);
CREATE INDEX audit_request ON audit (request_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    api TEXT NOT NULL CHECK (api IN ('numbers', 'imported')),
    resource_id TEXT,
    resource_type TEXT,
    event_type TEXT,
    status TEXT,
    raw_body BLOB NOT NULL,
    received_at TEXT NOT NULL,
    processed_at TEXT,
    outcome TEXT
);
CREATE INDEX events_unprocessed ON events (received_at) WHERE processed_at IS NULL;

CREATE TABLE watches (
    phone_number TEXT NOT NULL,
    api TEXT NOT NULL CHECK (api IN ('numbers', 'imported')),
    request_id TEXT REFERENCES requests(id),
    region TEXT,
    number_type TEXT,
    what TEXT NOT NULL,
    since TEXT NOT NULL,
    next_check_at TEXT NOT NULL,
    checks INTEGER NOT NULL DEFAULT 0,
    settled_at TEXT,
    outcome TEXT,
    PRIMARY KEY (phone_number, api)
);
CREATE INDEX watches_due ON watches (next_check_at) WHERE settled_at IS NULL;

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
"""

_INVENTORY_SCHEMA = """
CREATE TABLE inventory_numbers (
    source TEXT NOT NULL CHECK (source IN ('active', 'imported')),
    phone_number TEXT NOT NULL,
    region TEXT NOT NULL,
    number_type TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    has_sms INTEGER NOT NULL,
    has_voice INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    sms_service_plan_id TEXT NOT NULL,
    sms_campaign_id TEXT NOT NULL,
    voice_type TEXT NOT NULL,
    voice_id TEXT NOT NULL,
    monthly_price TEXT,
    currency TEXT NOT NULL,
    next_charge_date TEXT,
    provisioning_failed INTEGER NOT NULL,
    idle INTEGER NOT NULL,
    needs_e911 INTEGER NOT NULL,
    e911 TEXT NOT NULL,
    e911_checked_at TEXT,
    generation INTEGER NOT NULL,
    added_generation INTEGER NOT NULL,
    PRIMARY KEY (source, phone_number)
);
CREATE INDEX inventory_e911_due ON inventory_numbers (needs_e911, e911_checked_at) WHERE needs_e911 = 1;

CREATE TABLE inventory_sources (
    source TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    refreshed_at TEXT NOT NULL
);

CREATE TABLE inventory_stale (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    since TEXT NOT NULL
);

CREATE TABLE inventory_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'e911_set', 'e911_lost'))
);
CREATE INDEX inventory_changes_at ON inventory_changes (at);

CREATE TABLE inventory_spend (
    day TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount TEXT NOT NULL,
    numbers INTEGER NOT NULL,
    PRIMARY KEY (day, currency)
);

CREATE TABLE e911_checks (
    at TEXT NOT NULL
);
CREATE INDEX e911_checks_at ON e911_checks (at);
"""
