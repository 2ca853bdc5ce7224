"""The access trail for health data (GDPR Art. 9): who did what to which case, when."""
