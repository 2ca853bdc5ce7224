"""Erasure: a client's personal data erased here and, by event, in every service; the
receipts gathered (see docs/decisions/0012)."""
