"""app_manifest.yml installs with "Create app from manifest" and matches what the bot listens to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator

from bot.blockkit import ids
from tests.shared_dir import spec_file

MANIFEST = Path(__file__).resolve().parents[2] / "app_manifest.yml"


def _manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_manifest_is_valid_against_the_slack_manifest_schema() -> None:
    schema = json.loads(spec_file("slack-app-manifest.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(schema).iter_errors(_manifest()), key=lambda error: list(error.path))
    assert [f"{list(error.path)}: {error.message}" for error in errors] == []


def test_manifest_declares_the_command_interactivity_and_home_tab_the_bot_serves() -> None:
    manifest = _manifest()
    assert [command["command"] for command in manifest["features"]["slash_commands"]] == [ids.COMMAND]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_manifest_asks_for_the_minimal_scopes() -> None:
    # commands: /numbers; chat:write: cards and replies; usergroups:read: approvers named as a user group;
    # files:read: documents attached in forms (file_input needs it, and files.info and downloads too);
    # files:write: /numbers report uploads its CSV.
    scopes = sorted(_manifest()["oauth_config"]["scopes"]["bot"])
    assert scopes == ["chat:write", "commands", "files:read", "files:write", "usergroups:read"]
