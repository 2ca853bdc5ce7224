"""AuthSettings and key resolution: the dev-key fallback, and deny by default."""

import logging
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError

from cq_devstack.token import mint_token
from cq_shared.auth import AuthSettings, NoVerificationKeyError, TokenVerifier
from cq_shared.auth.keys import KeyConfigurationError, resolve_public_key

REPO_ROOT = next(p for p in Path(__file__).resolve().parents if (p / "deploy").is_dir())
REPO_DEV_PUBLIC_KEY = REPO_ROOT / "deploy" / "dev-keys" / "dev-signing-key.pub.pem"


def _public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_defaults() -> None:
    settings = AuthSettings()
    assert settings.issuer == "carequartier-dev"
    assert settings.audience == "carequartier"
    assert settings.algorithms == ["ES256", "RS256"]
    assert settings.leeway_seconds == 30
    assert (settings.public_key_pem, settings.public_key_file, settings.jwks_url) == (None,) * 3


def test_falls_back_to_committed_dev_key(caplog: pytest.LogCaptureFixture) -> None:
    settings = AuthSettings()
    assert settings.dev_public_key_path() == REPO_DEV_PUBLIC_KEY
    with caplog.at_level(logging.WARNING):
        verifier = TokenVerifier.from_settings(settings)
    verifier.verify(mint_token("coordinator", "muenster"))  # NoVerificationKeyError without a key
    assert "DEVELOPMENT key" in caplog.text


def test_dev_key_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = mint_token("coordinator", "muenster")  # signed with the repository's dev key
    shutil.copy(REPO_DEV_PUBLIC_KEY, tmp_path / REPO_DEV_PUBLIC_KEY.name)
    monkeypatch.setenv("CQ_AUTH_DEV_KEY_DIR", str(tmp_path))
    settings = AuthSettings()
    assert settings.dev_public_key_path() == tmp_path / REPO_DEV_PUBLIC_KEY.name
    TokenVerifier.from_settings(settings).verify(token)


def test_no_key_found_denies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An explicit but empty directory must not fall through to the repository's key.
    monkeypatch.setenv("CQ_AUTH_DEV_KEY_DIR", str(tmp_path))
    settings = AuthSettings()
    assert settings.dev_public_key_path() is None
    verifier = TokenVerifier.from_settings(settings)
    with pytest.raises(NoVerificationKeyError):
        verifier.verify("anything")


def test_dev_key_switched_off_denies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQ_AUTH_ALLOW_DEV_KEY", "false")
    assert resolve_public_key(AuthSettings()) is None


def test_dev_key_never_trusted_for_a_real_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQ_AUTH_ISSUER", "https://id.drk.example")
    assert resolve_public_key(AuthSettings()) is None


def test_public_key_pem_from_environment(
    monkeypatch: pytest.MonkeyPatch, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    monkeypatch.setenv("CQ_AUTH_PUBLIC_KEY_PEM", _public_pem(signing_key))
    key = resolve_public_key(AuthSettings())
    assert key == signing_key.public_key()


def test_public_key_file(tmp_path: Path, signing_key: ec.EllipticCurvePrivateKey) -> None:
    path = tmp_path / "signing.pub.pem"
    path.write_text(_public_pem(signing_key))
    assert resolve_public_key(AuthSettings(public_key_file=path)) == signing_key.public_key()


def test_missing_public_key_file_fails_loudly(tmp_path: Path) -> None:
    settings = AuthSettings(public_key_file=tmp_path / "absent.pem")
    with pytest.raises(KeyConfigurationError, match="cannot read"):
        TokenVerifier.from_settings(settings)


def test_private_key_is_not_accepted_as_public_key(
    signing_key: ec.EllipticCurvePrivateKey,
) -> None:
    private_pem = signing_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(KeyConfigurationError):
        resolve_public_key(AuthSettings(public_key_pem=private_pem))


def test_p384_key_is_refused() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(KeyConfigurationError, match="P-256"):
        resolve_public_key(AuthSettings(public_key_pem=_public_pem(p384)))


def test_only_one_key_source(signing_key: ec.EllipticCurvePrivateKey) -> None:
    with pytest.raises(ValidationError, match="only one key source"):
        AuthSettings(public_key_pem=_public_pem(signing_key), jwks_url="https://id.example/jwks")


@pytest.mark.parametrize("value", ["HS256", "none", "ES256,HS512", '["RS256","none"]', ""])
def test_symmetric_or_no_algorithms_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CQ_AUTH_ALGORITHMS", value)
    if value == "":
        # Empty counts as unset (env_ignore_empty): the safe default applies.
        assert AuthSettings().algorithms == ["ES256", "RS256"]
        return
    with pytest.raises(ValidationError, match="unsupported algorithms"):
        AuthSettings()


@pytest.mark.parametrize(("value", "expected"), [("ES256", ["ES256"]), ('["RS256"]', ["RS256"])])
def test_algorithms_from_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv("CQ_AUTH_ALGORITHMS", value)
    assert AuthSettings().algorithms == expected


@pytest.mark.parametrize(
    "url",
    ["http://id.example/jwks.json", "file:///etc/passwd", "ftp://id.example/jwks"],
)
def test_jwks_url_must_be_https(url: str) -> None:
    with pytest.raises(ValidationError, match="https"):
        AuthSettings(jwks_url=url)


@pytest.mark.parametrize(
    "url", ["https://id.example/jwks.json", "http://127.0.0.1:8080/jwks", "http://localhost/j"]
)
def test_jwks_url_accepted(url: str) -> None:
    assert AuthSettings(jwks_url=url).jwks_url == url


def test_leeway_bounds() -> None:
    with pytest.raises(ValidationError):
        AuthSettings(leeway_seconds=-1)
    with pytest.raises(ValidationError):
        AuthSettings(leeway_seconds=3600)
