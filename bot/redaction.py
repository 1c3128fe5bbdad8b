"""Secrets never reach a log: every log record is redacted when it is made, before any handler sees it.

Libraries log what they send at DEBUG (slack_sdk logs request bodies and headers, including a rotated
callback secret shown to an admin), so numbot cannot keep secrets out of log calls one by one. Every secret
numbot knows is registered here (tokens, signing secret, Sinch key, callback secrets as they are made), and
a log record factory replaces them in the message and traceback of every record, whatever logger made it
and whatever handler (a file, a test's capture, a log shipper) receives it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from pydantic import BaseModel, SecretStr

REDACTED = "[redacted]"
# Shorter values would be redacted inside unrelated words; real secrets are far longer.
_MIN_SECRET_LENGTH = 8

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def register(*values: str | None) -> None:
    """Redact these values from every log record from now on (installing the redaction on first use)."""
    install()
    with _lock:
        _secrets.update(value for value in values if value is not None and len(value) >= _MIN_SECRET_LENGTH)


def register_settings(settings: BaseModel) -> None:
    """Register every secret field (pydantic SecretStr) of the settings."""
    register(
        *(
            value.get_secret_value()
            for value in settings.model_dump().values()
            if isinstance(value, SecretStr)
        )
    )


def redact(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)  # a secret containing another goes first
    for secret in known:
        text = text.replace(secret, REDACTED)
    return text


def install() -> None:
    """Wrap the process's log record factory once; idempotent."""
    global _installed  # noqa: PLW0603 - one factory per process, as logging itself keeps it
    with _lock:
        if _installed:
            return
        _installed = True
        make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(redacting_factory)


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed log call is logging's to report, not ours
        return
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters reuse exc_text when it is set, so the traceback they print is this redacted one.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
