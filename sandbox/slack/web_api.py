"""The Web API subset and the response_url endpoints, as a WSGI app over the workspace."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from sandbox.slack.api_methods import BOT_METHODS, Args
from sandbox.slack.block_kit import JsonDict
from sandbox.slack.errors import ApiError
from sandbox.slack.faults import Faults
from sandbox.slack.files import UploadRefusedError
from sandbox.slack.models import ApiCall
from sandbox.slack.rate_limit import RateLimits, TokenBuckets, retry_after_header
from sandbox.slack.responses import post_response
from sandbox.slack.tickets import ResponseUrlRefusedError
from sandbox.slack.workspace import Workspace

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
# Arguments WebClient sends as JSON strings when it posts a form.
JSON_ARGUMENTS = frozenset({"blocks", "view", "attachments", "metadata", "files"})
BOT_SCOPES = "chat:write,commands,users:read,usergroups:read,channels:read,channels:join,groups:read,im:write"
FILES_READ = "files:read"
FILES_WRITE = "files:write"
# The scope each files.* method needs (files.info reads, the upload flow writes).
FILE_METHOD_SCOPES = {
    "files.info": FILES_READ,
    "files.getUploadURLExternal": FILES_WRITE,
    "files.completeUploadExternal": FILES_WRITE,
}
DOWNLOAD_CHUNK_BYTES = 64 * 1024


class WebApi:
    """`/api/<method>` (Bearer token; JSON or form args), `/response/<token>` (response_url posts),
    `/files-pri/<team>-<file id>/[download/]<name>` (a file's bytes, for the bot token only) and
    `/upload/v1/<key>` (the upload URLs files.getUploadURLExternal hands out).

    `tokens` maps each valid token to its kind: "bot" (xoxb) or "app" (xapp, for apps.connections.open).
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        tokens: dict[str, str],
        rate_limits: RateLimits,
        faults: Faults,
        socket_mode_url: Callable[[], str],
        files_read: bool = True,
        files_write: bool = True,
    ) -> None:
        self._workspace = workspace
        self._granted = {FILES_READ: files_read, FILES_WRITE: files_write}
        self._tokens = tokens
        self._faults = faults
        self._socket_mode_url = socket_mode_url
        self._post_message_limit = (
            TokenBuckets(rate_limits.post_message_per_second, rate_limits.post_message_burst, workspace.clock)
            if rate_limits.enabled
            else None
        )
        self._routes = Map(
            [
                Rule("/api/<method>", endpoint="api"),
                Rule("/response/<token>", endpoint="response"),
                Rule("/files-pri/<file_key>/<name>", endpoint="file"),
                Rule("/files-pri/<file_key>/download/<name>", endpoint="file"),
                Rule("/upload/v1/<upload_key>", endpoint="upload", methods=["POST"]),
            ]
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, values = self._routes.bind_to_environ(environ).match()
        except HTTPException as error:
            return error(environ, start_response)
        if endpoint == "api":
            response = self._api(request, values["method"])
        elif endpoint == "file":
            response = self._file(request, values["file_key"], values["name"])
        elif endpoint == "upload":
            response = self._upload(request, values["upload_key"])
        else:
            response = self._response_url(request, values["token"])
        return response(environ, start_response)

    def _api(self, request: Request, method: str) -> Response:
        try:
            args = _arguments(request)
        except ApiError as error:
            return self._answer(method, {}, _error_body(error))
        token = _bearer_token(request) or str(args.pop("token", ""))
        fault = self._faults.take(method)
        if fault is not None:
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
            return self._answer(method, args, {"ok": False, "error": fault.error}, fault.status, headers)
        refusal = self._refuse_token(method, token)
        if refusal is not None:
            return self._answer(method, args, {"ok": False, "error": refusal})
        needed = FILE_METHOD_SCOPES.get(method)
        if needed is not None and not self._granted[needed]:
            missing = {"ok": False, "error": "missing_scope", "needed": needed, "provided": self._scopes()}
            return self._answer(method, args, missing)
        if method == "chat.postMessage" and self._post_message_limit is not None:
            wait = self._post_message_limit.take(str(args.get("channel")))
            if wait > 0:
                headers = {"Retry-After": retry_after_header(wait)}
                return self._answer(method, args, {"ok": False, "error": "ratelimited"}, 429, headers)
        response = self._answer(method, args, self._run(method, args))
        if self._faults.latency_seconds:
            time.sleep(self._faults.latency_seconds)  # done and recorded; only the answer is late
        return response

    def _refuse_token(self, method: str, token: str) -> str | None:
        if not token:
            return "not_authed"
        kind = self._tokens.get(token)
        if kind is None:
            return "invalid_auth"
        wanted = "app" if method in APP_TOKEN_METHODS else "bot"
        return None if kind == wanted else "not_allowed_token_type"

    def _run(self, method: str, args: Args) -> JsonDict:
        if method in APP_TOKEN_METHODS:
            return {"ok": True, "url": self._socket_mode_url()}
        handler = BOT_METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        try:
            with self._workspace.transaction() as workspace:
                return {"ok": True, **handler(workspace, args)}
        except ApiError as error:
            return _error_body(error)

    def _answer(
        self,
        method: str,
        args: Args,
        body: JsonDict,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Response:
        warnings = list(body.get("response_metadata", {}).get("warnings", []))
        call = ApiCall(method, args, bool(body.get("ok")), body.get("error"), status, warnings)
        with self._workspace.transaction() as workspace:
            workspace.calls.append(call)
        response = Response(json.dumps(body), status=status, mimetype="application/json", headers=headers)
        response.headers["X-OAuth-Scopes"] = self._scopes()
        return response

    def _scopes(self) -> str:
        public = ",chat:write.public" if self._workspace.directory.chat_write_public else ""
        files = "".join(f",{scope}" for scope, granted in self._granted.items() if granted)
        return BOT_SCOPES + public + files

    def _file(self, request: Request, file_key: str, name: str) -> Response:
        """A file's exact bytes, streamed; without the bot token Slack answers no (and never the bytes)."""
        token = _bearer_token(request)
        if not token:
            return Response("not_authed", status=401, mimetype="text/plain")
        if self._tokens.get(token) != "bot":
            return Response("invalid_auth", status=403, mimetype="text/plain")
        if not self._granted[FILES_READ]:
            return Response("missing_scope", status=403, mimetype="text/plain")
        with self._workspace.reading() as workspace:
            stored = workspace.files.at(file_key, name)
        if stored is None:
            return Response("file_not_found", status=404, mimetype="text/plain")
        content = wrap_file(request.environ, _SmallReads(stored.content), DOWNLOAD_CHUNK_BYTES)
        response = Response(content, mimetype=stored.mimetype, direct_passthrough=True)
        response.headers["Content-Length"] = str(len(stored.content))
        response.headers["Content-Disposition"] = "attachment"
        return response

    def _upload(self, request: Request, upload_key: str) -> Response:
        """The bytes of a reserved file, raw or as a multipart form's one file; the URL is good once, for
        exactly the length announced (a body of another size is refused before it is read)."""
        try:
            with self._workspace.reading() as workspace:
                expected = workspace.files.expected_length(upload_key)
            content = _uploaded_bytes(request, expected)
            with self._workspace.transaction() as workspace:
                workspace.files.receive(upload_key, content)
        except UploadRefusedError as refused:
            return Response(refused.reason, status=refused.status, mimetype="text/plain")
        return Response(f"OK - {len(content)}", mimetype="text/plain")

    def _response_url(self, request: Request, token: str) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return Response("invalid_payload", status=400, mimetype="text/plain")
        with self._workspace.transaction() as workspace:
            try:
                post_response(workspace, workspace.response_urls.use(token), body)
            except ResponseUrlRefusedError as refused:
                return Response(refused.reason, status=404, mimetype="text/plain")
            except ApiError as error:
                return Response(error.error, status=400, mimetype="text/plain")
        return Response(json.dumps({"ok": True}), mimetype="application/json")


class _SmallReads(io.BytesIO):
    """A file's bytes for the server's file wrapper, which sends straight from the file as the socket takes
    it. Reads are capped, so the server never copies much of a file at once (it asks for as much as the
    socket buffer holds); BytesIO shares the stored bytes until written to."""

    def read(self, size: int | None = -1, /) -> bytes:
        wanted = DOWNLOAD_CHUNK_BYTES if size is None or size < 0 else size
        return super().read(min(wanted, DOWNLOAD_CHUNK_BYTES))


def _arguments(request: Request) -> Args:
    args: dict[str, Any] = dict(request.args.items())
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError("invalid_json")
        args.update(body)
        return args
    args.update(request.form.items())
    for name in JSON_ARGUMENTS & args.keys():
        if isinstance(args[name], str) and args[name]:
            try:
                args[name] = json.loads(args[name])
            except json.JSONDecodeError as error:
                raise ApiError("invalid_arguments", [f"{name} is not valid JSON: {error}"]) from error
    return args


def _uploaded_bytes(request: Request, expected: int) -> bytes:
    if request.mimetype == "multipart/form-data":
        parts = list(request.files.values())
        if len(parts) != 1:
            raise UploadRefusedError(400, "a multipart upload carries exactly one file")
        content: bytes = parts[0].read(expected + 1)
        return content
    if request.content_length != expected:
        raise UploadRefusedError(
            400, f"length {request.content_length} differs from the {expected} bytes announced"
        )
    return request.get_data()


def _bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _error_body(error: ApiError) -> JsonDict:
    body: JsonDict = {"ok": False, "error": error.error}
    if error.messages:
        body["errors"] = list(error.messages)
        body["response_metadata"] = {"messages": [f"[ERROR] {message}" for message in error.messages]}
    return body
