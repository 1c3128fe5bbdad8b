"""LocalSlack: the workspace, its Web API server, its Socket Mode endpoint and its users, in one object."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from sandbox.slack.delivery import ACK_DEADLINE_SECONDS, HttpTransport, Transport
from sandbox.slack.driver import SlackUserDriver
from sandbox.slack.faults import Faults
from sandbox.slack.files import StoredFile, UploadedFile
from sandbox.slack.models import ApiCall, Message, SlackChannel, SlackUser, View
from sandbox.slack.rate_limit import RateLimits
from sandbox.slack.signing import SignatureMode
from sandbox.slack.socket_mode import SocketModeServer
from sandbox.slack.web_api import WebApi
from sandbox.slack.workspace import BotIdentity, Workspace
from serving import BackgroundServer

T = TypeVar("T")


class LocalSlack:
    """A Slack workspace on loopback that enforces Slack's documented limits (see shared/SLACK.md).

    `files_read=False` installs the app without files:read: files.info and file downloads are refused;
    `files_write=False` without files:write: the upload flow is refused. Files the app uploads are written
    to `files_dir` (by default a temporary folder of this LocalSlack, removed when it stops).
    """

    def __init__(
        self,
        signing_secret: str,
        *,
        bot_token: str = "xoxb-local",  # noqa: S107 (a placeholder the local workspace checks)
        app_token: str = "xapp-local",  # noqa: S107
        team_id: str = "T0LOCAL",
        users: Iterable[SlackUser] = (),
        channels: Iterable[SlackChannel] = (),
        usergroups: dict[str, list[str]] | None = None,
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        chat_write_public: bool = False,
        files_read: bool = True,
        files_write: bool = True,
        files_dir: Path | str | None = None,
        ack_deadline: float = ACK_DEADLINE_SECONDS,
    ) -> None:
        self.signing_secret = signing_secret
        self.bot_token = bot_token
        self.app_token = app_token
        self._ack_deadline = ack_deadline
        identity = BotIdentity(team_id=team_id)
        self._owned_files_dir = (
            tempfile.TemporaryDirectory(prefix="local-slack-files-") if files_dir is None else None
        )
        self.files_dir = Path(self._owned_files_dir.name if self._owned_files_dir else files_dir or ".")
        """Where files the app uploads are written, as `<file id>-<name>`."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self._workspace = Workspace(
            identity,
            users=users,
            channels=channels,
            usergroups=usergroups or {},
            chat_write_public=chat_write_public,
            clock=clock,
            files_dir=self.files_dir,
        )
        self._faults = Faults()
        self._socket_mode = SocketModeServer(
            identity.app_id, on_connections_changed=self._workspace.notify, ack_deadline=ack_deadline
        )
        self._web_api = WebApi(
            self._workspace,
            tokens={bot_token: "bot", app_token: "app"},
            rate_limits=rate_limits or RateLimits(),
            faults=self._faults,
            socket_mode_url=self._socket_mode.issue_url,
            files_read=files_read,
            files_write=files_write,
        )
        self._server: BackgroundServer | None = None
        self._http: HttpTransport | None = None
        self._transport: Transport | None = None

    # --- serving -------------------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalSlack:
        self._server = BackgroundServer(self._web_api, host=host, port=port).start()
        self.serve_files_from(self._server.url)
        with self._workspace.transaction() as workspace:
            workspace.files.upload_base_url = self._server.url
        self._socket_mode.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.close()
        self._socket_mode.stop()
        if self._server is not None:
            self._server.stop()
        if self._owned_files_dir is not None:
            self._owned_files_dir.cleanup()

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalSlack is not started: call start() first")
        return self._server.url

    @property
    def api_url(self) -> str:
        """Pass to WebClient(base_url=...)."""
        return f"{self.url}/api/"

    # --- how the app hears from Slack ----------------------------------------------------------------------

    def deliver_http(self, url: str, signature: SignatureMode = "valid") -> None:
        """POST, signed, to the app's request URL (its /slack/events). `signature` can be bad or stale."""
        if self._http is not None:
            self._http.close()
        self._http = HttpTransport(url, self.signing_secret, signature, self._ack_deadline)
        self._transport = self._http

    def deliver_socket_mode(self) -> None:
        """Deliver as envelopes over the Socket Mode connection the app opened via apps.connections.open."""
        self._transport = self._socket_mode

    @property
    def socket_mode_connections(self) -> int:
        return self._socket_mode.connection_count

    def drop_socket_mode_connections(self) -> None:
        """Close the app's Socket Mode connections, as when the network drops (the app should reconnect)."""
        self._socket_mode.drop_connections()

    # --- people --------------------------------------------------------------------------------------------

    def user(self, user_id: str) -> SlackUserDriver:
        with self._workspace.reading() as workspace:
            workspace.directory.user(user_id)
        return SlackUserDriver(user_id, self._workspace, self._current_transport, self._response_url)

    def _current_transport(self) -> Transport:
        if self._transport is None:
            raise RuntimeError("choose how the app is reached: deliver_http(url) or deliver_socket_mode()")
        return self._transport

    def _response_url(self, token: str) -> str:
        return f"{self.url}/response/{token}"

    # --- what users see, and what the app called -----------------------------------------------------------

    def messages(self, channel: str) -> list[Message]:
        """Top-level messages in posting order (a user id means the bot's DM with that user)."""
        with self._workspace.reading() as workspace:
            return workspace.conversations.top_level(workspace.directory.conversation_id(channel))

    def thread(self, channel: str, ts: str) -> list[Message]:
        with self._workspace.reading() as workspace:
            return workspace.conversations.thread(workspace.directory.conversation_id(channel), ts)

    def ephemerals(self, user_id: str) -> list[Message]:
        with self._workspace.reading() as workspace:
            return workspace.conversations.ephemerals(user_id)

    def views(self, user_id: str) -> list[View]:
        """The user's open modals, bottom to top."""
        with self._workspace.reading() as workspace:
            return workspace.views.stack(user_id)

    def home(self, user_id: str) -> View | None:
        with self._workspace.reading() as workspace:
            return workspace.views.home(user_id)

    @property
    def calls(self) -> list[ApiCall]:
        with self._workspace.reading() as workspace:
            return list(workspace.calls)

    def wait_for(self, predicate: Callable[[LocalSlack], T | bool | None], timeout: float = 5.0) -> T:
        """The first truthy result of `predicate(slack)`, re-evaluated whenever the workspace changes."""
        return self._workspace.wait_until(lambda: predicate(self), timeout)

    def set_usergroup_members(self, usergroup: str, user_ids: Iterable[str]) -> None:
        """An admin edits a user group in Slack (someone joins or leaves the approvers, say)."""
        with self._workspace.transaction() as workspace:
            workspace.directory.set_usergroup_members(usergroup, user_ids)

    def file(self, file_id: str) -> StoredFile:
        """A file a user uploaded (ApiError file_not_found if there is none)."""
        with self._workspace.reading() as workspace:
            return workspace.files.get(file_id)

    def uploads(self) -> list[UploadedFile]:
        """Every file the app uploaded (files.completeUploadExternal), oldest first."""
        with self._workspace.reading() as workspace:
            return workspace.files.uploaded()

    def wait_for_upload(
        self, matching: Callable[[UploadedFile], bool] = lambda _: True, timeout: float = 5.0
    ) -> UploadedFile:
        """The oldest upload `matching` accepts, awaited as the workspace changes (TimeoutError if none)."""
        return self.wait_for(
            lambda slack: next((one for one in slack.uploads() if matching(one)), None), timeout
        )

    def serve_files_from(self, base_url: str) -> None:
        """Where file objects say files are (`url_private…`); another host stands in for a tampered answer."""
        with self._workspace.transaction() as workspace:
            workspace.files.base_url = base_url.rstrip("/")

    # --- faults --------------------------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """Injected trouble: `fail_next` below, and `faults.latency_seconds` for a slow workspace."""
        return self._faults

    def fail_next(
        self, method: str, count: int = 1, status: int = 200, error: str | None = None, retry_after: int = 1
    ) -> None:
        """Fail the next `count` calls of `method` with `error` (ok: false) or HTTP `status`."""
        self._faults.fail_next(method, count, status, error, retry_after)
