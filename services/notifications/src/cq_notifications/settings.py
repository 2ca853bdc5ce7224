"""Configuration from the environment: the service (`CQ_NOTIFICATIONS_*`) and the mail relay
it hands messages to (`CQ_SMTP_*`, shared with the devstack's SMTP sink)."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotificationsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_NOTIFICATIONS_")

    host: str = "127.0.0.1"
    port: int = 8004
    mail_from: str = "CareQuartier <no-reply@carequartier.example>"
    # New deliveries wake the sender (LISTEN/NOTIFY); polling is for retries falling due.
    send_poll_seconds: float = Field(default=1.0, gt=0)
    # Deliveries sent side by side, each over its own SMTP connection (claims skip each
    # other's rows). One would make every mail wait for the previous relay round trips.
    send_workers: int = Field(default=4, ge=1, le=32)
    # How often the parked-events gauge is refreshed.
    parked_report_seconds: float = Field(default=15.0, gt=0)
    # Transient SMTP failures (connection refused, 4xx) are retried with backoff, then the
    # delivery is marked failed.
    send_max_attempts: int = Field(default=5, ge=1)
    send_retry_base_seconds: float = Field(default=5.0, gt=0)
    send_retry_max_seconds: float = Field(default=300.0, gt=0)
    # Webhooks (decision 0017). Development and tests only: allow http and endpoints on
    # loopback or private addresses; otherwise only https to globally routable addresses
    # (the SSRF guard).
    webhooks_allow_private_urls: bool = False
    # The key that seals the subscriptions' signing secrets at rest (base64 of 32 bytes,
    # AES-256-GCM). Unset: secrets are stored unsealed and a warning is logged once.
    webhooks_secret_key: SecretStr | None = None
    # One attempt's whole budget: connect, send, and the receiver's answer.
    webhooks_timeout_seconds: float = Field(default=10.0, gt=0, le=60)


class SmtpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_SMTP_", env_ignore_empty=True)

    host: str = "127.0.0.1"
    port: int = 25
    username: str | None = None
    password: str | None = None
    # Implicit TLS (port 465). Otherwise STARTTLS is used whenever the server offers it.
    use_tls: bool = False
    timeout_seconds: float = Field(default=10.0, gt=0)
