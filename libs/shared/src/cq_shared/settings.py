"""Settings blocks every service composes; each reads its own environment prefix."""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """Where the broker is and how a service identifies itself to it."""

    model_config = SettingsConfigDict(env_prefix="CQ_KAFKA_")

    bootstrap_servers: str = "127.0.0.1:9092"
    client_id: str = "carequartier"
    request_timeout_ms: int = 10_000
    # Of the topics a service creates at start-up: 1 on a single local broker, 3 in production.
    replication_factor: int = 1
    # Who this process is on the broker (docs/decisions/0016): each service its own SCRAM user,
    # whose ACLs follow from the topics it owns and reads. PLAINTEXT (no user) still reaches a
    # broker without authentication.
    security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    username: str | None = None
    password: SecretStr | None = None


class DatabaseSettings(BaseSettings):
    """The service's own PostgreSQL database (never shared with another service)."""

    model_config = SettingsConfigDict(env_prefix="CQ_DATABASE_")

    url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    pool_size: int = 10
    max_overflow: int = 10
    echo: bool = False


class SiteSettings(BaseSettings):
    """Where the network's site catalogue is (cq_shared/sites/sites.toml when unset)."""

    model_config = SettingsConfigDict(env_prefix="CQ_SITES_")

    file: Path | None = None


class MessagingSettings(BaseSettings):
    """Delivery guarantees' tuning: retries, DLQ and the outbox relay."""

    model_config = SettingsConfigDict(env_prefix="CQ_MESSAGING_")

    max_attempts: int = 5
    retry_base_seconds: float = 0.2
    retry_max_seconds: float = 10.0
    relay_batch_size: int = 2000
    relay_poll_seconds: float = 1.0
    # Put into every consumer group name after the service's (`<service>.<prefix><purpose>`,
    # cq_shared.messaging.groups): two environments that share one broker (staging and a load
    # test, say) keep their groups and offsets apart.
    group_prefix: str = ""
