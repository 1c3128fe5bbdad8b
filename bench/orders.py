"""6. Ordering numbers: how fast the order form opens and fills, and what a submit with big documents costs.

Form: one requester clicks "Request this number" on a GB MOBILE search result again and again while every
Sinch call takes a fixed time; each click's ack, and the time from the click to the local Slack recording the
`views.update` that replaces the Loading view with the form Sinch's requirements generate.

Submit: in a process of its own (`bench.order_submit`), so the figure is not skewed by memory earlier
benchmarks left behind: the bot's peak RSS increase while orders with 5 MB documents are submitted.
"""

from __future__ import annotations

import json
import sys
import time

from bench.results import BenchResult, Metric, latency_metrics, measured_in_own_process, percentiles_ms
from bench.world import bench_world, new_answer, shown_to
from bot.blockkit import ids
from sandbox.slack import Message, View
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import OPS, World

OPENS = 30
SINCH_LATENCY_SECONDS = 0.3
ACK_P99_TARGET_MS = 100.0
FILL_MARGIN_MS = 50.0
WAIT_SECONDS = 10.0
SUBMIT_TIMEOUT_SECONDS = 120


def run() -> BenchResult:
    acks, fills, failures = _open_forms()
    submit = _submit_in_own_process()
    return _result(acks, fills, failures, submit)


def _open_forms() -> tuple[list[float], list[float], list[str]]:
    acks: list[float] = []
    fills: list[float] = []
    failures: list[str] = []
    with bench_world() as world:
        user = world.requester
        results = answer_to(world, user, "search GB MOBILE --sms --limit 1", "Request this number")
        offer = results.buttons()[0].element["value"]
        # Only from here on: the search itself is not what is measured.
        world.sinch.faults.latency_seconds = SINCH_LATENCY_SECONDS
        for _ in range(OPENS):
            try:
                ack_seconds, fill_seconds = _open_once(world, user, results, offer)
            except (TimeoutError, RuntimeError) as error:
                failures.append(str(error))
                continue
            acks.append(ack_seconds)
            fills.append(fill_seconds)
        world.sinch.faults.latency_seconds = 0
    return acks, fills, failures


def _open_once(world: World, user: SlackUserDriver, results: Message, offer: str) -> tuple[float, float]:
    """One click: its ack time, and the time until the filled form reached Slack; the form is then closed."""
    calls_before = len(world.slack.calls)
    clicked = time.monotonic()
    ack = user.click(results, ids.REQUEST_NUMBER, value=offer)
    if not ack.ok or ack.timed_out:
        raise RuntimeError(f"click: HTTP {ack.status}, timed out {ack.timed_out}")
    filled = world.slack.wait_for(
        lambda slack: next(
            (
                call
                for call in slack.calls[calls_before:]
                if call.method == "views.update" and call.ok and _is_filled_form(call.args)
            ),
            None,
        ),
        timeout=WAIT_SECONDS,
    )
    user.close(order_form(world, user))
    return ack.elapsed, filled.at - clicked


def _is_filled_form(args: dict[str, object]) -> bool:
    view = args.get("view")
    shape = json.loads(view) if isinstance(view, str) else view
    # The Loading view has no submit button; the form has one.
    return isinstance(shape, dict) and shape.get("callback_id") == ids.ORDER_MODAL and "submit" in shape


def answer_to(world: World, user: SlackUserDriver, command: str, marker: str) -> Message:
    """`user` types `/numbers <command>` in #ops; their newest ephemeral showing `marker`."""
    seen = shown_to(world, user)
    ack = user.slash("/numbers", command, channel=OPS.id)
    if not ack.ok:
        raise RuntimeError(f"/numbers {command}: HTTP {ack.status}")
    return new_answer(world, user, seen, marker, WAIT_SECONDS)


def order_form(world: World, user: SlackUserDriver) -> View:
    """The user's open order form (or its Loading view)."""
    return world.slack.wait_for(
        lambda slack: next(
            (view for view in slack.views(user.user_id) if view.callback_id == ids.ORDER_MODAL), None
        ),
        timeout=WAIT_SECONDS,
    )


def _submit_in_own_process() -> dict[str, object]:
    return measured_in_own_process([sys.executable, "-m", "bench.order_submit"], SUBMIT_TIMEOUT_SECONDS)


def _result(
    acks: list[float], fills: list[float], failures: list[str], submit: dict[str, object]
) -> BenchResult:
    metrics: list[Metric] = [Metric("forms opened", len(acks), target=f"{OPENS}", met=len(acks) == OPENS)]
    notes = [
        f"form: {OPENS} clicks on one GB MOBILE result, each form closed again; Sinch answers after "
        f"{SINCH_LATENCY_SECONDS * 1000:g} ms (the fill waits for lookupNumberRequirements)"
    ]
    if acks:
        fill_target_ms = SINCH_LATENCY_SECONDS * 1000 + FILL_MARGIN_MS
        worst_fill = percentiles_ms(fills)
        metrics += latency_metrics("click ack", acks, p99_target_ms=ACK_P99_TARGET_MS)
        metrics += [
            Metric("click → filled form p50", worst_fill.p50, "ms"),
            Metric(
                "click → filled form p99",
                worst_fill.p99,
                "ms",
                f"< {fill_target_ms:g} ms",
                worst_fill.p99 < fill_target_ms,
            ),
        ]
    metrics += _submit_metrics(submit)
    notes.append(str(submit["note"]))
    return BenchResult("6. orders", metrics, notes + failures[:5])


def _submit_metrics(submit: dict[str, object]) -> list[Metric]:
    rss_increase = float(str(submit["rss_increase_mb"]))
    slowest_ack = float(str(submit["slowest_ack_s"]))
    sent = int(str(submit["orders_sent"]))
    wanted = int(str(submit["orders_wanted"]))
    return [
        Metric("orders sent with 5 MB documents", sent, target=f"{wanted}", met=sent == wanted),
        Metric("peak RSS increase during the submits", rss_increase, "MB", "< 30 MB", rss_increase < 30),
        Metric("slowest submit ack", slowest_ack * 1000, "ms", "< 3000 ms", slowest_ack < 3.0),
    ]
