from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from tests.harness import World

# In CI every run draws the same examples, so a red build is reproducible and never a coin toss; on a
# developer's machine hypothesis keeps exploring new ones (and remembers the failures it finds).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
    settings.load_profile("ci")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The real bot between the local Slack workspace and the Sinch sandbox, over loopback HTTP.

    It keeps the deprecated rent path on (`numbot_legacy_rent`): most workflows' tests rent a US LOCAL number
    to have something to work on, and renting is what they exercise. The order workflow's tests build their
    own world with the product's default (orders).
    """
    # Imported here so unit tests of one module never depend on the whole product importing.
    from tests.harness import running_world  # noqa: PLC0415

    with running_world(tmp_path, numbot_legacy_rent=True) as started:
        yield started
