"""A multipart/form-data body streamed from a file object or an iterable of chunks, read exactly once.

httpx's own `files=` encoder re-reads (seeks) a file when a request is re-sent, and cannot take a plain
iterator; the documents numbot uploads come from Slack as a stream, so the body is generated here: the
small text parts, then the document chunk by chunk, never joined in memory.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024


class MultipartUpload:
    """The `file` part (and an optional `documentType` part) of one attachment upload."""

    def __init__(
        self,
        content: BinaryIO | Iterable[bytes],
        *,
        file_name: str,
        mime_type: str,
        document_type: str | None = None,
    ) -> None:
        self._content = content
        self._file_name = file_name
        self._mime_type = mime_type
        self._document_type = document_type
        self._boundary = secrets.token_hex(16)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self._boundary}"

    def body(self) -> Iterator[bytes]:
        """The request body; a generator, so httpx refuses to send it twice instead of sending it empty."""
        if self._document_type is not None:
            yield self._part_head('name="documentType"', None)
            yield self._document_type.encode()
            yield b"\r\n"
        disposition = f'name="file"; filename="{_quoted(self._file_name)}"'
        yield self._part_head(disposition, _header_safe(self._mime_type))
        yield from _chunks(self._content)
        yield f"\r\n--{self._boundary}--\r\n".encode()

    def _part_head(self, disposition: str, content_type: str | None) -> bytes:
        lines = [f"--{self._boundary}", f"Content-Disposition: form-data; {disposition}"]
        if content_type is not None:
            lines.append(f"Content-Type: {content_type}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunks(content: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    # A file object is also an iterable (of lines): read it in fixed chunks instead.
    if hasattr(content, "read"):
        while chunk := content.read(CHUNK_SIZE):
            yield chunk
        return
    for chunk in content:
        if chunk:
            yield bytes(chunk)


def _header_safe(value: str) -> str:
    """Line breaks would end the part's headers early and let a file name inject its own."""
    return value.replace("\r", " ").replace("\n", " ")


def _quoted(file_name: str) -> str:
    """A file name inside a quoted header parameter, escaped as browsers do (WHATWG form encoding)."""
    return file_name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
