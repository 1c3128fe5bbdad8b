from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.harness import World

CALLBACK_SECRET = "property-suite-callback-secret-0123456789"


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One running bot per module: hypothesis runs many examples, and each asserts on what it changed."""
    from tests.harness import running_world  # noqa: PLC0415 - as in tests/conftest.py

    with running_world(
        tmp_path_factory.mktemp("world"), sinch_callback_secret=CALLBACK_SECRET, numbot_legacy_rent=True
    ) as world:
        yield world
