"""How the timer runner polls and batches; environment prefix CQ_TIMERS_."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class TimerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_TIMERS_")

    # The longest the runner sleeps without looking (a safety net for a missed notification,
    # and the step at which a test's moved clock is noticed).
    poll_seconds: float = 1.0
    # Due timers fired in one transaction; a failure in a batch re-runs its timers one by one.
    batch_size: int = 100
    # How often the due backlog gauge is refreshed (a count over the due timers).
    backlog_report_seconds: float = 5.0
