"""The bench-only environment holding the official `sinch` SDK, so numbot's own .venv never depends on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SDK_VENV = REPO / ".venv-bench"
SDK_PACKAGE = "sinch"


class SdkUnavailableError(RuntimeError):
    """The SDK could not be installed; the message says what failed."""


def sdk_python() -> Path:
    """The interpreter of .venv-bench, created and given the `sinch` package on first use."""
    python = SDK_VENV / "bin" / "python"
    if python.exists() and _has_sdk(python):
        return python
    print(f"installing the official `{SDK_PACKAGE}` SDK into {SDK_VENV.name}/ (benchmarks only)…", flush=True)
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(SDK_VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", SDK_PACKAGE], check=True, capture_output=True
        )
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
        raise SdkUnavailableError(
            f"could not install `{SDK_PACKAGE}`: {' '.join(detail) or error}"
        ) from error
    return python


def _has_sdk(python: Path) -> bool:
    found = subprocess.run([str(python), "-c", f"import {SDK_PACKAGE}"], capture_output=True, check=False)
    return found.returncode == 0
