"""Where verification keys come from and which tokens count as ours (``CQ_AUTH_*``)."""

import ipaddress
import json
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_ISSUER = "carequartier-dev"
DEFAULT_AUDIENCE = "carequartier"
# Asymmetric only: "none" is no signature at all, and HS* would let anyone holding the
# (public!) verification key forge tokens.
SUPPORTED_ALGORITHMS: frozenset[str] = frozenset({"ES256", "RS256"})
DEV_KEY_DIR = Path("deploy") / "dev-keys"
DEV_PUBLIC_KEY_NAME = "dev-signing-key.pub.pem"


class AuthSettings(BaseSettings):
    """Token verification settings. At most one key source may be configured.

    With none configured, the committed development public key is used, but only while
    ``issuer`` is still the development issuer and ``allow_dev_key`` is true; see
    ``cq_shared.auth.keys.resolve_public_key``. Without any key, every request is refused.
    """

    # Empty variables count as unset, so `CQ_AUTH_JWKS_URL=${JWKS_URL:-}` in a compose
    # file does not turn into an invalid URL.
    model_config = SettingsConfigDict(env_prefix="CQ_AUTH_", env_ignore_empty=True)

    public_key_pem: str | None = None
    public_key_file: Path | None = None
    jwks_url: str | None = None
    issuer: str = DEV_ISSUER
    audience: str = DEFAULT_AUDIENCE
    # NoDecode: accept "ES256,RS256" from the environment as well as a JSON list.
    algorithms: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["ES256", "RS256"])
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    # CQ_AUTH_DEV_KEY_DIR: the directory holding dev-signing-key.pub.pem.
    dev_key_dir: Path | None = None
    # Production should set CQ_AUTH_ALLOW_DEV_KEY=false so a forgotten key source can
    # never fall back to a key whose private half is in the repository.
    allow_dev_key: bool = True

    @field_validator("algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("algorithms")
    @classmethod
    def _only_asymmetric(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one algorithm is required")
        unsupported = sorted(set(value) - SUPPORTED_ALGORITHMS)
        if unsupported:
            raise ValueError(
                f"unsupported algorithms {unsupported}; allowed: {sorted(SUPPORTED_ALGORITHMS)}"
            )
        return value

    @field_validator("jwks_url")
    @classmethod
    def _jwks_over_tls(cls, value: str | None) -> str | None:
        # Keys fetched over plain HTTP can be swapped in transit; only loopback is exempt
        # (local identity providers, tests).
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme == "https":
            return value
        if parts.scheme == "http" and _is_loopback(parts.hostname):
            return value
        raise ValueError("jwks_url must use https (plain http only for loopback hosts)")

    @model_validator(mode="after")
    def _one_key_source(self) -> Self:
        # Two sources would mean one silently wins; make the operator choose.
        configured = [
            name
            for name in ("public_key_pem", "public_key_file", "jwks_url")
            if getattr(self, name) is not None
        ]
        if len(configured) > 1:
            raise ValueError(f"configure only one key source, got {configured}")
        return self

    def dev_public_key_path(self) -> Path | None:
        """The committed development public key, if it can be found; never raises."""
        if self.dev_key_dir is not None:
            # An explicit directory is final: not finding the key there must not lead to
            # some other key being picked up further along.
            candidate = self.dev_key_dir / DEV_PUBLIC_KEY_NAME
            return candidate if candidate.is_file() else None
        for directory in Path(__file__).resolve().parents:
            candidate = directory / DEV_KEY_DIR / DEV_PUBLIC_KEY_NAME
            if candidate.is_file():
                return candidate
        return None


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
