"""`/numbers list`, `show` and `update`, end to end: local Slack → bot → Sinch sandbox over loopback HTTP."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sandbox.slack import Message, View
from tests.harness import OPS, PROJECT_ID, World, visible_text


def shown(message: Message | View) -> str:
    return (message.text if isinstance(message, Message) else "") + "\n" + visible_text(message.blocks)


def reply(world: World, user_id: str, containing: str, *, after: int = 0) -> Message:
    """The first ephemeral to `user_id`, past the first `after`, whose visible text contains `containing`."""
    return world.wait_for(
        lambda slack: next(
            (message for message in slack.ephemerals(user_id)[after:] if containing in shown(message)), None
        )
    )


def seed(world: World, count: int, region: str = "US", number_type: str = "LOCAL", **links: str) -> list[str]:
    return world.sinch.state.seed_active_numbers(count, region, number_type, project_id=PROJECT_ID, **links)


def sinch_number(world: World, phone_number: str) -> dict[str, Any]:
    number = world.sinch.state.active_number(phone_number, PROJECT_ID)
    assert number is not None
    return number


# list


def test_list_summarises_every_page_and_more_shows_the_next_numbers(world: World) -> None:
    us = seed(world, 120)
    gb = seed(world, 5, "GB", "MOBILE")
    capabilities = Counter(
        capability for number in us + gb for capability in sinch_number(world, number)["capability"]
    )

    world.requester.slash("/numbers", "list", channel=OPS.id)

    first = reply(world, world.requester.user_id, "Active numbers")
    text = shown(first)
    assert "*Total*\n125" in text
    assert "US 120, GB 5" in text
    assert "LOCAL 120, MOBILE 5" in text
    assert f"SMS {capabilities['SMS']}" in text and f"VOICE {capabilities['VOICE']}" in text
    assert "Showing 1-20 of 125" in text
    ordered = sorted(us + gb)
    assert all(number in text for number in ordered[:20]) and ordered[20] not in text
    assert len(first.blocks) <= 50

    world.requester.click(first, "active.more")

    second = world.wait_for(
        lambda slack: next(
            (m for m in slack.ephemerals(world.requester.user_id) if "Showing 21-40 of 125" in shown(m)), None
        )
    )
    assert ordered[20] in shown(second) and ordered[40] not in shown(second)
    assert ordered[0] not in shown(second)  # the next page replaced the first, it did not repeat it


def test_list_filters_by_region_type_capability_and_digits(world: World) -> None:
    us = seed(world, 30)
    seed(world, 4, "GB", "MOBILE")
    sms_only = [n for n in us if sinch_number(world, n)["capability"] == ["SMS"]]
    voice_capable = [n for n in us if "VOICE" in sinch_number(world, n)["capability"]]

    world.requester.slash("/numbers", "list gb mobile", channel=OPS.id)
    gb_list = reply(world, world.requester.user_id, "Active numbers: GB MOBILE")
    assert "*Total*\n4" in shown(gb_list)

    world.requester.slash("/numbers", "list US --voice", channel=OPS.id)
    voice_list = reply(world, world.requester.user_id, "Active numbers: US VOICE")
    assert f"*Total*\n{len(voice_capable)}" in shown(voice_list)
    assert not any(number in shown(voice_list) for number in sms_only)

    prefix = us[0][:5]
    expected = [n for n in us if n.startswith(prefix)]
    world.requester.slash("/numbers", f"list {prefix}", channel=OPS.id)
    by_prefix = reply(world, world.requester.user_id, f"starting {prefix}")
    assert f"*Total*\n{len(expected)}" in shown(by_prefix)

    world.requester.slash("/numbers", "list SE TOLL_FREE", channel=OPS.id)
    reply(world, world.requester.user_id, "No active numbers match SE TOLL_FREE.")


def test_list_refuses_words_it_cannot_read(world: World) -> None:
    world.requester.slash("/numbers", "list US GB", channel=OPS.id)
    reply(world, world.requester.user_id, "Give one region at most (got `US` and `GB`).")

    world.requester.slash("/numbers", "list locl", channel=OPS.id)
    refusal = reply(world, world.requester.user_id, "`locl` is not a region code")
    assert "Did you mean `local`?" in shown(refusal)

    world.requester.slash("/numbers", "list --fax", channel=OPS.id)
    reply(world, world.requester.user_id, "Unknown option `--fax`.")
    assert not any(request.path.endswith("/activeNumbers") for request in world.sinch.requests)
