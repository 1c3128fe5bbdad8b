"""An in-process stand-in for the Sinch Numbers and Imported Numbers APIs, faithful to their OpenAPI specs."""

from sandbox.sinch.config import DEFAULT_PROJECT_ID, SandboxConfig
from sandbox.sinch.faults import FaultConfig
from sandbox.sinch.request_log import RequestRecord
from sandbox.sinch.server import RunningSandbox, serve_cli, start_sandbox

__all__ = [
    "DEFAULT_PROJECT_ID",
    "FaultConfig",
    "RequestRecord",
    "RunningSandbox",
    "SandboxConfig",
    "serve_cli",
    "start_sandbox",
]
