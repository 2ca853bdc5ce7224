"""Telemetry configuration, read from ``CQ_TELEMETRY_*`` environment variables."""

from __future__ import annotations

import logging

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class TelemetrySettings(BaseSettings):
    """How a process names itself and where its traces and logs go."""

    model_config = SettingsConfigDict(env_prefix="CQ_TELEMETRY_", extra="ignore")

    service_name: str = "carequartier"
    # Base URL of an OTLP/HTTP collector, e.g. ``http://otel-collector:4318``; the
    # ``/v1/traces`` signal path is appended unless already present. None: no export.
    otlp_endpoint: str | None = None
    log_level: str = "INFO"
    json_logs: bool = True

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        # Fail at start-up on a typo rather than when the first logger is configured.
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level {value!r}")
        return level
