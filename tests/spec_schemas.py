"""Check JSON against the official Sinch OpenAPI specs: by schema name, or as an operation's response.

Used by the sandbox tests and reusable by the client tests. The OpenAPI 3.0 schemas are turned into JSON
Schema 2020-12 once per spec:

- `nullable: true` admits null;
- `oneOf` + `discriminator` becomes "if the discriminator says X, then schema X" (plain `oneOf` cannot
  tell the voice configurations apart, since none forbids the others' fields);
- every object schema used as a property, an array item or the validated root gets
  `unevaluatedProperties: false`, so a misspelt or invented field fails instead of passing silently.

Null values are dropped before validation: the Numbers spec says null and absent mean the same, and real
callbacks carry `"failureCode": null`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, Literal

import httpx
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from tests.shared_dir import spec_file

ApiName = Literal["numbers", "imported"]

SPEC_FILES: dict[ApiName, str] = {
    "numbers": "sinch-numbers-api-openapi.yaml",
    "imported": "sinch-imported-numbers-hosting-orders-api-openapi.yaml",
}
_CHILD_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def assert_matches_schema(api: ApiName, schema_name: str, instance: Any) -> None:
    """Fail with every violation if `instance` is not a valid `#/components/schemas/{schema_name}`."""
    _validate(api, {"$ref": f"#/components/schemas/{schema_name}"}, instance, f"{api} {schema_name}")


def assert_response_matches_spec(api: ApiName, operation_id: str, response: httpx.Response) -> None:
    """Fail unless the spec documents this status for the operation and the body matches its schema."""
    assert_answer_matches_spec(api, operation_id, response.status_code, response.json)


def assert_answer_matches_spec(
    api: ApiName, operation_id: str, status: int, read_body: Callable[[], Any]
) -> None:
    """`assert_response_matches_spec` for any HTTP client; the body is read only if a schema describes it."""
    declared = _declared_response(api, operation_id, status)
    assert declared is not None, f"{operation_id} does not document status {status}"
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        _validate(api, schema, read_body(), f"{operation_id} {status}")


def documents_status(api: ApiName, operation_id: str, status: int) -> bool:
    return _declared_response(api, operation_id, status) is not None


def _declared_response(api: ApiName, operation_id: str, status: int) -> dict[str, Any] | None:
    documented = _operations(api)[operation_id]["responses"]
    declared = documented.get(str(status), documented.get("default"))
    return None if declared is None else _resolve(_spec(api), declared)


def _validate(api: ApiName, schema: dict[str, Any], instance: Any, label: str) -> None:
    validator = _validator(api, json.dumps(schema, sort_keys=True))
    errors = sorted(validator.iter_errors(_without_nulls(instance)), key=lambda error: list(error.path))
    assert not errors, f"{label}:\n" + "\n".join(f"  at {list(e.path)}: {e.message}" for e in errors)


@functools.cache
def _validator(api: ApiName, schema_json: str) -> Draft202012Validator:
    """One validator per schema, so the references it resolved stay resolved for the next instance."""
    spec = _spec(api)
    root = {**_strict(spec, _converted(json.loads(schema_json))), "components": spec["components"]}
    return Draft202012Validator(root, format_checker=FormatChecker())


@functools.cache
def _spec(api: ApiName) -> dict[str, Any]:
    """The spec with every schema converted (see the module docstring)."""
    document: dict[str, Any] = load_spec(api)
    converted: dict[str, Any] = _converted(document)
    converted["components"]["schemas"] = {
        name: _strict_children(converted, schema)
        for name, schema in converted["components"]["schemas"].items()
    }
    return converted


def load_spec(api: ApiName) -> dict[str, Any]:
    """The spec as published (a fresh copy, free to change)."""
    document: dict[str, Any] = yaml.load(spec_file(SPEC_FILES[api]).read_text(), Loader=yaml.CSafeLoader)
    return document


@functools.cache
def _operations(api: ApiName) -> dict[str, dict[str, Any]]:
    operations: dict[str, dict[str, Any]] = {}
    for path_item in _spec(api)["paths"].values():
        for method in _HTTP_METHODS:
            if method in path_item:
                operations[path_item[method]["operationId"]] = path_item[method]
    return operations


def _converted(node: Any) -> Any:
    if isinstance(node, list):
        return [_converted(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _converted(value) for key, value in node.items()}
    if converted.pop("nullable", False) and "type" in converted:
        converted["type"] = [converted["type"], "null"]
    discriminator = converted.pop("discriminator", None)
    if discriminator and "oneOf" in converted and "mapping" in discriminator:
        converted.pop("oneOf")
        converted["allOf"] = [*converted.get("allOf", []), *_dispatch(discriminator)]
    return converted


def _dispatch(discriminator: dict[str, Any]) -> list[dict[str, Any]]:
    name = discriminator["propertyName"]
    mapping: dict[str, str] = discriminator["mapping"]
    known = {"properties": {name: {"enum": list(mapping)}}}
    return [known] + [
        {"if": {"properties": {name: {"const": value}}, "required": [name]}, "then": {"$ref": target}}
        for value, target in mapping.items()
    ]


def _strict_children(spec: dict[str, Any], schema: Any) -> Any:
    """Make the objects below `schema` (properties, items) reject undeclared fields."""
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    if "properties" in result:
        result["properties"] = {
            key: _strict(spec, _strict_children(spec, value)) for key, value in result["properties"].items()
        }
    if "items" in result:
        result["items"] = _strict(spec, _strict_children(spec, result["items"]))
    for keyword in _CHILD_SCHEMA_LISTS:
        if keyword in result:
            result[keyword] = [_strict_children(spec, child) for child in result[keyword]]
    return result


def _strict(spec: dict[str, Any], schema: Any) -> Any:
    if isinstance(schema, dict) and _declares_fields(spec, schema) and "additionalProperties" not in schema:
        return {**schema, "unevaluatedProperties": False}
    return schema


def _declares_fields(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    resolved = _resolve(spec, schema)
    return "properties" in resolved or any(keyword in resolved for keyword in (*_CHILD_SCHEMA_LISTS, "if"))


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _without_nulls(instance: Any) -> Any:
    prune: Callable[[Any], Any] = _without_nulls
    if isinstance(instance, dict):
        return {key: prune(value) for key, value in instance.items() if value is not None}
    if isinstance(instance, list):
        return [prune(item) for item in instance]
    return instance
