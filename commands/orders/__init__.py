"""Number Orders (KYC): ordering numbers whose registration Sinch reviews, and what runs once an approver
says yes (`execute`)."""
