"""callbackConfiguration of both APIs: each project holds one HMAC secret per API."""

from __future__ import annotations

import re
from typing import Any

from sandbox.sinch.backend import Backend, Call
from sandbox.sinch.callbacks import Api
from sandbox.sinch.errors import invalid_field
from sandbox.sinch.state import ProjectState
from sandbox.sinch.validation import json_object

# The Numbers spec constrains the secret; the Imported spec states no rule, so any string goes there.
_NUMBERS_SECRET = re.compile(r"^[a-zA-Z0-9-]{32,64}$")


def get_configuration(api: Api, backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        return _view(backend.state.project(call.project_id), api)


def update_configuration(api: Api, backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    secret = body.get("hmacSecret")
    if not isinstance(secret, str):
        raise invalid_field("hmacSecret", "Required string")
    if api is Api.NUMBERS and not _NUMBERS_SECRET.match(secret):
        raise invalid_field("hmacSecret", "Must be 32 to 64 characters: letters, digits and hyphens")
    with backend.state.lock:
        project = backend.state.project(call.project_id)
        if api is Api.NUMBERS:
            project.numbers_hmac_secret = secret
        else:
            project.imported_hmac_secret = secret or None
        return _view(project, api)


def _view(project: ProjectState, api: Api) -> dict[str, Any]:
    secret = project.numbers_hmac_secret if api is Api.NUMBERS else project.imported_hmac_secret
    view: dict[str, Any] = {"projectId": project.project_id}
    if secret:
        view["hmacSecret"] = secret
    return view
