"""The sites' local calendar: a certificate of conduct is valid up to a day in Germany."""

from datetime import date
from zoneinfo import ZoneInfo

from cq_shared.clock import Clock

SITE_TIMEZONE = ZoneInfo("Europe/Berlin")


def site_today(clock: Clock) -> date:
    return clock.now().astimezone(SITE_TIMEZONE).date()
