from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import World, running_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The real bot between the local Slack workspace and the Sinch sandbox, over loopback HTTP."""
    with running_world(tmp_path) as started:
        yield started
