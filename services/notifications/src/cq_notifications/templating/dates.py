"""Dates and times as a recipient reads them: on the site's wall clock (its time zone from the
site catalogue), with the words and order of the recipient's language."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from cq_notifications.templating.vocabulary import Vocabulary


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    # Events carry offsets; a naive time can only have come from a UTC clock.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone)


def format_date(words: Vocabulary, moment: datetime, zone: ZoneInfo) -> str:
    return format_day(words, local(moment, zone).date())


def format_day(words: Vocabulary, day: date) -> str:
    """ "Dienstag, 3. März 2026": a day that is already the site's (a series' days)."""
    return words.phrase(
        "date",
        "format",
        weekday=words.words("date", "weekdays")[day.weekday()],
        day=str(day.day),
        month=words.words("date", "months")[day.month - 1],
        year=str(day.year),
    )


def format_time(words: Vocabulary, moment: datetime, zone: ZoneInfo) -> str:
    at = local(moment, zone)
    return words.phrase("date", "time", hour=f"{at.hour:02d}", minute=f"{at.minute:02d}")


def format_period(words: Vocabulary, start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """ "Montag, 3. März 2025, 14:00 bis 15:00 Uhr" within a day, else both dates in full."""
    start_time, end_time = format_time(words, start, zone), format_time(words, end, zone)
    if local(start, zone).date() == local(end, zone).date():
        return words.phrase(
            "date", "same_day", date=format_date(words, start, zone), start=start_time, end=end_time
        )
    return words.phrase(
        "date",
        "period",
        start_date=format_date(words, start, zone),
        start=start_time,
        end_date=format_date(words, end, zone),
        end=end_time,
    )


def format_moment(words: Vocabulary, moment: datetime, zone: ZoneInfo) -> str:
    """ "Dienstag, 3. März 2026, 10:00 Uhr": a start or a deadline."""
    return words.phrase(
        "date", "at", date=format_date(words, moment, zone), time=format_time(words, moment, zone)
    )
