"""Files in the workspace, described like Slack's file objects: those users attach in modals (file_input),
and those the app uploads through Slack's external upload flow.

Slack takes a file when the user picks it, before the modal is submitted; the submission then carries the
file objects, and the app reads the bytes from `url_private_download` with its bot token.

The app uploads in three steps: `files.getUploadURLExternal` reserves a file id and an upload URL for a
name and a length, the bytes are POSTed to that URL (no token: the URL is the credential, good once), and
`files.completeUploadExternal` makes the file exist, shared in a channel or left private. Completed files
are also written to a folder, where tests and the console read them.
"""

from __future__ import annotations

import dataclasses
import mimetypes
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.errors import ApiError

FILE_MAX_BYTES = 10 * 1024 * 1024
"""Slack refuses a larger file in a file_input at upload."""
FILE_INPUT_MAX_FILES = 10
"""`max_files` of a file_input: 1 to 10, 10 when not set."""
UPLOAD_MAX_BYTES = 1024**3
"""Slack's limit on one file uploaded by an app (1 GB)."""
IMAGE_FILETYPES = frozenset({"png", "jpg", "jpeg", "gif"})
"""What an image block may show through `slack_file`."""


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


class UploadRefusedError(Exception):
    """The upload URL will not take these bytes: `status` and `reason` are what the POST is answered."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class StoredFile:
    id: str
    user_id: str
    name: str
    mimetype: str
    content: bytes
    created: int
    title: str = ""
    """The title the uploader gave (the name when none)."""
    channels: tuple[str, ...] = ()
    """Conversations the file is shared in (none: private to its uploader)."""

    @property
    def filetype(self) -> str:
        """Slack's short type, taken from the name's extension."""
        return _filetype(self.name)

    @property
    def is_image(self) -> bool:
        return self.filetype in IMAGE_FILETYPES


@dataclass(frozen=True)
class UploadedFile:
    """A file the app uploaded and completed, as written to the local Slack's files folder."""

    id: str
    name: str
    title: str
    mimetype: str
    size: int
    uploader: str
    """The user id that uploaded it (the bot user for the app's bot token)."""
    channels: tuple[str, ...]
    """Conversations it was shared in (channel ids, or D… ids for DMs); empty when left private."""
    thread_ts: str | None
    initial_comment: str
    path: Path
    """Where its bytes were written."""
    message_ts: dict[str, str] = field(default_factory=dict)
    """The ts of the message that shared it, by conversation."""

    @property
    def filetype(self) -> str:
        return _filetype(self.name)

    def text(self) -> str:
        """Its content read back as UTF-8 (a CSV, say)."""
        return self.path.read_text(encoding="utf-8")


@dataclass
class _Reservation:
    """A file id handed out by files.getUploadURLExternal, waiting for its bytes and then its completion."""

    file_id: str
    user_id: str
    name: str
    length: int
    content: bytes | None = None


