"""`/numbers settle`: an admin records how a request stuck executing ended, when numbot cannot tell."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import approvals
from storage import audit
from storage.request_types import RequestKind, RequestState
from tests.e2e.provisioning_world import ClockedWorld, clocked_world, stuck_request, thread_reply
from tests.harness import ADMIN, answer_to, shown

NUMBER = "+12025550134"


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[ClockedWorld]:
    with clocked_world(tmp_path) as started:
        yield started


def test_an_admin_settles_a_lost_rent_any_once_it_is_stuck_and_everyone_is_told(
    clocked: ClockedWorld,
) -> None:
    world = clocked.world
    request = stuck_request(world.services, "US LOCAL", kind=RequestKind.RENT_ANY)
    found = f'done "Sinch shows {NUMBER} rented at 10:02"'

    early = shown(answer_to(world, world.admin, f"settle {request.id} {found}", "cannot be settled by hand"))
    assert "may still finish on its own: try again in 120 s" in early
    clocked.clock.advance(timedelta(minutes=3))
    answer_to(world, world.admin, f"settle {request.id.lower()} {found}", f"Request {request.id} is now done")

    assert approvals.load(world.services, request.id).state is RequestState.DONE
    reply = thread_reply(world, request, "and is done")
    assert f"<@{ADMIN.id}> as done: Sinch shows {NUMBER} rented at 10:02" in reply.text
    [entry] = [e for e in audit.query(world.services.store, actor=ADMIN.id) if e.request_id == request.id]
    assert entry.action == "request.done"
    assert "is done, as recorded by" in shown(answer_to(world, world.admin, "audit --mine", "Audit: by you"))

    answer_to(world, world.admin, f"settle {request.id} failed nothing after all", "It already ended (done)")


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("settle", "Name the request and how it ended: done or failed."),
        ("settle R-2345678 finished it worked", "“finished” is not an outcome: say done or failed."),
        ("settle R-2345678 done", "Say what you found (the requester reads it)"),
        (f"settle R-2345678 failed {'x' * 501}", "Keep what you found under 500 characters (it has 501)."),
        ("settle R-2345678 failed Sinch has no such number", "There is no request R-2345678."),
    ],
)
def test_bad_settle_input_gets_a_specific_message(clocked: ClockedWorld, command: str, answer: str) -> None:
    answer_to(clocked.world, clocked.world.admin, command, answer)


def test_only_admins_settle_and_only_what_is_executing(clocked: ClockedWorld) -> None:
    world = clocked.world
    request = stuck_request(world.services, "US LOCAL", kind=RequestKind.RENT_ANY)
    clocked.clock.advance(timedelta(minutes=3))

    refused = shown(
        answer_to(
            world, world.approver, f"settle {request.id} failed not rented", "cannot be settled by hand"
        )
    )
    assert f"Only admins can do this: ask one of <@{ADMIN.id}>." in refused
    assert approvals.load(world.services, request.id).state is RequestState.EXECUTING

    answer_to(world, world.admin, f"settle {request.id} failed Sinch never rented one", "is now failed")
    thread_reply(world, request, "but failed")
    answer_to(world, world.admin, f"settle {request.id} done it was", "It already ended (failed)")
    assert approvals.load(world.services, request.id).state is RequestState.FAILED
