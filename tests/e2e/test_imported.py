"""`/numbers imported list | show | add | update | remove`, end to end over loopback HTTP.

Numbers that "already exist" are imported straight through the bot's Sinch client, as another team (or
the Sinch dashboard) would have done.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.blockkit import ids
from bot.sinch.models import ImportNumber, SmsConfiguration
from commands.imported.forms import PHONE_BLOCK, REGION_BLOCK
from commands.shared.number_forms import CAMPAIGN_BLOCK, DISPLAY_NAME_BLOCK, SERVICE_PLAN_BLOCK
from sandbox.slack import RequiredFieldMissingError
from storage import requests
from storage.request_types import RequestKind
from tests.e2e.modal_steps import approve, audit_actions, card, ephemeral, shown, top_view
from tests.harness import OPS, PROJECT_ID, World, reconciler, running_world

PHONE = "+12062345678"
FORM = {
    PHONE_BLOCK: PHONE,
    REGION_BLOCK: "US",
    DISPLAY_NAME_BLOCK: "Seattle support",
    SERVICE_PLAN_BLOCK: "plan-a",
    CAMPAIGN_BLOCK: "CAMP1",
}


def already_imported(world: World, phone: str, plan: str = "plan-a", campaign: str | None = None) -> None:
    sms = SmsConfiguration(service_plan_id=plan, campaign_id=campaign)
    world.services.sinch.imported_import(
        ImportNumber(phone_number=phone, region_code="US", sms_configuration=sms)
    )


def imported(world: World, phone: str) -> dict[str, object] | None:
    return world.sinch.state.imported_number(phone, PROJECT_ID)


def import_posts(world: World) -> int:
    return sum(r.method == "POST" and r.path.endswith("/importedNumbers") for r in world.sinch.requests)


def open_import_form(world: World) -> None:
    world.requester.slash("/numbers", "imported add", channel=OPS.id)


# list


def test_list_without_any_filter_names_the_options_and_settings(world: World) -> None:
    world.requester.slash("/numbers", "imported list", channel=OPS.id)
    reply = ephemeral(world, world.requester.user_id, "NUMBOT_IMPORTED_SERVICE_PLAN_ID")
    assert "`--plan ID`" in reply.text and "NUMBOT_IMPORTED_CAMPAIGN_ID" in reply.text
    assert not any(r.path.endswith("/importedNumbers") for r in world.sinch.requests)


def test_list_walks_every_page_and_says_which_filters_were_used(world: World) -> None:
    phones = [f"+1206234{index:04d}" for index in range(105)]
    for phone in phones:
        already_imported(world, phone)
    already_imported(world, "+12063450000", plan="plan-b")

    world.requester.slash("/numbers", "imported list --plan plan-a", channel=OPS.id)

    reply = ephemeral(world, world.requester.user_id, "Imported numbers (105)")
    text = shown(reply)
    assert "service plan `plan-a` (from `--plan`) · campaign any" in text
    assert all(phone in text for phone in phones) and "+12063450000" not in text
    pages = [r for r in world.sinch.requests if r.path.endswith("/importedNumbers") and r.method == "GET"]
    assert len(pages) == 2 and pages[0].query["campaignId"] == [""]


def test_list_uses_the_configured_default_and_narrows_by_region_and_pattern(tmp_path: Path) -> None:
    with running_world(tmp_path, numbot_imported_campaign_id="CAMP1") as world:
        already_imported(world, "+12062345678", campaign="CAMP1")
        already_imported(world, "+12062349999", campaign="CAMP1")
        already_imported(world, "+12062340000", campaign="CAMP2")

        world.requester.slash("/numbers", "imported list US 9999", channel=OPS.id)

        text = shown(ephemeral(world, world.requester.user_id, "Imported numbers (1)"))
        assert "campaign `CAMP1` (default from NUMBOT_IMPORTED_CAMPAIGN_ID)" in text
        assert "region US" in text and "+12062349999" in text


# show


def test_show_tells_links_scheduled_provisioning_and_explains_error_codes(world: World) -> None:
    already_imported(world, PHONE, campaign="CAMP1")
    world.requester.slash("/numbers", f"imported show {PHONE}", channel=OPS.id)
    text = shown(ephemeral(world, world.requester.user_id, "Scheduled provisioning"))
    assert "*Service plan*\n`plan-a`" in text and "*Campaign*\n`CAMP1`" in text
    assert "*Migrate to Sinch on T-Mobile*\nno" in text
    assert ": *WAITING*" in text

    world.sinch.fail_provisioning(PHONE, ["CAMPAIGN_NOT_AVAILABLE"])
    world.sinch.complete_provisioning(PHONE)
    world.requester.slash("/numbers", f"imported show {PHONE}", channel=OPS.id)
    text = shown(ephemeral(world, world.requester.user_id, ": *FAILED*"))
    assert "`CAMPAIGN_NOT_AVAILABLE`: The 10DLC campaign does not exist" in text


def test_show_of_a_number_that_is_not_imported_says_so(world: World) -> None:
    world.requester.slash("/numbers", f"imported show {PHONE}", channel=OPS.id)
    ephemeral(world, world.requester.user_id, "is not an imported number in this Sinch project")


# add


def test_add_goes_through_approval_and_imports(world: World) -> None:
    open_import_form(world)
    world.requester.submit(top_view(world, world.requester.user_id, ids.IMPORT_MODAL), FORM)
    top_view(world, world.requester.user_id, ids.LOADING_MODAL, "waiting for a second person")
    pending = card(world, PHONE)
    assert "*SMS*\nservice plan `plan-a`, campaign `CAMP1`" in shown(pending)
    assert import_posts(world) == 0

    world.requester.click(pending, ids.APPROVE)
    ephemeral(world, world.requester.user_id, "another approver must decide")
    assert "imported on service plan `plan-a`" in approve(world, PHONE).text

    number = imported(world, PHONE)
    assert number is not None and number["displayName"] == "Seattle support"
    request = requests.find_requests(world.services.store, subject=PHONE)[0]
    assert request.kind == "import" and request.decided_by == world.approver.user_id
    assert {"request.created"} <= {entry.action for entry in audit_actions(world, PHONE)}


def test_add_of_an_already_imported_number_fails_with_an_explanation(world: World) -> None:
    already_imported(world, PHONE)
    open_import_form(world)
    world.requester.submit(top_view(world, world.requester.user_id, ids.IMPORT_MODAL), FORM)
    outcome = approve(world, PHONE, outcome="failed")
    assert "is already imported (in this or another Sinch project), so nothing was changed" in outcome.text
    assert "HTTP 409" not in outcome.text


@pytest.mark.parametrize(
    ("changes", "block", "message"),
    [
        ({REGION_BLOCK: {"selected_option": {"value": "GB"}}}, REGION_BLOCK, "only US and CA numbers"),
        ({PHONE_BLOCK: "+442079460123"}, PHONE_BLOCK, "is not a US number (GB)"),
        ({PHONE_BLOCK: "+14162345678"}, PHONE_BLOCK, "choose CA"),
        ({PHONE_BLOCK: "2062345678"}, PHONE_BLOCK, "must start with +"),
        ({PHONE_BLOCK: "+14162345678", REGION_BLOCK: "CA"}, CAMPAIGN_BLOCK, "only apply to US numbers"),
    ],
)
def test_add_refuses_bad_input_in_the_form_without_calling_sinch(
    world: World, changes: dict[str, object], block: str, message: str
) -> None:
    open_import_form(world)
    form = top_view(world, world.requester.user_id, ids.IMPORT_MODAL)
    ack = world.requester.submit(form, {**FORM, **changes})  # type: ignore[dict-item]
    assert ack.problem is None
    assert message in top_view(world, world.requester.user_id, ids.IMPORT_MODAL).errors[block]
    assert import_posts(world) == 0 and not requests.find_requests(world.services.store)


def test_add_requires_a_service_plan(world: World) -> None:
    open_import_form(world)
    form = top_view(world, world.requester.user_id, ids.IMPORT_MODAL)
    with pytest.raises(RequiredFieldMissingError):
        world.requester.submit(form, {**FORM, SERVICE_PLAN_BLOCK: ""})


# update


def test_rename_runs_at_once_and_is_audited(world: World) -> None:
    already_imported(world, PHONE)
    world.requester.slash("/numbers", f'imported update {PHONE} --name "Front desk"', channel=OPS.id)
    ephemeral(world, world.requester.user_id, "Display name: none → `Front desk`")
    number = imported(world, PHONE)
    assert number is not None and number["displayName"] == "Front desk"
    rename = audit_actions(world, PHONE)[0]
    assert rename.action == "imported.rename" and rename.actor == world.requester.user_id
    assert not requests.find_requests(world.services.store)


def test_relinking_asks_to_unlink_first_and_unlinking_needs_approval(world: World) -> None:
    already_imported(world, PHONE, campaign="CAMP1")
    world.requester.slash("/numbers", f"imported update {PHONE} --plan plan-b", channel=OPS.id)
    refusal = ephemeral(world, world.requester.user_id, "is linked to service plan `plan-a`")
    assert f"/numbers imported update {PHONE} --unlink" in refusal.text
    assert not requests.find_requests(world.services.store)

    world.requester.slash("/numbers", f"imported update {PHONE} --unlink", channel=OPS.id)
    ephemeral(world, world.requester.user_id, "waiting for a second person")
    pending = card(world, PHONE)
    assert "*Service plan*\n`plan-a` → none" in shown(pending)
    assert "*Campaign*\n`CAMP1` → none" in shown(pending)

    approve(world, PHONE)
    number = imported(world, PHONE)
    assert number is not None
    assert number["smsConfiguration"]["servicePlanId"] == ""  # type: ignore[index]


# remove


def test_remove_confirms_then_deletes_once_approved(world: World) -> None:
    already_imported(world, PHONE)
    world.requester.slash("/numbers", f"imported remove {PHONE}", channel=OPS.id)
    confirm = top_view(world, world.requester.user_id, ids.IMPORTED_REMOVE_MODAL)
    assert "*Service plan*\n`plan-a`" in shown(confirm) and "Sinch stops handling SMS" in shown(confirm)
    world.requester.submit(confirm)
    assert imported(world, PHONE) is not None

    assert "is no longer imported" in approve(world, PHONE).text
    assert imported(world, PHONE) is None


# reconcile: after an ambiguous failure the executor reads Sinch back instead of importing again


def test_reconcile_of_an_import_reads_the_number_back(world: World) -> None:
    reconcile = reconciler(world.services, RequestKind.IMPORT)
    request = stored_request(
        world, RequestKind.IMPORT, {"phone_number": PHONE, "region_code": "US", "service_plan_id": "plan-a"}
    )
    missing = reconcile(world.services, request)
    assert missing is not None and not missing.ok

    already_imported(world, PHONE)
    posts = import_posts(world)
    outcome = reconcile(world.services, request)
    assert outcome is not None and outcome.ok and import_posts(world) == posts


def test_reconcile_of_a_removal_checks_the_number_is_gone(world: World) -> None:
    reconcile = reconciler(world.services, RequestKind.IMPORTED_REMOVE)
    already_imported(world, PHONE)
    request = stored_request(world, RequestKind.IMPORTED_REMOVE, {"phone_number": PHONE})
    still_there = reconcile(world.services, request)
    assert still_there is not None and not still_there.ok
    world.services.sinch.imported_delete(PHONE)
    gone = reconcile(world.services, request)
    assert gone is not None and gone.ok


def stored_request(world: World, kind: RequestKind, payload: dict[str, object]) -> requests.Request:
    draft = requests.RequestDraft(
        kind=kind,
        requester=world.requester.user_id,
        subject=str(payload["phone_number"]),
        payload=payload,
        summary={"title": kind},
        ttl=timedelta(hours=1),
    )
    return requests.create_request(world.services.store, draft, world.services.clock())
