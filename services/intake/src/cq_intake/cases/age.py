"""Age bands: what statistics keep of a birth date once the person is erased."""

from datetime import date

BAND_YEARS = 10
YOUNGEST_BAND = 60  # younger clients are few: one band "under 60"
OLDEST_BAND = 90  # "90+": very old clients are few too, and a band must not single one out


def age_band(birth_date: date, today: date) -> str:
    """ "under 60", "60-69", "70-79", "80-89" or "90+"."""
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if age < YOUNGEST_BAND:
        return f"under {YOUNGEST_BAND}"
    if age >= OLDEST_BAND:
        return f"{OLDEST_BAND}+"
    low = age // BAND_YEARS * BAND_YEARS
    return f"{low}-{low + BAND_YEARS - 1}"
