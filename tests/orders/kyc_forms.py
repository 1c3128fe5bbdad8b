"""Helpers for the order-form tests: the views as the local Slack holds them, and what a user submits."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from bot.sinch import NumberRequirements
from commands.orders.requirements_form import order_pages, order_views
from commands.shared.modal_flow import JsonView
from sandbox.slack.element_values import Choice
from sandbox.slack.limits import view_problems
from sandbox.slack.models import View
from sandbox.slack.view_stacks import ViewStacks
from sandbox.slack.view_submissions import submission_state

_ids = itertools.count(1)


def build_views(
    requirements: NumberRequirements, phone_numbers: Sequence[str], *, sandbox: bool = True
) -> list[JsonView]:
    pages = order_pages(requirements, phone_numbers, campaign=False, sandbox=sandbox)
    return order_views(
        pages, title="Order numbers", callback_id="order_form", submit="Ask for approval", sandbox=sandbox
    )


def slack_problems(views: Sequence[JsonView]) -> list[str]:
    """What the local Slack's validator says about each view, as views.open / views.push would."""
    return [problem for view in views for problem in view_problems(view)]


def opened(view: JsonView) -> View:
    """The view as the local Slack stores it once opened."""
    return ViewStacks(lambda prefix: f"{prefix}{next(_ids)}").open("U1", view)


def submit_all(views: Sequence[JsonView], answers: Mapping[str, Choice]) -> dict[str, Any]:
    """The merged state.values of submitting every view in turn; `answers` by block_id or label.

    The local Slack refuses (raises) when a required input is left empty, as Slack's client does.
    """
    merged: dict[str, Any] = {}
    remaining = dict(answers)
    for definition in views:
        view = opened(definition)
        here = {block["block_id"] for block in view.input_blocks()}
        mine = {key: remaining.pop(key) for key in list(remaining) if key in here}
        merged |= submission_state(view, mine)
    assert not remaining, f"answers for inputs no view has: {sorted(remaining)}"
    return merged


def input_block_ids(views: Sequence[JsonView]) -> list[str]:
    return [
        str(block["block_id"]) for view in views for block in view["blocks"] if block.get("type") == "input"
    ]
