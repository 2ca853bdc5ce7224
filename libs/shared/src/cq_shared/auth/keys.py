"""Loading public keys and deciding which one verifies tokens."""

import logging

from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from cq_shared.auth.settings import DEV_ISSUER, AuthSettings

logger = logging.getLogger(__name__)

VerificationKey = EllipticCurvePublicKey | RSAPublicKey

# Below this an RSA signature is forgeable with realistic effort (NIST SP 800-131A).
MIN_RSA_BITS = 2048


class KeyConfigurationError(ValueError):
    """A configured key is unusable. Raised at start-up so a broken deploy fails loudly."""


def load_public_key(pem: str | bytes) -> VerificationKey:
    """Parse a SubjectPublicKeyInfo PEM holding a P-256 or an RSA (>= 2048 bit) key."""
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = load_pem_public_key(data)
    except ValueError as exc:
        # Also what a *private* key PEM ends up as: those have no place in a verifier.
        raise KeyConfigurationError("not a PEM-encoded public key") from exc
    if isinstance(key, EllipticCurvePublicKey):
        if not isinstance(key.curve, SECP256R1):
            raise KeyConfigurationError(f"EC keys must use P-256, not {key.curve.name}")
        return key
    if isinstance(key, RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyConfigurationError(f"RSA keys need >= {MIN_RSA_BITS} bits")
        return key
    raise KeyConfigurationError(f"unsupported key type {type(key).__name__}")


def algorithm_for(key: VerificationKey) -> str:
    """The one JWS algorithm a key may verify; pinning it rules out algorithm confusion."""
    return "ES256" if isinstance(key, EllipticCurvePublicKey) else "RS256"


def resolve_public_key(settings: AuthSettings) -> VerificationKey | None:
    """The configured public key, the development key as a fallback, or None (deny all).

    Not for JWKS settings: keys from a JWKS are chosen per token by the verifier.
    """
    if settings.public_key_pem is not None:
        return load_public_key(settings.public_key_pem)
    if settings.public_key_file is not None:
        try:
            pem = settings.public_key_file.read_bytes()
        except OSError as exc:
            raise KeyConfigurationError(
                f"cannot read CQ_AUTH_PUBLIC_KEY_FILE {settings.public_key_file}"
            ) from exc
        return load_public_key(pem)
    return _development_key(settings)


def _development_key(settings: AuthSettings) -> VerificationKey | None:
    if not settings.allow_dev_key:
        logger.error("No token verification key configured; every request will be refused")
        return None
    if settings.issuer != DEV_ISSUER:
        # A non-development issuer means a real deployment that forgot its key. Trusting
        # the committed key there would let anyone with the repository mint tokens.
        logger.error(
            "No token verification key configured for issuer %r; refusing to fall back "
            "to the development key; every request will be refused",
            settings.issuer,
        )
        return None
    path = settings.dev_public_key_path()
    if path is None:
        logger.error("No token verification key found; every request will be refused")
        return None
    logger.warning(
        "Verifying tokens with the DEVELOPMENT key %s: anyone with the repository can "
        "mint tokens. Set CQ_AUTH_PUBLIC_KEY_PEM, CQ_AUTH_PUBLIC_KEY_FILE or "
        "CQ_AUTH_JWKS_URL outside local development.",
        path,
    )
    return load_public_key(path.read_bytes())
