"""Weights and point tables of the matching criteria.

Points are integers in basis points (1/10,000 of the full score), and every fraction is
rounded the same way (`share`), so the per-case path and the numpy batch path produce exactly
the same numbers and a score is exactly the sum of its reasons.
"""

SCALE = 10_000

# The client's language matters most: a visit or an accompaniment without a common language
# fails. The five weights add up to SCALE.
LANGUAGE = 4_000
PROXIMITY = 2_500
AVAILABILITY = 1_500
LOAD = 1_200
CERTIFICATE = 800

# Postal codes as a proxy for distance (no geocoding): the same code, the same first three
# digits (a town or a district), the same first two digits (a region).
PROXIMITY_SAME_CODE = PROXIMITY
PROXIMITY_SAME_AREA = 1_500
PROXIMITY_SAME_REGION = 750

# A certificate of conduct that stays valid for a year after the start earns full points; one
# about to expire earns few (it will need renewing during the task).
CERTIFICATE_FULL_MARGIN_DAYS = 365

DAYS_PER_WEEK = 7


def share(weight: int, numerator: int, denominator: int) -> int:
    """`weight * numerator / denominator`, rounded half up, in integers only."""
    return (2 * weight * numerator + denominator) // (2 * denominator)


def as_fraction(points: int) -> float:
    return points / SCALE
