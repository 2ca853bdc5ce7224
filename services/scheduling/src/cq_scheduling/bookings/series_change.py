"""What happened to a recurring need, as `BookingSeriesChanged.change` says it. Each series
touched by a transaction is told with its own word: a cancellation of one series that
promotes another's waiting day tells the first `cancelled` and the second `promoted`."""

from enum import StrEnum


class SeriesChange(StrEnum):
    BOOKED = "booked"  # the need was booked (its days booked or waiting)
    CANCELLED = "cancelled"  # days of it were cancelled (the series, a day, a day's wait)
    PROMOTED = "promoted"  # a waiting day got its place (booked or offered)
    WAIT_ENDED = "wait_ended"  # a day's offer was declined or expired


# When one transaction changes a series in several ways, the word told is the first of
# these: what a person did to the series outweighs what followed from it.
_FIRST = (
    SeriesChange.BOOKED,
    SeriesChange.CANCELLED,
    SeriesChange.PROMOTED,
    SeriesChange.WAIT_ENDED,
)


def stronger(a: SeriesChange | None, b: SeriesChange) -> SeriesChange:
    return b if a is None or _FIRST.index(b) < _FIRST.index(a) else a
