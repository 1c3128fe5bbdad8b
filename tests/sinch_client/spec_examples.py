"""Examples published in the official Sinch OpenAPI specs, loaded once for the model and error tests."""

from __future__ import annotations

import functools
import json
from typing import Any

import yaml

from tests.shared_dir import fixture_file, spec_file

NUMBERS_SPEC = "sinch-numbers-api-openapi.yaml"
IMPORTED_SPEC = "sinch-imported-numbers-hosting-orders-api-openapi.yaml"
SIGNATURE_VECTORS = "sinch-signature-vectors.json"


@functools.cache
def _load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(spec_file(name).read_text())
    return document


def numbers_example(name: str) -> Any:
    return _load(NUMBERS_SPEC)["components"]["examples"][name]["value"]


def imported_example(name: str) -> Any:
    return _load(IMPORTED_SPEC)["components"]["examples"][name]["value"]


def imported_spec() -> dict[str, Any]:
    return _load(IMPORTED_SPEC)


def signature_vectors() -> list[dict[str, str]]:
    vectors: list[dict[str, str]] = json.loads(fixture_file(SIGNATURE_VECTORS).read_text())["vectors"]
    return vectors


def as_json(value: Any) -> bytes:
    return json.dumps(value).encode()
