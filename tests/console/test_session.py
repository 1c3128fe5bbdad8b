"""The console over the real bot and the local workspace: what a user types and what they see."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot import approvals
from bot.approvals import CardSummary, Executor, Outcome, SettledByHand
from bot.blockkit.blocks import SANDBOX_NOTE
from bot.services import Services
from sandbox.console.commands import ConsoleError
from sandbox.console.main import run_script
from sandbox.console.workspace import APPROVALS, REQUESTER
from storage.request_types import RequestKind
from storage.requests import Request, RequestDraft
from tests.console.conftest import ConsoleUnderTest
from tests.harness import run_after_approval


def submit_test_request(services: Services) -> Request:
    """A request of a kind whose execution only says it ran, posted like any workflow posts one."""
    run_after_approval(
        services,
        RequestKind.RENT,
        Executor(
            describe="say it ran",
            execute=lambda _services, _request: Outcome(True, "It ran."),
            reconcile=SettledByHand("a test kind"),
        ),
    )
    draft = RequestDraft(
        kind=RequestKind.RENT,
        requester=REQUESTER.id,
        subject="+12065550100",
        payload={},
        summary=CardSummary(title="Rent +12065550100", fields=[("Number", "+12065550100")]).to_json(),
        ttl=timedelta(hours=1),
        setup_cost=Decimal("1.00"),
        monthly_cost=Decimal("2.50"),
        currency="USD",
    )
    return approvals.submit(services, draft)


def test_the_bots_reply_is_rendered_as_text_with_its_sandbox_note(console: ConsoleUnderTest) -> None:
    shown = console.type("/numbers help")

    assert "#ops · numbot · only visible to you" in shown
    assert "numbot commands" in shown and "/numbers search" in shown and "`" not in shown
    assert "SANDBOX: Sinch is simulated" in shown and SANDBOX_NOTE not in shown  # mrkdwn marks are gone


def test_a_card_appears_by_itself_and_an_approver_approves_it_by_its_number(
    console: ConsoleUnderTest,
) -> None:
    request = submit_test_request(console.live.world.runtime.services)

    console.transcript.wait_for(f"● new in #approvals: {request.id}")
    console.type("/as approver")
    card = console.type("/channel approvals")
    assert "Rent +12065550100" in card and "Monthly: 2.50 USD" in card
    assert "[1] [Approve]  [2] [Reject]  [3] [Cancel request]" in card

    decided = console.type("/click 1")

    assert "#approvals · numbot · edited" in decided and "Approved by @alex and done." in decided
    assert "It ran." in decided
    assert f"reply in thread “{request.id}" in decided and "@rita your request" in decided


def test_a_button_gone_since_it_was_shown_is_named_in_words_not_ids(console: ConsoleUnderTest) -> None:
    submit_test_request(console.live.world.runtime.services)
    console.transcript.wait_for("● new in #approvals")
    console.type("/as approver")
    console.type("/channel approvals")
    console.type("/click 1")

    with pytest.raises(ConsoleError) as refused:
        console.type("/click 1")

    assert "There is no “Approve” button on that message any more" in str(refused.value)
    assert "approval.approve" not in str(refused.value)


def test_a_required_field_left_empty_is_named_with_its_form(console: ConsoleUnderTest) -> None:
    console.type("/numbers search")

    with pytest.raises(ConsoleError) as refused:
        console.type("/submit")

    assert str(refused.value).startswith("“Region” is required in the form “Search numbers”")
    assert " view V" not in str(refused.value)


def test_the_newest_button_with_a_text_is_clicked_and_the_bot_refusal_is_shown(
    console: ConsoleUnderTest,
) -> None:
    submit_test_request(console.live.world.runtime.services)
    console.transcript.wait_for("● new in #approvals")
    console.type("/channel approvals")

    refused = console.type("/click approve")

    assert "only visible to you" in refused and "You requested this yourself" in refused


def test_a_modal_is_a_form_and_its_validation_errors_show_next_to_the_field(
    console: ConsoleUnderTest,
) -> None:
    console.type("/numbers search US LOCAL --sms --limit 1")
    form = console.type("/click Request this number")
    assert "modal “Order numbers” for rita" in form
    assert "▸ 10DLC campaign ID  key: number_sms_campaign, optional" in form

    errors = console.type('/submit "10DLC campaign ID=CAMP1"')

    assert "modal “Order numbers” for rita · updated" in errors
    assert "✗ A campaign needs a service plan: fill in the SMS service plan ID too." in errors
    assert "closed" in console.type("/close")


def test_expect_and_capture_wait_for_new_output_and_fail_clearly(console: ConsoleUnderTest) -> None:
    console.type("/numbers search US LOCAL --sms --limit 1")
    captured = console.type(r"/capture number \+1(\d{10})")
    number = console.live.session.variables["number"]
    assert len(number) == 10 and f"✓ $number = {number}" in captured

    assert "✓ seen: US LOCAL" in console.type("/expect US LOCAL")
    with pytest.raises(ConsoleError, match="expected “no such text” within 1 s"):
        console.type("/expect no such text")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/click 42", r"there is no action \[42\] on screen"),
        ("/click Approve", "no button “Approve” visible to rita in #ops"),
        ("/submit reason=x", "rita has no modal open"),
        ("/as bob", "nobody called 'bob' here; choose one of rita \\(requester\\)"),
        ("/channel random", "no channel #random; channels: #ops, #approvals, #numbers-alerts"),
    ],
)
def test_what_is_not_there_is_explained(console: ConsoleUnderTest, line: str, message: str) -> None:
    with pytest.raises(ConsoleError, match=message):
        console.type(line)


def test_a_script_stops_at_the_first_failing_line(console: ConsoleUnderTest) -> None:
    script = ["# a short script", "/numbers help", "/expect numbot commands", "/expect a miracle", "/look"]

    assert run_script(console.live.session, script) == 1

    shown = console.transcript.getvalue()
    assert "# a short script" in shown and "rita in #ops> /numbers help" in shown
    assert "✗ line 4: expected “a miracle” within 1 s" in shown
    assert "/look" not in shown


def test_switching_people_and_channels_shows_where_you_are(console: ConsoleUnderTest) -> None:
    submit_test_request(console.live.world.runtime.services)
    console.transcript.wait_for("● new in #approvals")

    assert "You are alex (approver)." in console.type("/as alex")
    shown = console.type("/channel #approvals")

    assert "#approvals: the latest message" in shown and "[Approve]" in shown
    assert console.live.session.prompt == f"alex in #{APPROVALS.name}> "


def test_the_console_waits_for_an_answer_still_on_its_way_before_the_next_line(
    console: ConsoleUnderTest,
) -> None:
    # Sinch answers slower than the console's quiet period: the bot is busy in a listener with nothing
    # queued yet, and the next line must still see the answer.
    sandbox = console.live.world.runtime.sandbox
    assert sandbox is not None
    sandbox.faults.latency_seconds = 1.0

    console.type("/numbers search US LOCAL --sms --limit 1")

    assert "modal “Order numbers” for rita" in console.type("/click Request this number")
