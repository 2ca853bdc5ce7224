"""When a failed attempt is tried again: the waits before attempts 2 to 10.

About three days in all (5 s + 5 min + 30 min + 2 h + 5 h + 10 h + 14 h + 20 h + 20 h ≈ 71.6 h):
quick retries for a blip, then hours for a receiver that is down over a weekend, as the
Standard Webhooks guidance and the big senders (Svix, Stripe) do. A delivery whose last
attempt fails is `failed`, and its subscription is disabled: an endpoint that has not
answered for three days is gone in all but name.
"""

from datetime import timedelta

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=20),
)

TIMER_KIND = "webhook.attempt"


def timer_key(delivery_id: object, attempt: int) -> str:
    """One timer per attempt: the handler of attempt n schedules attempt n + 1 under a new
    key (rescheduling its own key from inside its handler could be undone by the runner's
    delete of the fired row), and a timer whose attempt is no longer the next one (a replay
    came first) finds it so and does nothing."""
    return f"webhook:{delivery_id}:{attempt}"


def next_delay(step: int) -> timedelta | None:
    """The wait after the `step`-th failed attempt of a schedule (0-based), or None: the
    schedule is exhausted."""
    return RETRY_DELAYS[step] if step < len(RETRY_DELAYS) else None
