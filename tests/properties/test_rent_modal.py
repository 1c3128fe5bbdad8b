"""Whatever a user types into the request modal, the submission is acked in time and either names what to
fix (and stores nothing) or files one request, which only an approver can turn into a rent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blockkit import ids
from commands.shared.number_forms import (
    CAMPAIGN_BLOCK,
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    VOICE_ID_BLOCK,
    VOICE_TYPE_BLOCK,
)
from sandbox.slack import View
from tests.faults.flows import sms_number_for_sale
from tests.harness import OPS, REQUESTER, World, shown
from tests.properties.state import snapshot

# Slack's inputs hold any text up to their max_length; ids with spaces or stray characters are fair game.
typed = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
form_values = st.fixed_dictionaries(
    {},
    optional={
        DISPLAY_NAME_BLOCK: typed,
        SERVICE_PLAN_BLOCK: typed | st.sampled_from(["plan-1", "a b"]),
        CAMPAIGN_BLOCK: typed | st.just("CAMP1"),
        VOICE_TYPE_BLOCK: st.sampled_from(["RTC", "EST", "FAX"]),
        VOICE_ID_BLOCK: typed | st.just("app-1"),
    },
)


def open_form(world: World, phone_number: str) -> View:
    opened = {view.id for view in world.slack.views(REQUESTER.id)}
    ack = world.requester.slash("/numbers", f"rent {phone_number}", channel=OPS.id)
    assert ack.ok, ack
    return world.wait_for(
        lambda slack: next(
            (
                view
                for view in slack.views(REQUESTER.id)
                if view.callback_id == ids.RENT_MODAL and view.id not in opened
            ),
            None,
        )
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=form_values)
def test_any_modal_input_is_refused_with_reasons_or_filed_once(
    shared_world: World, values: dict[str, str]
) -> None:
    world = shared_world
    form = open_form(world, sms_number_for_sale(world.sinch))
    before = snapshot(world)
    answered = len(world.slack.ephemerals(REQUESTER.id))

    ack = world.requester.submit(form, values)

    assert ack.ok and ack.elapsed < 3.0 and ack.problem is None, ack
    if isinstance(ack.body, dict) and ack.body.get("response_action") == "errors":
        errors: dict[str, str] = ack.body["errors"]
        assert errors and all(message.strip() for message in errors.values())
        assert set(errors) <= {block["block_id"] for block in form.input_blocks()}
        assert snapshot(world) == before
        return
    [told] = world.wait_for(lambda slack: slack.ephemerals(REQUESTER.id)[answered:])
    filed = "is waiting for a second person" in shown(told)
    after = snapshot(world)
    assert after.requests == before.requests + (1 if filed else 0), shown(told)
    assert after.sinch_changes == before.sinch_changes  # nothing is rented before an approval
