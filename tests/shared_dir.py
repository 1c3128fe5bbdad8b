"""Where the team's shared material lives: the official Sinch and Slack specs, and public test vectors.

`NUMBOT_SPECS_DIR` names the specs folder (by default `shared/specs` beside the clone, where CI lays it); the
test vectors are in `fixtures/` beside it. A clone of numbot alone has neither: the tests that need them
skip with one line saying what is missing, except in CI (`CI=true`), where absence fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT_SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"


def spec_file(name: str) -> Path:
    """An official spec (e.g. `sinch-numbers-api-openapi.yaml`); skips the test when it is absent."""
    return _shared_file(_specs_dir() / name)


def fixture_file(name: str) -> Path:
    """A public test vector (e.g. `sinch-signature-vectors.json`); skips the test when it is absent."""
    return _shared_file(_specs_dir().parent / "fixtures" / name)


def _specs_dir() -> Path:
    return Path(os.environ.get("NUMBOT_SPECS_DIR") or _DEFAULT_SPECS)


def _shared_file(path: Path) -> Path:
    if path.is_file():
        return path
    # One sentence for every missing file, so pytest reports all these skips on one line.
    message = (
        f"official specs not found in {_specs_dir()}: set NUMBOT_SPECS_DIR to the specs/ folder of numbot's "
        "shared material (its fixtures/ beside it)"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{path.name} is missing, and CI must check it: {message}", pytrace=False)
    pytest.skip(message)
