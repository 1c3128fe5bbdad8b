"""Number Orders (KYC): ordering numbers whose registration Sinch reviews. The form is built from Sinch's
requirements and read back into the registration (`requirements_form`, `registration`, `kyc_summary`), and
what runs once an approver says yes is `execute`. The orders numbot made are listed (`listing`) and shown
fresh from Sinch (`detail`) through `browse`'s subcommands."""

from slack_bolt import App

from commands.orders import browse
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in browse.SUBCOMMANDS:
        router.add(subcommand)
