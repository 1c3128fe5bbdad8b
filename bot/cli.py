"""`numbot run | serve | console | sandbox | doctor`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.doctor import doctor
from bot.readiness import database_unavailable
from bot.runtime import serve
from sandbox.console import run_console
from sandbox.sinch.config import DEFAULT_PROJECT_ID
from sandbox.sinch.server import serve_cli
from sandbox.sinch.team import INVENTORY_MAX
from storage import StoreUnavailableError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="numbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="serve Slack if SLACK_BOT_TOKEN is set, else open the local console")
    serve = commands.add_parser("serve", help="run the bot in a Slack workspace (Socket Mode or HTTP)")
    serve.add_argument("--sandbox", action="store_true", help="use the embedded Sinch sandbox")
    _inventory_option(serve)
    console = commands.add_parser(
        "console", help="a local Slack workspace in the terminal, driving the real bot"
    )
    console.add_argument(
        "--script", help="run the commands in this file (or - for stdin) and print the transcript"
    )
    _inventory_option(console)
    sandbox = commands.add_parser("sandbox", help="serve the Sinch sandbox (Numbers, Imported, OAuth)")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--seed", type=int, default=1)
    sandbox.add_argument(
        "--project", default=DEFAULT_PROJECT_ID, help="the project --inventory fills (default: %(default)s)"
    )
    _inventory_option(sandbox)
    commands.add_parser("doctor", help="check the configuration and show pending work")
    args = parser.parse_args(argv)

    if args.command == "sandbox":
        serve_cli(args.host, args.port, args.seed, inventory=args.inventory, project_id=args.project)
        return 0
    try:
        settings = load_settings(**({"numbot_sandbox": True} if getattr(args, "sandbox", False) else {}))
    except ConfigError as exc:
        print(f"numbot: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.numbot_log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    command = args.command
    if command == "run":
        command = "serve" if settings.has_slack else "console"
    try:
        return _run(command, settings, args)
    except ConfigError as exc:
        print(f"numbot: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailableError as exc:
        print(f"numbot: {database_unavailable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _run(command: str, settings: Settings, args: argparse.Namespace) -> int:
    inventory = getattr(args, "inventory", 0)
    if command == "serve":
        serve(settings, sandbox_inventory=inventory)
        return 0
    if command == "console":
        return run_console(settings, script=getattr(args, "script", None), inventory=inventory)
    return doctor(settings)


def _inventory_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inventory",
        type=inventory_size,
        default=0,
        metavar="N",
        help="start the Sinch sandbox with N active numbers spread like a real team's (regions, types, "
        "prices, idle and failed numbers, E911 gaps) and a handful of imported ones",
    )


def inventory_size(text: str) -> int:
    """`--inventory N`: a whole number from 0 to INVENTORY_MAX, or argparse's error naming the problem."""
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of phone numbers; give a whole number from 0 to {INVENTORY_MAX}"
        ) from None
    if not 0 <= size <= INVENTORY_MAX:
        raise argparse.ArgumentTypeError(
            f"{size} is out of range; give a whole number from 0 to {INVENTORY_MAX}"
        )
    return size


if __name__ == "__main__":
    sys.exit(main())
