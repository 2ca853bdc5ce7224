"""Sealing with a per-case key: what seals opens with that key and case only, and nothing
tampered with opens at all."""

import base64
import uuid

import pytest

from cq_shared.crypto import SealError, new_case_key, open_sealed, seal

PLAIN = b'[{"given_name": "Sabine", "email": "sabine@example.org"}]'


def test_a_sealed_value_opens_with_its_key_and_case() -> None:
    key, case_id = new_case_key(), uuid.uuid4()
    sealed = seal(key, case_id, PLAIN)
    assert sealed.startswith("v1.")
    assert b"Sabine" not in sealed.encode()
    assert "Sabine" not in base64.urlsafe_b64decode(sealed[3:]).decode("latin-1")
    assert open_sealed(key, case_id, sealed) == PLAIN


def test_another_case_or_key_does_not_open_it() -> None:
    key, case_id = new_case_key(), uuid.uuid4()
    sealed = seal(key, case_id, PLAIN)
    with pytest.raises(SealError):
        open_sealed(key, uuid.uuid4(), sealed)
    with pytest.raises(SealError):
        open_sealed(new_case_key(), case_id, sealed)
    assert issubclass(SealError, ValueError)


@pytest.mark.parametrize("position", [0, 5, 12, 20, -1])
def test_a_tampered_value_does_not_open(position: int) -> None:
    key, case_id = new_case_key(), uuid.uuid4()
    raw = bytearray(base64.urlsafe_b64decode(seal(key, case_id, PLAIN)[3:]))
    raw[position] ^= 0x01  # a bit of the nonce, the ciphertext or the tag
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(SealError):
        open_sealed(key, case_id, tampered)


@pytest.mark.parametrize(
    "token", ["", "v1.", "v2.AAAA", "no-version", "v1.!!!not base64!!!", "v1.AAAA"]
)
def test_what_is_not_a_sealed_value_does_not_open(token: str) -> None:
    with pytest.raises(SealError):
        open_sealed(new_case_key(), uuid.uuid4(), token)


def test_each_seal_has_a_fresh_nonce() -> None:
    key, case_id = new_case_key(), uuid.uuid4()
    first, second = seal(key, case_id, PLAIN), seal(key, case_id, PLAIN)
    assert first != second
    nonce = slice(0, 12)
    assert base64.urlsafe_b64decode(first[3:])[nonce] != base64.urlsafe_b64decode(second[3:])[nonce]
    assert open_sealed(key, case_id, first) == open_sealed(key, case_id, second) == PLAIN
