"""`numbot console`: a local Slack workspace in the terminal, driving the real bot."""

from sandbox.console.main import run_console

__all__ = ["run_console"]
