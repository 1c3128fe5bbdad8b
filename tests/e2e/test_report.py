"""`/numbers report`: the inventory snapshot as a CSV, uploaded with Slack's upload flow to the local Slack.

One world for the module: numbers seeded in the Sinch sandbox, one rented through the real request and
approval, two imported, then the snapshot refreshed. Each test reads the CSV that lands in the local Slack's
files folder.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.blockkit import ids
from bot.inventory import snapshot
from bot.sinch import NumberType
from bot.sinch.models import ImportNumber, SmsConfiguration
from sandbox.slack import UploadedFile
from sandbox.slack.directory import dm_channel_id
from sandbox.slack.driver import SlackUserDriver
from storage import inventory, requests
from storage.inventory import Source
from tests.e2e.modal_steps import approve
from tests.harness import (
    APPROVER,
    OPS,
    PROJECT_ID,
    REQUESTER,
    World,
    answer_to,
    ephemeral_containing,
    running_world,
    seed_active,
    shown,
)

FORMULA = '=HYPERLINK("http://evil.example","click me")'
IMPORTED = {"+12062345678": "@SUM(A1:A9)", "+12062345679": "Front desk"}


@dataclass(frozen=True)
class Stock:
    rented: str
    request_id: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("report"), numbot_legacy_rent=True) as started:
        yield started


@pytest.fixture(scope="module")
def stock(world: World) -> Stock:
    seed_active(world, 30, service_plan_id="plan-1")
    rented = rent_through_approval(world, display_name=FORMULA)
    for phone_number, display_name in IMPORTED.items():
        world.services.sinch.imported_import(
            ImportNumber(
                phone_number=phone_number,
                region_code="US",
                display_name=display_name,
                sms_configuration=SmsConfiguration(service_plan_id="plan-1"),
            )
        )
    snapshot.refresh(world.services)
    [request] = requests.find_requests(world.services.store, subject=rented)
    return Stock(rented, request.id)


def rent_through_approval(world: World, display_name: str) -> str:
    """The requester asks for an available number with `display_name`; the approver approves it."""
    offer = world.services.sinch.search_available("US", NumberType.LOCAL)[0]
    world.requester.slash("/numbers", f"rent {offer.phone_number}", channel=OPS.id)
    form = world.wait_for(
        lambda slack: next(
            (view for view in slack.views(REQUESTER.id) if view.callback_id == ids.RENT_MODAL), None
        )
    )
    world.requester.submit(form, {"Display name": display_name})
    approve(world, offer.phone_number)
    return offer.phone_number


def report(
    world: World, user: SlackUserDriver, text: str = "report", channel: str | None = OPS.id
) -> UploadedFile:
    """`user` types `/numbers <text>` in `channel` (their DM with the bot when None); the file it uploads."""
    before = len(world.slack.uploads())
    ack = user.slash("/numbers", text, channel=channel)
    assert ack.ok, ack
    return world.slack.wait_for(lambda slack: next(iter(slack.uploads()[before:]), None))


def rows(uploaded: UploadedFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(uploaded.text())))


def listed_total(world: World) -> int:
    listed = answer_to(world, world.requester, "list", "Active numbers")
    total = re.search(r"Showing 1-\d+ of (\d+)", shown(listed))
    assert total is not None, shown(listed)
    return int(total.group(1))


def test_the_report_has_exactly_the_numbers_list_counts_and_is_shared_where_asked(
    world: World, stock: Stock
) -> None:
    uploaded = report(world, world.bystander)

    lines = rows(uploaded)
    snapshot_numbers = [row.phone_number for row in inventory.rows(world.services.store, Source.ACTIVE)]
    assert [line["number"] for line in lines] == snapshot_numbers
    assert len(lines) == listed_total(world) == 31
    assert sorted(world.sinch.state.active_phone_numbers(PROJECT_ID)) == snapshot_numbers
    assert uploaded.channels == (OPS.id,)
    assert uploaded.name.endswith(".csv")
    assert re.fullmatch(r"Active numbers \d{4}-\d{2}-\d{2} \(31\)", uploaded.title)
    [shared] = [message for message in world.slack.messages(OPS.id) if message.files]
    assert shared.files[0]["id"] == uploaded.id
    assert "asked for the active numbers: 31 as of" in shared.text


def test_a_number_numbot_rented_names_its_request_and_its_formula_name_stays_text(
    world: World, stock: Stock
) -> None:
    lines = {line["number"]: line for line in rows(report(world, world.requester))}

    rented = lines[stock.rented]
    assert (rented["request id"], rented["requester"], rented["approver"]) == (
        stock.request_id,
        REQUESTER.id,
        APPROVER.id,
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", rented["acquired (UTC)"])
    assert rented["display name"] == "'" + FORMULA
    seeded = [line for number, line in lines.items() if number != stock.rented]
    assert {(line["request id"], line["SMS plan"]) for line in seeded} == {("", "plan-1")}


def test_imported_numbers_are_a_report_of_their_own(world: World, stock: Stock) -> None:
    lines = rows(report(world, world.requester, "report --imported"))

    assert {line["number"]: line["display name"] for line in lines} == {
        "+12062345678": "'@SUM(A1:A9)",
        "+12062345679": "Front desk",
    }
    assert {line["monthly price"] for line in lines} == {""}


def test_asked_in_a_dm_the_report_lands_in_the_dm(world: World, stock: Stock) -> None:
    uploaded = report(world, world.requester, channel=None)

    assert uploaded.channels == (dm_channel_id(REQUESTER.id),)
    assert len(rows(uploaded)) == 31


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_where_the_bot_cannot_post_the_user_is_told_and_nothing_is_shared(
    world: World, stock: Stock, error: str
) -> None:
    before = len(world.slack.uploads())
    world.slack.fail_next("files.completeUploadExternal", error=error)

    world.requester.slash("/numbers", "report", channel=OPS.id)

    told = ephemeral_containing(world, REQUESTER.id, "I cannot post files in this conversation")
    assert "/invite @numbot" in told.text
    assert len(world.slack.uploads()) == before


@pytest.mark.parametrize("words", ["report --all", "report --imported extra", "report US"])
def test_options_other_than_imported_are_refused(world: World, stock: Stock, words: str) -> None:
    before = len(world.slack.uploads())

    told = answer_to(world, world.requester, words, "`report` takes only `--imported`")

    assert "/numbers report [--imported]" in shown(told)
    assert len(world.slack.uploads()) == before


def test_before_the_first_refresh_the_user_is_asked_to_wait_and_a_refresh_is_asked_for(
    tmp_path: Path,
) -> None:
    with running_world(tmp_path) as fresh:
        told = answer_to(fresh, fresh.requester, "report", "The inventory is being read from Sinch")

        assert "try again in a minute" in shown(told)
        assert inventory.stale_since(fresh.services.store) is not None
        assert fresh.slack.uploads() == []
