"""Number Orders (KYC): `/numbers order`, "Request this number", `/numbers orders` and `order show`.

The form is built from Sinch's requirements and read back into the registration (`requirements_form`,
`registration`, `kyc_summary`, `order_form`); its submit reserves the numbers and asks for approval
(`listeners`); what runs once an approver says yes is `execute`. The orders numbot made are listed
(`listing`) and shown fresh from Sinch (`detail`) through `browse`'s subcommands.
"""

from slack_bolt import App

from bot.blockkit import ids
from commands.orders import browse, listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in (*listeners.SUBCOMMANDS, *browse.SUBCOMMANDS):
        router.add(subcommand)
    app.action(ids.REQUEST_NUMBER)(answering(listeners.request_number))
    app.view(ids.ORDER_MODAL)(answering(listeners.order_submitted))
    app.action(ids.ORDER_FIX)(answering(listeners.fix_order))
    app.action(ids.ORDER_AGAIN)(answering(listeners.start_again))
