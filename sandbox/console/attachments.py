"""Local files a console user attaches to a modal's file input: `/submit "Proof of address=@scan.pdf"`.

Several files are separated by commas (`@front.png,@back.png`). The file is read from disk as Slack's client
would take it from the user's computer, with the type the name suggests.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from sandbox.console.commands import ConsoleError
from sandbox.slack import FILE_MAX_BYTES, FileUpload

USAGE = '/submit "{key}=@path/to/file.pdf" (several: @a.pdf,@b.png)'


def read_attachments(key: str, value: str) -> list[FileUpload]:
    """The files `value` names (`@path`, comma separated), read from disk; ConsoleError says what is wrong."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.startswith("@") for part in parts):
        raise ConsoleError(f"“{key}” takes files: {USAGE.format(key=key)}")
    return [_read(key, Path(part.removeprefix("@")).expanduser()) for part in parts]


def _read(key: str, path: Path) -> FileUpload:
    try:
        size = path.stat().st_size
        if size > FILE_MAX_BYTES:
            # Slack's client refuses it before a byte is uploaded: no need to read it at all.
            raise ConsoleError(f"{path.name} is {size / 1024**2:.1f} MB; Slack takes at most 10 MB per file")
        content = path.read_bytes()
    except OSError as error:
        raise ConsoleError(f"cannot attach {path} to “{key}”: {error.strerror or error}") from None
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileUpload(path.name, content, mimetype)


def described(uploads: list[FileUpload]) -> str:
    """`scan.pdf (12 KB), photo.png (1.2 MB)`: what the console says it attached."""
    return ", ".join(f"{upload.name} ({described_size(len(upload.content))})" for upload in uploads)


def described_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024**2:.1f} MB"
