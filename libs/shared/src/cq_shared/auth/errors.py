"""Why a bearer token was refused. ``str(error)`` is written to be shown to the caller."""


class TokenVerificationError(Exception):
    """The token cannot be trusted: malformed, badly signed, wrong issuer or audience..."""


class TokenExpiredError(TokenVerificationError):
    """The token was valid once; the client should obtain a new one."""


class NoVerificationKeyError(TokenVerificationError):
    """No key is configured, so nothing can be verified: deny by default."""
