"""Per-case keys for personal data that must travel in events (crypto-shredding)."""

from cq_shared.crypto.sealing import SealError, new_case_key, open_sealed, seal

__all__ = ["SealError", "new_case_key", "open_sealed", "seal"]
