"""A document a user attached in a modal, fetched from Slack: checked first, streamed, the token kept home.

A submission's file object only says which file. `files.info` gives the authoritative name, size, type and
download URL; the size and type are checked before a byte is downloaded, and the type again from the
content's first bytes, since a file_input's `filetypes` only filters the user's file picker. The bot token
goes only to Slack's own hosts (`slack.com` and its subdomains, over https) or to the host of
SLACK_API_URL (how the local Slack is reached): never to whatever host a file object happens to name.
The bytes go to a temporary file as they arrive, so a document is never held in memory, let alone twice.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blockkit.text import clean, escape
from bot.errors import UserFacingError

MEGABYTE = 1024 * 1024
SINCH_MAX_BYTES = 10 * MEGABYTE
"""The largest document Sinch takes for a number order (it answers 413 above it)."""
CHUNK_BYTES = 64 * 1024
DOWNLOAD_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class DocumentType:
    mime_type: str
    label: str
    signature: bytes
    """How every file of this type begins."""


PDF = DocumentType("application/pdf", "PDF", b"%PDF-")
PNG = DocumentType("image/png", "PNG", b"\x89PNG\r\n\x1a\n")
JPEG = DocumentType("image/jpeg", "JPEG", b"\xff\xd8\xff")
DOCUMENTS = (PDF, PNG, JPEG)


class SlackFileError(UserFacingError):
    """A document that cannot be passed on; the message (mrkdwn, the file name escaped) says why."""


class FileTooLargeError(SlackFileError):
    pass


class FileTypeNotAllowedError(SlackFileError):
    pass


class UntrustedFileHostError(SlackFileError):
    """Slack named a download host that is not Slack's: the token was not sent."""


class FileUnavailableError(SlackFileError):
    """Slack would not describe or serve the file, or served something other than it described."""


@dataclass(frozen=True)
class FetchedFile:
    name: str
    mime_type: str
    """The type its content was recognised as (one of the accepted types)."""
    size: int
    content: BinaryIO
    """The bytes, in a temporary file read from the start; gone when `fetch_slack_file`'s block ends."""


@contextmanager
def fetch_slack_file(
    client: WebClient,
    submitted: Mapping[str, Any],
    *,
    max_bytes: int = SINCH_MAX_BYTES,
    accept: Sequence[DocumentType] = DOCUMENTS,
) -> Iterator[FetchedFile]:
    """The file behind `submitted` (one file object of a file_input's state), checked and downloaded.

    `client` is the bot's WebClient: its token authorises the download and its base_url (SLACK_API_URL)
    is the one host besides Slack's own that may receive that token. Raises a SlackFileError subclass
    whose message is meant for the user.
    """
    info = _file_info(client, submitted)
    name = clean(str(info.get("name") or submitted.get("name") or "the file"))
    size = int(info.get("size") or 0)
    _check_size(name, size, max_bytes)
    expected = _document_type(name, str(info.get("mimetype") or ""), accept)
    url = str(info.get("url_private_download") or "")
    _check_host(name, url, str(client.base_url))
    with tempfile.TemporaryFile() as content:
        _download(client.token or "", url, name, expected, max_bytes, content)
        received = content.tell()
        if received != size:
            raise FileUnavailableError(
                f"Slack sent {received:,} bytes of “{escape(name)}” instead of {size:,}: "
                "please attach it again."
            )
        content.seek(0)
        yield FetchedFile(name=name, mime_type=expected.mime_type, size=size, content=content)


def _file_info(client: WebClient, submitted: Mapping[str, Any]) -> Mapping[str, Any]:
    shown = escape(str(submitted.get("name") or "the file"))
    try:
        response = client.files_info(file=str(submitted.get("id") or ""))
    except SlackApiError as error:
        reason = escape(str(error.response.get("error") or "no answer"))
        raise FileUnavailableError(
            f"Slack could not find “{shown}” ({reason}): please attach it again."
        ) from None
    file = response.get("file")
    if not isinstance(file, Mapping):
        raise FileUnavailableError(f"Slack did not describe “{shown}”: please attach it again.")
    return file


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLargeError(
            f"“{escape(name)}” is {size / MEGABYTE:.1f} MB; Sinch accepts at most {max_bytes / MEGABYTE:g} MB"
        )


def _document_type(name: str, mime_type: str, accept: Sequence[DocumentType]) -> DocumentType:
    for document in accept:
        if document.mime_type == mime_type.lower():
            return document
    raise FileTypeNotAllowedError(f"“{escape(name)}” is not {_either(accept)}")


def _either(accept: Sequence[DocumentType]) -> str:
    labels = [document.label for document in accept]
    return "a " + (", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0])


def _check_host(name: str, url: str, api_url: str) -> None:
    if not token_may_go_to(url, api_url):
        raise UntrustedFileHostError(
            f"“{escape(name)}” was not downloaded: Slack named a place for it that is not Slack "
            f"(`{escape(url[:200])}`)."
        )


def token_may_go_to(url: str, api_url: str) -> bool:
    """Whether `url` is on Slack's own hosts over https, or on the very host (and port) of `api_url`."""
    try:
        target, api = httpx.URL(url), httpx.URL(api_url)
    except httpx.InvalidURL:
        return False
    if target.userinfo or not target.host:
        return False
    host = target.host.lower()
    if target.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return (target.scheme, host, target.port) == (api.scheme, api.host.lower(), api.port)


def _download(
    token: str, url: str, name: str, expected: DocumentType, max_bytes: int, into: IO[bytes]
) -> None:
    """Stream the file into `into`, refusing it as soon as its first bytes or its length give it away."""
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with (
            httpx.Client(timeout=DOWNLOAD_TIMEOUT_SECONDS, follow_redirects=False) as http,
            http.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code != httpx.codes.OK:
                raise FileUnavailableError(
                    f"Slack would not serve “{escape(name)}” (HTTP {response.status_code}): "
                    "please attach it again."
                )
            _copy(response.iter_bytes(CHUNK_BYTES), name, expected, max_bytes, into)
    except httpx.HTTPError as error:
        raise FileUnavailableError(
            f"“{escape(name)}” could not be downloaded from Slack ({escape(type(error).__name__)}): "
            "please try again."
        ) from None


def _copy(
    chunks: Iterator[bytes], name: str, expected: DocumentType, max_bytes: int, into: IO[bytes]
) -> None:
    head = b""
    received = 0
    for chunk in chunks:
        received += len(chunk)
        _check_size(name, received, max_bytes)  # Slack's answer said less: stop at the cap all the same
        if len(head) < len(expected.signature):
            head += chunk[: len(expected.signature) - len(head)]
            if not expected.signature.startswith(head):
                raise FileTypeNotAllowedError(f"“{escape(name)}” is not {_either([expected])}")
        into.write(chunk)
    if len(head) < len(expected.signature):
        raise FileTypeNotAllowedError(f"“{escape(name)}” is not {_either([expected])}")
