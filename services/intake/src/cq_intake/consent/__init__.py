"""Consent per purpose: given at intake, changed one purpose at a time (GDPR Art. 7 (3))."""
