"""Settings of the volunteering process (environment prefix CQ_VOLUNTEERING_)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class VolunteeringSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_VOLUNTEERING_")

    host: str = "127.0.0.1"
    port: int = 8003
    # `make run` sets this: demo volunteers for the four sites (never in production).
    demo_data: bool = False
