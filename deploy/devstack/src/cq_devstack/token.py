"""Mint development bearer tokens signed with the committed dev key.

    uv run python -m cq_devstack.token --role coordinator --site kaiserslautern
    uv run python -m cq_devstack.token --role volunteer --site kaiserslautern \
        --volunteer-id 3f0c...  # the volunteer's id, as GET /v1/volunteers shows it

prints only the token, so ``TOKEN=$(...)`` works. ROLE, SITE, VOLUNTEER_ID and STAFF_ID may
come from the environment instead. Tokens verify only where the development key is trusted, i.e. in
local development (see deploy/dev-keys/README.md).
"""

import argparse
import os
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

# Must match cq_shared.auth.settings' defaults. Not imported: devstack does not depend on
# the shared kernel. A round-trip test in libs/shared/tests/auth catches drift.
DEV_ISSUER = "carequartier-dev"
DEV_AUDIENCE = "carequartier"
DEV_KEY_ID = "carequartier-dev-1"
ALL_SITES = "*"
DEFAULT_TTL_SECONDS = 8 * 3600
DEV_KEY_DIR = Path("deploy") / "dev-keys"
DEV_PRIVATE_KEY_NAME = "dev-signing-key.pem"


def dev_private_key_path() -> Path:
    """Via CQ_AUTH_DEV_KEY_DIR, else walking up from this file to the repository root."""
    configured = os.environ.get("CQ_AUTH_DEV_KEY_DIR")
    if configured:
        return Path(configured) / DEV_PRIVATE_KEY_NAME
    for directory in Path(__file__).resolve().parents:
        candidate = directory / DEV_KEY_DIR / DEV_PRIVATE_KEY_NAME
        if candidate.is_file():
            return candidate
    missing = DEV_KEY_DIR / DEV_PRIVATE_KEY_NAME
    raise FileNotFoundError(f"{missing} not found; set CQ_AUTH_DEV_KEY_DIR")


def _load_private_key(path: Path) -> EllipticCurvePrivateKey:
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, EllipticCurvePrivateKey):
        raise TypeError(f"{path} is not an EC private key; ES256 needs P-256")
    return key


def mint_token(
    role: str,
    site: str,
    *,
    subject: str | None = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    private_key_path: Path | None = None,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
    volunteer_id: uuid.UUID | str | None = None,
    staff_id: uuid.UUID | str | None = None,
) -> str:
    """An ES256 token for one role at one site (``"*"`` for all sites).

    ``volunteer_id`` and ``staff_id`` name the person the token speaks for (decision 0005);
    a string is written as given, so tests can mint malformed ones (the CLI checks them).
    """
    if not role or not site:
        raise ValueError("role and site must be non-empty")
    key = _load_private_key(private_key_path or dev_private_key_path())
    site_label = "all-sites" if site == ALL_SITES else site
    now = int(time.time())
    person = volunteer_id or staff_id
    claims: dict[str, object] = {
        # Deterministic per role, site and person, so repeated tokens act as the same person.
        "sub": subject or f"dev-{role}-{site_label}" + (f"-{person}" if person else ""),
        "name": f"Dev {role} ({site_label})",
        "roles": [role],
        "sites": [ALL_SITES] if site == ALL_SITES else [site],
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if volunteer_id is not None:
        claims["volunteer_id"] = str(volunteer_id)
    if staff_id is not None:
        claims["staff_id"] = str(staff_id)
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": DEV_KEY_ID})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cq_devstack.token",
        description="Print a development bearer token (dev key; local use only).",
    )
    parser.add_argument("--role", default=os.environ.get("ROLE"), help="e.g. coordinator")
    parser.add_argument(
        "--site", default=os.environ.get("SITE"), help='e.g. kaiserslautern, or "*"'
    )
    parser.add_argument("--subject", default=None, help="the sub claim")
    parser.add_argument(
        "--volunteer-id",
        type=_optional_uuid,
        default=os.environ.get("VOLUNTEER_ID") or None,
        help="the volunteer_id claim: the volunteer this token acts for",
    )
    parser.add_argument(
        "--staff-id",
        type=_optional_uuid,
        default=os.environ.get("STAFF_ID") or None,
        help="the staff_id claim: the staff member this token acts for",
    )
    parser.add_argument("--ttl-seconds", type=int, default=DEFAULT_TTL_SECONDS)
    parser.add_argument("--private-key", type=Path, default=None)
    return parser


def _optional_uuid(value: str) -> uuid.UUID | None:
    # Empty: not given (the Makefile passes VOLUNTEER_ID= through even when unset).
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a UUID: {value!r}") from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.role or not args.site:
        parser.error("--role and --site (or ROLE and SITE) are required")
    token = mint_token(
        args.role,
        args.site,
        subject=args.subject,
        ttl_seconds=args.ttl_seconds,
        private_key_path=args.private_key,
        volunteer_id=args.volunteer_id,
        staff_id=args.staff_id,
    )
    # Only the token on stdout, so shells can capture it; everything else goes to stderr.
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
