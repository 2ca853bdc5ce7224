"""Who may be written to about a case: stored only from intake's RecipientsRegistered."""
