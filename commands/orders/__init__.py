"""Ordering numbers that need a registration (KYC) first: the form built from Sinch's requirements, and
its answers read back into the registration Sinch expects. Not wired to any command yet."""
