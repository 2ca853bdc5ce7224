"""Intake's own settings (`CQ_INTAKE_*`); database, Kafka and auth come from cq_shared."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_INTAKE_")

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
