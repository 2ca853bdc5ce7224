"""Dates and times as a recipient reads them: in Europe/Berlin (where every site is), with
the words and order of the recipient's language."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cq_notifications.templating.vocabulary import Vocabulary

BERLIN = ZoneInfo("Europe/Berlin")


def local(moment: datetime) -> datetime:
    # Events carry offsets; a naive time can only have come from a UTC clock.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(BERLIN)


def format_date(words: Vocabulary, moment: datetime) -> str:
    day = local(moment)
    return words.phrase(
        "date",
        "format",
        weekday=words.words("date", "weekdays")[day.weekday()],
        day=str(day.day),
        month=words.words("date", "months")[day.month - 1],
        year=str(day.year),
    )


def format_time(words: Vocabulary, moment: datetime) -> str:
    at = local(moment)
    return words.phrase("date", "time", hour=f"{at.hour:02d}", minute=f"{at.minute:02d}")


def format_period(words: Vocabulary, start: datetime, end: datetime) -> str:
    """ "Montag, 3. März 2025, 14:00 bis 15:00 Uhr" within a day, else both dates in full."""
    start_time, end_time = format_time(words, start), format_time(words, end)
    if local(start).date() == local(end).date():
        return words.phrase(
            "date", "same_day", date=format_date(words, start), start=start_time, end=end_time
        )
    return words.phrase(
        "date",
        "period",
        start_date=format_date(words, start),
        start=start_time,
        end_date=format_date(words, end),
        end=end_time,
    )
