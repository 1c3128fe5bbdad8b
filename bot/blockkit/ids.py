"""The ids Slack routes by: the slash command, every action_id and every modal callback_id.

A typo in one of these and a listener that never fires is the classic chat-ops bug, so the workflows'
`register` functions and their view builders both import them from here. Block ids of inputs belong to the
form that reads them and live beside it.
"""

from typing import Final

# Slash command
COMMAND: Final = "/numbers"

# Buttons and selects (action_id)
REQUEST_NUMBER: Final = "numbers.request"  # "Request this number" under a search result
APPROVE: Final = "approval.approve"
REJECT: Final = "approval.reject"
CANCEL: Final = "approval.cancel"
MORE_ACTIVE: Final = "active.more"  # next page of `list`
E911_EDIT: Final = "e911.edit"
ORDER_FIX: Final = "orders.fix"  # "Fix and resubmit" under a blocked order's report
HOME_REFRESH: Final = "home.refresh"  # "Refresh" on the Home tab: read the inventory from Sinch again
ORDER_AGAIN: Final = "orders.again"  # "Start again" / "Start a new order" after an expiry or a rejection

# Modals (callback_id)
SEARCH_MODAL: Final = "search.modal"
RENT_MODAL: Final = "rent.modal"
ORDER_MODAL: Final = "orders.form"
REJECT_MODAL: Final = "approval.reject_reason"
UPDATE_MODAL: Final = "active.update"
RELEASE_MODAL: Final = "release.modal"
IMPORT_MODAL: Final = "imported.add"
IMPORTED_REMOVE_MODAL: Final = "imported.remove"
E911_MODAL: Final = "e911.set"
E911_RESULT_MODAL: Final = "e911.result"
E911_REMOVE_MODAL: Final = "e911.remove"
LOADING_MODAL: Final = "loading"
