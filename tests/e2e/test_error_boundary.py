"""One error boundary: every listener the app registers answers a failure with a message, never a timeout.

What the boundary says is checked where it matters, e.g. a requester approving their own request
(tests/e2e/test_rent.py) and a Sinch failure inside a modal (tests/e2e/test_modal_refusals.py)."""

from sandbox.world import World


def test_every_listener_of_the_app_is_registered_through_the_error_boundary(world: World) -> None:
    listeners = world.runtime.app._listeners
    assert listeners
    unguarded = [
        listener.ack_function.__name__
        for listener in listeners
        if not getattr(listener.ack_function, "answers_errors", False)
    ]
    assert unguarded == []
