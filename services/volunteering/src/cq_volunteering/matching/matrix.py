"""The batch path: scores of many needs against many volunteers as one integer matrix.

The same filters and points as `scoring`, computed column-wise with numpy, in chunks of needs
so that 1,000 needs x 10,000 volunteers stay within a few hundred MB. Entries are basis points;
`INELIGIBLE` marks a pair a hard filter forbids.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.matching import criteria
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.matching.scoring import reference_date

T = TypeVar("T")
INELIGIBLE = -1
CHUNK_ROWS = 128
POSTAL_AREA_DIGITS = 3  # a client known only by area (see scoring.proximity_points)
NO_CODE = -1

_LANGUAGE_BIT = {language: 1 << i for i, language in enumerate(Language)}
_SKILL_BIT = {need_type: 1 << i for i, need_type in enumerate(NeedType)}
_WEEKDAY_BIT = {day: 1 << i for i, day in enumerate(Weekday)}

IntMatrix = NDArray[np.int64]
IntVector = NDArray[np.int64]


@dataclass(frozen=True)
class _Columns:
    """The volunteers, one numpy array per attribute."""

    site: IntVector
    skills: IntVector
    languages: IntVector
    postal: IntVector  # the five digits as a number, NO_CODE if not a postal code
    weekdays: IntVector
    weekday_count: IntVector
    free: IntVector
    max_load: IntVector
    expires: IntVector  # proleptic ordinal of the expiry date

    @classmethod
    def of(cls, candidates: Sequence[Candidate], sites: dict[str, int]) -> "_Columns":
        def column(values: list[int]) -> IntVector:
            return np.asarray(values, dtype=np.int64)

        return cls(
            site=column([sites[c.site] for c in candidates]),
            skills=column([_mask(_SKILL_BIT, c.skills) for c in candidates]),
            languages=column([_mask(_LANGUAGE_BIT, c.languages) for c in candidates]),
            postal=column([_postal(c.postal_code) for c in candidates]),
            weekdays=column([_mask(_WEEKDAY_BIT, c.weekdays) for c in candidates]),
            weekday_count=column([len(c.weekdays) for c in candidates]),
            free=column([c.max_load - c.active_load for c in candidates]),
            max_load=column([c.max_load for c in candidates]),
            expires=column([c.certificate_expires_on.toordinal() for c in candidates]),
        )


@dataclass(frozen=True)
class _Rows:
    """The needs, one numpy array per attribute (as column vectors for broadcasting)."""

    site: IntMatrix
    skill: IntMatrix
    language: IntMatrix
    postal: IntMatrix  # the five digits, or only the area's three (v2 events), or NO_CODE
    precise: IntMatrix  # 1 where `postal` holds all five digits
    weekday: IntMatrix  # 0 when the need has no start date
    reference: IntMatrix

    @classmethod
    def of(cls, needs: Sequence[NeedToFill], sites: dict[str, int], today: date) -> "_Rows":
        def column(values: list[int]) -> IntMatrix:
            return np.asarray(values, dtype=np.int64).reshape(-1, 1)

        return cls(
            site=column([sites[n.site] for n in needs]),
            skill=column([_SKILL_BIT[n.need_type] for n in needs]),
            language=column([_LANGUAGE_BIT[n.client_language] for n in needs]),
            postal=column([_client_postal(n.client_postal_code) for n in needs]),
            precise=column([int(_postal(n.client_postal_code) != NO_CODE) for n in needs]),
            weekday=column([_WEEKDAY_BIT[Weekday.of(n.start)] if n.start else 0 for n in needs]),
            reference=column([reference_date(n, today).toordinal() for n in needs]),
        )

    def chunk(self, rows: slice) -> "_Rows":
        return _Rows(
            site=self.site[rows],
            skill=self.skill[rows],
            language=self.language[rows],
            postal=self.postal[rows],
            precise=self.precise[rows],
            weekday=self.weekday[rows],
            reference=self.reference[rows],
        )


def score_matrix(
    needs: Sequence[NeedToFill], candidates: Sequence[Candidate], today: date
) -> IntMatrix:
    """Row i, column j: the points of candidates[j] for needs[i], or INELIGIBLE."""
    all_sites = sorted({c.site for c in candidates} | {n.site for n in needs})
    sites = {site: code for code, site in enumerate(all_sites)}
    columns = _Columns.of(candidates, sites)
    rows = _Rows.of(needs, sites, today)
    matrix = np.empty((len(needs), len(candidates)), dtype=np.int64)
    for start in range(0, len(needs), CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        matrix[part] = _score_chunk(rows.chunk(part), columns)
    _exclude_asked(matrix, needs, candidates)
    return matrix


def _score_chunk(rows: _Rows, columns: _Columns) -> IntMatrix:
    margin = columns.expires[np.newaxis, :] - rows.reference
    eligible = (
        (rows.site == columns.site)
        & ((rows.skill & columns.skills) != 0)
        & (margin >= 0)
        & (columns.free > 0)
    )
    language = np.where((rows.language & columns.languages) != 0, criteria.LANGUAGE, 0)
    proximity = _proximity(rows.postal, rows.precise, columns.postal)
    available = np.where((rows.weekday & columns.weekdays) != 0, criteria.AVAILABILITY, 0)
    without_start = _share(criteria.AVAILABILITY, columns.weekday_count, criteria.DAYS_PER_WEEK)
    availability = np.where(rows.weekday == 0, without_start, available)
    load = _share(criteria.LOAD, columns.free, columns.max_load)
    capped = np.minimum(margin, criteria.CERTIFICATE_FULL_MARGIN_DAYS)
    certificate = _share(criteria.CERTIFICATE, capped, criteria.CERTIFICATE_FULL_MARGIN_DAYS)
    total = language + proximity + availability + load + certificate
    return np.where(eligible, total, INELIGIBLE)


def _proximity(client: IntMatrix, precise: IntMatrix, volunteer: IntVector) -> IntMatrix:
    """The same tiers as scoring.proximity_points; a client known only by area (three
    digits) can be in the volunteer's area or region, never their exact code."""
    known = (client != NO_CODE) & (volunteer != NO_CODE)
    exact = precise == 1
    area = np.where(exact, client // 100, client)
    return np.select(
        [
            known & exact & (client == volunteer),
            known & (area == volunteer // 100),
            known & (area // 10 == volunteer // 1000),
        ],
        [
            criteria.PROXIMITY_SAME_CODE,
            criteria.PROXIMITY_SAME_AREA,
            criteria.PROXIMITY_SAME_REGION,
        ],
        default=0,
    )


def _share(weight: int, numerator: IntMatrix, denominator: IntMatrix | int) -> IntMatrix:
    # The same integer rounding as criteria.share, element-wise.
    result: IntMatrix = (2 * weight * numerator + denominator) // (2 * np.asarray(denominator))
    return result


def _exclude_asked(
    matrix: IntMatrix, needs: Sequence[NeedToFill], candidates: Sequence[Candidate]
) -> None:
    position = {c.volunteer_id: j for j, c in enumerate(candidates)}
    for i, need in enumerate(needs):
        asked = [position[v] for v in need.excluded_volunteers if v in position]
        matrix[i, asked] = INELIGIBLE


def _mask(bits: Mapping[T, int], values: Iterable[T]) -> int:
    mask = 0
    for value in values:
        mask |= bits[value]
    return mask


def _postal(code: str) -> int:
    if len(code) == 5 and code.isascii() and code.isdigit():
        return int(code)
    return NO_CODE


def _client_postal(code: str) -> int:
    """A client's five digits, or the area's three (what v2 events carry)."""
    if len(code) == POSTAL_AREA_DIGITS and code.isascii() and code.isdigit():
        return int(code)
    return _postal(code)
