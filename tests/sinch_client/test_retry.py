"""Retry rules: what is retried, how long we wait, and when we give up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.sinch import InvalidArgument, NotFound, RateLimited, RetryPolicy, SinchError, Transport, Upstream
from bot.sinch.retry import call_with_retries, retry_delay, should_retry

NOT_SENT = Transport("refused", may_have_reached_server=False)
MAYBE_SENT = Transport("read timeout", may_have_reached_server=True)


@pytest.mark.parametrize(
    ("error", "idempotent", "expected"),
    [
        (RateLimited("slow down"), True, True),
        (Upstream("502"), True, True),
        (MAYBE_SENT, True, True),
        (NOT_SENT, True, True),
        (InvalidArgument("bad"), True, False),
        (NotFound("gone"), True, False),
        (NOT_SENT, False, True),
        (MAYBE_SENT, False, False),
        (RateLimited("slow down"), False, False),
        (Upstream("502"), False, False),
    ],
)
def test_should_retry(error: SinchError, idempotent: bool, expected: bool) -> None:
    assert should_retry(error, idempotent=idempotent) is expected


def test_backoff_doubles_with_equal_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=0.2, max_delay=1.0)

    assert [policy.backoff(n, jitter=0.0) for n in (1, 2, 3, 4, 5)] == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert [policy.backoff(n, jitter=0.999999) for n in (1, 2, 3)] == pytest.approx([0.2, 0.4, 0.8])


def test_retry_after_from_sinch_wins_over_backoff() -> None:
    policy = RetryPolicy(base_delay=0.2)

    assert retry_delay(policy, 1, RateLimited("x", retry_after=3.0), jitter=0.5) == 3.0
    assert retry_delay(policy, 1, RateLimited("x"), jitter=0.5) == pytest.approx(0.15)


def test_attempts_must_allow_at_least_one_try() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy(attempts=0)


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def failing(errors: list[SinchError], result: str = "ok") -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def call() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return calls, call


def run(call: Callable[[], str], policy: RetryPolicy, *, idempotent: bool, time: FakeTime) -> str:
    return call_with_retries(
        call, policy=policy, idempotent=idempotent, sleep=time.sleep, clock=time.clock, jitter=lambda: 0.0
    )


def test_transient_failures_are_retried_until_success() -> None:
    time = FakeTime()
    calls, call = failing([Upstream("1"), RateLimited("2", retry_after=1.5), MAYBE_SENT])

    assert run(call, RetryPolicy(attempts=4, base_delay=0.2), idempotent=True, time=time) == "ok"
    assert len(calls) == 4
    assert time.sleeps == [0.1, 1.5, 0.4]


def test_gives_up_after_the_last_attempt_with_the_last_error() -> None:
    time = FakeTime()
    last = Upstream("third")
    calls, call = failing([Upstream("1"), Upstream("2"), last, Upstream("never")])

    with pytest.raises(Upstream) as caught:
        run(call, RetryPolicy(attempts=3), idempotent=True, time=time)

    assert caught.value is last
    assert len(calls) == 3


def test_gives_up_rather_than_wait_past_the_time_budget() -> None:
    time = FakeTime()
    calls, call = failing([RateLimited("x", retry_after=60.0)])

    with pytest.raises(RateLimited):
        run(call, RetryPolicy(max_elapsed=30.0), idempotent=True, time=time)

    assert len(calls) == 1
    assert time.sleeps == []


def test_non_idempotent_call_is_retried_only_when_nothing_was_sent() -> None:
    time = FakeTime()
    calls, call = failing([NOT_SENT, MAYBE_SENT])

    with pytest.raises(Transport) as caught:
        run(call, RetryPolicy(), idempotent=False, time=time)

    assert caught.value is MAYBE_SENT
    assert len(calls) == 2
