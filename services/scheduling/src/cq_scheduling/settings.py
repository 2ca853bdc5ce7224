"""Settings of the scheduling process (environment prefix CQ_SCHEDULING_)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class SchedulingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_SCHEDULING_")

    host: str = "127.0.0.1"
    port: int = 8002
    # `make run` sets this: the four sites' resources, staff and slots are loaded at start-up.
    demo_data: bool = False
    # Kurzzeitpflege requested without a length: the usual two weeks a coordinator would book.
    short_term_care_default_days: int = 14
