"""Messaging: the outbox and its relay, the inbox consumer, retries and dead letters."""
