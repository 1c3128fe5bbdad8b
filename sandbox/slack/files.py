"""Files users attach in modals (file_input): kept as uploaded, described like Slack's file objects.

Slack takes a file when the user picks it, before the modal is submitted; the submission then carries the
file objects, and the app reads the bytes from `url_private_download` with its bot token.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.errors import ApiError

FILE_MAX_BYTES = 10 * 1024 * 1024
"""Slack refuses a larger file in a file_input at upload."""
FILE_INPUT_MAX_FILES = 10
"""`max_files` of a file_input: 1 to 10, 10 when not set."""


@dataclass(frozen=True)
class FileUpload:
    """A file a user picks on their computer: its name, its bytes and the type their computer reports."""

    name: str
    content: bytes
    mimetype: str = "application/octet-stream"


class FileRefusedError(ValueError):
    """Slack's client will not attach the file (too large, too many, an extension the input does not take).

    Like a missing required field, nothing reaches the app.
    """


@dataclass(frozen=True)
class StoredFile:
    id: str
    user_id: str
    name: str
    mimetype: str
    content: bytes
    created: int

    @property
    def filetype(self) -> str:
        """Slack's short type, taken from the name's extension."""
        _, dot, extension = self.name.rpartition(".")
        return extension.lower() if dot else "binary"


class Files:
    """Every uploaded file by id; their URLs point at `base_url` (the local Slack's server once started)."""

    def __init__(self, next_id: Callable[[str], str], team_id: str) -> None:
        self._next_id = next_id
        self._team_id = team_id
        self._files: dict[str, StoredFile] = {}
        self.base_url = ""

    def upload(self, user_id: str, upload: FileUpload) -> StoredFile:
        if len(upload.content) > FILE_MAX_BYTES:
            raise FileRefusedError(f"{upload.name!r} is larger than Slack's 10 MB limit per file")
        stored = StoredFile(
            id=self._next_id("F"),
            user_id=user_id,
            name=upload.name,
            mimetype=upload.mimetype,
            content=upload.content,
            created=int(time.time()),
        )
        self._files[stored.id] = stored
        return stored

    def get(self, file_id: object) -> StoredFile:
        """The file with `file_id`; files.info's `file_not_found` otherwise."""
        stored = self._files.get(str(file_id))
        if stored is None:
            raise ApiError("file_not_found")
        return stored

    def at(self, file_key: str, name: str) -> StoredFile | None:
        """The file a private URL path names (`<team>-<file id>/<name>`), if any."""
        team, _, file_id = file_key.partition("-")
        stored = self._files.get(file_id)
        if team != self._team_id or stored is None or stored.name != name:
            return None
        return stored

    def describe(self, stored: StoredFile) -> JsonDict:
        """The file object, as files.info and a view_submission's file_input state carry it."""
        private = f"{self.base_url}/files-pri/{self._team_id}-{stored.id}"
        name = quote(stored.name)
        return {
            "id": stored.id,
            "created": stored.created,
            "timestamp": stored.created,
            "name": stored.name,
            "title": stored.name,
            "mimetype": stored.mimetype,
            "filetype": stored.filetype,
            "pretty_type": stored.filetype.upper(),
            "user": stored.user_id,
            "user_team": self._team_id,
            "editable": False,
            "size": len(stored.content),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{private}/{name}",
            "url_private_download": f"{private}/download/{name}",
            "permalink": f"{self.base_url}/files/{stored.user_id}/{stored.id}/{name}",
            "is_starred": False,
            "has_rich_preview": False,
        }
