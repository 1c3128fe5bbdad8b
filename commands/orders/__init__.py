"""Number Orders (KYC): `/numbers order` and "Request this number". The form is built from Sinch's
requirements and read back into the registration (`requirements_form`, `registration`, `kyc_summary`,
`order_form`); its submit reserves the numbers and asks for approval (`listeners`), and what runs once an
approver says yes is `execute`."""

from slack_bolt import App

from bot.blockkit import ids
from commands.orders import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.action(ids.REQUEST_NUMBER)(answering(listeners.request_number))
    app.view(ids.ORDER_MODAL)(answering(listeners.order_submitted))