class Files:
    """Every uploaded file by id; their URLs point at `base_url` (the local Slack's server once started)."""

    def __init__(self, next_id: Callable[[str], str], team_id: str, folder: Path) -> None:
        self._next_id = next_id
        self._team_id = team_id
        self._files: dict[str, StoredFile] = {}
        self._reserved: dict[str, _Reservation] = {}
        self._upload_keys: dict[str, str] = {}
        self._uploaded: list[UploadedFile] = []
        self.folder = folder
        self.base_url = ""
        self.upload_base_url = ""
        """Where upload URLs point: the local Slack's own server (never a stand-in host)."""

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

    # --- the app's uploads ---------------------------------------------------------------------------------

    def reserve(self, user_id: str, name: str, length: int) -> tuple[str, str]:
        """files.getUploadURLExternal: a new file id and the URL its `length` bytes must be POSTed to."""
        if not 1 <= length <= UPLOAD_MAX_BYTES:
            raise ApiError("invalid_arguments", [f"length must be between 1 and {UPLOAD_MAX_BYTES}"])
        file_id = self._next_id("F")
        key = secrets.token_urlsafe(24)
        self._reserved[file_id] = _Reservation(file_id, user_id, name, length)
        self._upload_keys[key] = file_id
        return file_id, f"{self.upload_base_url}/upload/v1/{key}"

    def expected_length(self, upload_key: str) -> int:
        """The length announced for an upload URL; UploadRefusedError when the URL is unknown or used."""
        return self._reservation(upload_key).length

    def receive(self, upload_key: str, content: bytes) -> None:
        """The bytes POSTed to an upload URL: exactly the announced length, once."""
        reservation = self._reservation(upload_key)
        if len(content) != reservation.length:
            raise UploadRefusedError(
                400, f"length {len(content)} differs from the {reservation.length} bytes announced"
            )
        reservation.content = content
        del self._upload_keys[upload_key]

    def completable(self, file_id: object) -> _Reservation:
        """A reserved file whose bytes arrived, ready for files.completeUploadExternal."""
        reservation = self._reserved.get(str(file_id))
        if reservation is None or reservation.content is None:
            raise ApiError("file_not_found", [f"no uploaded file {file_id!r} waits to be completed"])
        return reservation

    def complete(
        self,
        reservation: _Reservation,
        title: str,
        channels: tuple[str, ...],
        thread_ts: str | None,
        initial_comment: str,
    ) -> StoredFile:
        """The file now exists: kept (for files.info and downloads) and written to the folder."""
        assert reservation.content is not None  # completable() checked
        del self._reserved[reservation.file_id]
        stored = StoredFile(
            id=reservation.file_id,
            user_id=reservation.user_id,
            name=reservation.name,
            mimetype=mimetypes.guess_type(reservation.name)[0] or "application/octet-stream",
            content=reservation.content,
            created=int(time.time()),
            title=title or reservation.name,
            channels=channels,
        )
        self._files[stored.id] = stored
        path = self.folder / f"{stored.id}-{_safe_file_name(stored.name)}"
        path.write_bytes(stored.content)
        self._uploaded.append(
            UploadedFile(
                id=stored.id,
                name=stored.name,
                title=stored.title,
                mimetype=stored.mimetype,
                size=len(stored.content),
                uploader=stored.user_id,
                channels=channels,
                thread_ts=thread_ts,
                initial_comment=initial_comment,
                path=path,
            )
        )
        return stored

    def shared(self, file_id: str, channel: str, ts: str) -> None:
        """Note the message that shared an uploaded file in `channel`."""
        for index, uploaded in enumerate(self._uploaded):
            if uploaded.id == file_id:
                message_ts = {**uploaded.message_ts, channel: ts}
                self._uploaded[index] = dataclasses.replace(uploaded, message_ts=message_ts)

    def uploaded(self) -> list[UploadedFile]:
        """Every completed upload of the app, oldest first."""
        return list(self._uploaded)

    def _reservation(self, upload_key: str) -> _Reservation:
        file_id = self._upload_keys.get(upload_key)
        if file_id is None:
            raise UploadRefusedError(404, "unknown or already used upload URL")
        return self._reserved[file_id]

    # --- image blocks ------------------------------------------------------------------------------------

    def slack_file_problems(self, blocks: object, pointer: str) -> list[str]:
        """Images that show a `slack_file` must name an image file of this workspace (by id or URL)."""
        problems: list[str] = []
        for where, reference in _slack_file_references(blocks, pointer):
            stored = self._referenced(reference)
            if stored is None:
                problems.append(f"slack_file does not name a file of this workspace [json-pointer:{where}]")
            elif not stored.is_image:
                problems.append(f"slack_file {stored.id} is not an image [json-pointer:{where}]")
        return problems

    def _referenced(self, reference: object) -> StoredFile | None:
        if not isinstance(reference, dict):
            return None
        if "id" in reference:
            return self._files.get(str(reference["id"]))
        url = str(reference.get("url", ""))
        for stored in self._files.values():
            described = self.describe(stored)
            if url in (described["url_private"], described["permalink"]):
                return stored
        return None

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
            "title": stored.title or stored.name,
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
            "is_public": any(channel.startswith("C") for channel in stored.channels),
            "channels": [channel for channel in stored.channels if channel.startswith("C")],
            "groups": [channel for channel in stored.channels if channel.startswith("G")],
            "ims": [channel for channel in stored.channels if channel.startswith("D")],
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{private}/{name}",
            "url_private_download": f"{private}/download/{name}",
            "permalink": f"{self.base_url}/files/{stored.user_id}/{stored.id}/{name}",
            "is_starred": False,
            "has_rich_preview": False,
        }


def _filetype(name: str) -> str:
    """Slack's short type, taken from the name's extension."""
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else "binary"


def _safe_file_name(name: str) -> str:
    """The name as a single harmless path component (an app-chosen name never leaves the folder)."""
    return re.sub(r"[^\w.\-]+", "_", name).lstrip(".") or "file"


def _slack_file_references(blocks: object, pointer: str) -> Iterator[tuple[str, object]]:
    """Each `slack_file` of an image block or image element (section accessory, context element)."""
    if not isinstance(blocks, list):
        return
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        here = f"{pointer}/{index}"
        images = [(here, block)]
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            images.append((f"{here}/accessory", accessory))
        elements = block.get("elements") if block.get("type") == "context" else None
        for position, element in enumerate(elements if isinstance(elements, list) else []):
            if isinstance(element, dict):
                images.append((f"{here}/elements/{position}", element))
        for where, image in images:
            if image.get("type") == "image" and "slack_file" in image:
                yield f"{where}/slack_file", image["slack_file"]
