"""The one waiting list of scheduling: capacity pools and their entries (docs/decisions/0018)."""
