"""Sealing personal data with a per-case key, so erasing the key erases every copy.

Events are kept in Kafka for days and copied into DLQs; they cannot be edited. What an event
must carry about a person is therefore sealed with the case's own key (AES-256-GCM, a fresh
96-bit nonce per seal, the case id as associated data so a sealed value cannot be moved to
another case). Erasure destroys the key (docs/decisions/0012): the sealed copies stay where
they are and can no longer be read.
"""

import base64
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = "v1"


class SealError(ValueError):
    """A sealed value that this key does not open (wrong key or case, or tampered)."""


def new_case_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, case_id: uuid.UUID, plaintext: bytes) -> str:
    """`v1.<base64url(nonce + ciphertext)>`: text, so it fits a JSON event."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, case_id.bytes)
    return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def open_sealed(key: bytes, case_id: uuid.UUID, token: str) -> bytes:
    version, _, body = token.partition(".")
    if version != VERSION or not body:
        raise SealError("not a sealed value of a known version")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], case_id.bytes)
    except (InvalidTag, ValueError) as error:
        raise SealError("the sealed value does not open with this key") from error
