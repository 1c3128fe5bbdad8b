"""Number Orders (KYC): ordering numbers whose registration Sinch reviews. The form is built from Sinch's
requirements and read back into the registration (`requirements_form`, `registration`, `kyc_summary`), and
what runs once an approver says yes is `execute`. No command is wired to it yet."""
