"""Reading a multipart/form-data attachment upload as a stream: the document is hashed and counted chunk by
chunk, never held in memory, and the upload is refused (413) as soon as it passes the size cap."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import NEED_DATA, Data, Epilogue, Field, File, MultipartDecoder

from sandbox.sinch.errors import ApiError, invalid_field

CHUNK_SIZE = 64 * 1024
# Enough for the small text parts and one chunk in flight; a part header larger than this is an attack.
_DECODER_BUFFER = 4 * CHUNK_SIZE
_MAX_PARTS = 8
_MAX_FIELD_BYTES = 1024
# The first bytes of a document, kept to check it is what its declared mime type says.
HEAD_BYTES = 8


@dataclass
class ReceivedUpload:
    file_name: str = ""
    mime_type: str = ""
    document_type: str | None = None
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    has_file: bool = False


def too_large(max_bytes: int) -> ApiError:
    detail = {
        "type": "ResourceInfo",
        "resourceName": "file",
        "description": f"The document exceeds the limit of {max_bytes} bytes",
    }
    return ApiError(413, f"Document too large: at most {max_bytes} bytes", details=[detail])


def read_upload(content_type: str, stream: IO[bytes], max_bytes: int) -> ReceivedUpload:
    """Parse the `file` and `documentType` parts; 400 for a malformed body, 413 past `max_bytes`."""
    mimetype, options = parse_options_header(content_type)
    boundary = options.get("boundary")
    if mimetype != "multipart/form-data" or not boundary:
        raise invalid_field("body", "Expected multipart/form-data with a boundary")
    decoder = MultipartDecoder(boundary.encode(), _DECODER_BUFFER, max_parts=_MAX_PARTS)
    upload = ReceivedUpload()
    digest = hashlib.sha256()
    document_type = bytearray()
    try:
        _decode(decoder, stream, upload, digest, max_bytes=max_bytes, document_type=document_type)
    except RequestEntityTooLarge:
        raise invalid_field("body", "A form part header or field is too large") from None
    except ValueError as error:
        raise invalid_field("body", f"Malformed multipart body: {error}") from None
    if not upload.has_file:
        raise invalid_field("file", "Required: the document, as the `file` part")
    upload.sha256 = digest.hexdigest()
    upload.document_type = document_type.decode("utf-8", errors="replace") if document_type else None
    return upload


def _decode(
    decoder: MultipartDecoder,
    stream: IO[bytes],
    upload: ReceivedUpload,
    digest: hashlib._Hash,
    *,
    max_bytes: int,
    document_type: bytearray,
) -> None:
    """Feed the stream to the decoder chunk by chunk; `current` is the part being read, if one we keep."""
    current: str | None = None
    while True:
        chunk = stream.read(CHUNK_SIZE)
        decoder.receive_data(chunk or None)
        while (event := decoder.next_event()) is not NEED_DATA:
            if isinstance(event, Epilogue):
                return
            if isinstance(event, File):
                current = "file" if event.name == "file" else None
                if current:
                    upload.has_file = True
                    upload.file_name = event.filename
                    upload.mime_type = parse_options_header(event.headers.get("content-type", ""))[0]
            elif isinstance(event, Field):
                current = "documentType" if event.name == "documentType" else None
            elif isinstance(event, Data) and current == "file":
                _take_file_data(upload, digest, event.data, max_bytes)
            elif isinstance(event, Data) and current == "documentType":
                document_type.extend(event.data)
                if len(document_type) > _MAX_FIELD_BYTES:
                    raise invalid_field("documentType", f"At most {_MAX_FIELD_BYTES} bytes")
        if not chunk:
            raise ValueError("the body ended before its closing boundary")


def _take_file_data(upload: ReceivedUpload, digest: hashlib._Hash, data: bytes, max_bytes: int) -> None:
    upload.size += len(data)
    if upload.size > max_bytes:
        raise too_large(max_bytes)
    if len(upload.head) < HEAD_BYTES:
        upload.head += data[: HEAD_BYTES - len(upload.head)]
    digest.update(data)
