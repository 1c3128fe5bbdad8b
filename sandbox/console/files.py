"""Files the bot shares, as the console describes them: name, size, and for a CSV its rows, for a PNG its
pixel size, read back from the folder the local Slack writes uploads to."""

from __future__ import annotations

import csv
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sandbox.console.attachments import described_size
from sandbox.slack import LocalSlack, UploadedFile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class FileFacts:
    name: str
    size: int
    path: Path | None = None
    rows: int | None = None
    """CSV: data rows, the header excluded."""
    pixels: tuple[int, int] | None = None
    """PNG: width and height."""

    def summary(self) -> str:
        """`numbers.csv · 12 KB · 200 rows`."""
        parts = [self.name, described_size(self.size)]
        if self.rows is not None:
            parts.append(f"{self.rows} row" + ("" if self.rows == 1 else "s"))
        if self.pixels is not None:
            parts.append(f"{self.pixels[0]}x{self.pixels[1]} px")
        return " · ".join(parts)


FileLookup = Callable[[str], FileFacts | None]
"""The facts about a file id (None: a file the console cannot read)."""


def no_files(file_id: str) -> FileFacts | None:
    return None


def facts_of(upload: UploadedFile) -> FileFacts:
    path = upload.path
    return FileFacts(
        upload.name,
        upload.size,
        path,
        rows=csv_rows(path) if upload.filetype == "csv" else None,
        pixels=png_size(path) if upload.filetype == "png" else None,
    )


def uploaded_files(slack: LocalSlack) -> FileLookup:
    """Facts about the files the bot uploaded to `slack`."""

    def lookup(file_id: str) -> FileFacts | None:
        upload = next((one for one in slack.uploads() if one.id == file_id), None)
        return facts_of(upload) if upload is not None else None

    return lookup


def csv_rows(path: Path) -> int | None:
    """Data rows of a CSV (quoted line breaks stay inside their row); None when it cannot be read."""
    try:
        with path.open(newline="", encoding="utf-8") as file:
            return max(sum(1 for _ in csv.reader(file)) - 1, 0)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG's header chunk; None for anything that is not a PNG."""
    try:
        with path.open("rb") as file:
            head = file.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height
