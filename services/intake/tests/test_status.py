"""The case state machine, without infrastructure."""

import pytest

from cq_intake.cases.status import (
    CaseStatus,
    NeedState,
    Progress,
    case_status,
    next_need_state,
)
from cq_shared.contracts import NeedType

S = NeedState


@pytest.mark.parametrize(
    ("current", "progress", "expected"),
    [
        (S.REQUESTED, Progress.BOOKING_CONFIRMED, S.BOOKED),
        (S.UNAVAILABLE, Progress.BOOKING_CONFIRMED, S.BOOKED),  # capacity found after all
        (S.REQUESTED, Progress.BOOKING_UNAVAILABLE, S.UNAVAILABLE),
        (S.REQUESTED, Progress.MATCH_PROPOSED, S.VOLUNTEER_PROPOSED),
        (S.UNFILLED, Progress.MATCH_PROPOSED, S.VOLUNTEER_PROPOSED),  # a widened search
        (S.VOLUNTEER_PROPOSED, Progress.MATCH_ACCEPTED, S.VOLUNTEER_CONFIRMED),
        (S.VOLUNTEER_PROPOSED, Progress.MATCH_DECLINED, S.REQUESTED),
        (S.VOLUNTEER_PROPOSED, Progress.MATCH_UNFILLED, S.UNFILLED),
    ],
)
def test_a_report_moves_the_need(current: S, progress: Progress, expected: S) -> None:
    assert next_need_state(current, progress) is expected


@pytest.mark.parametrize(
    ("current", "progress"),
    [
        (S.BOOKED, Progress.BOOKING_UNAVAILABLE),  # "no capacity" crossed the booking
        (S.VOLUNTEER_CONFIRMED, Progress.MATCH_DECLINED),  # an old proposal's decline
        (S.VOLUNTEER_CONFIRMED, Progress.MATCH_PROPOSED),
        (S.VOLUNTEER_CONFIRMED, Progress.MATCH_UNFILLED),
        (S.REQUESTED, Progress.MATCH_DECLINED),  # nothing was proposed
    ],
)
def test_a_stale_report_changes_nothing(current: S, progress: Progress) -> None:
    assert next_need_state(current, progress) is None


CARE, VISIT, GP = NeedType.SHORT_TERM_CARE, NeedType.VOLUNTEER_VISIT, NeedType.DOCTOR_REFERRAL


@pytest.mark.parametrize(
    ("current", "needs", "expected"),
    [
        (CaseStatus.OPEN, [(CARE, S.REQUESTED), (VISIT, S.REQUESTED)], CaseStatus.OPEN),
        (CaseStatus.OPEN, [(CARE, S.BOOKED), (VISIT, S.REQUESTED)], CaseStatus.IN_PROGRESS),
        (
            CaseStatus.OPEN,
            [(CARE, S.REQUESTED), (VISIT, S.VOLUNTEER_PROPOSED)],
            CaseStatus.IN_PROGRESS,
        ),
        # A decline sends the need back, not the case: something has happened.
        (
            CaseStatus.IN_PROGRESS,
            [(CARE, S.REQUESTED), (VISIT, S.REQUESTED)],
            CaseStatus.IN_PROGRESS,
        ),
        # Needs people work on (a doctor referral) do not hold back "arranged".
        (
            CaseStatus.IN_PROGRESS,
            [(CARE, S.BOOKED), (VISIT, S.VOLUNTEER_CONFIRMED), (GP, S.REQUESTED)],
            CaseStatus.ARRANGED,
        ),
        (
            CaseStatus.IN_PROGRESS,
            [(CARE, S.UNAVAILABLE), (VISIT, S.VOLUNTEER_CONFIRMED)],
            CaseStatus.NEEDS_ATTENTION,
        ),
        (
            CaseStatus.ARRANGED,
            [(CARE, S.BOOKED), (VISIT, S.UNFILLED)],
            CaseStatus.NEEDS_ATTENTION,
        ),
        # Attention given: the need found capacity, the case is arranged again.
        (
            CaseStatus.NEEDS_ATTENTION,
            [(CARE, S.BOOKED), (VISIT, S.VOLUNTEER_CONFIRMED)],
            CaseStatus.ARRANGED,
        ),
        # Nothing the platform arranges: the case is never "arranged" by it.
        (CaseStatus.OPEN, [(GP, S.REQUESTED)], CaseStatus.OPEN),
    ],
)
def test_the_case_status_follows_its_needs(
    current: CaseStatus, needs: list[tuple[NeedType, S]], expected: CaseStatus
) -> None:
    assert case_status(current, needs) is expected


COURSE = NeedType.PREVENTION_COURSE


@pytest.mark.parametrize(
    ("current", "progress", "expected"),
    [
        (S.REQUESTED, Progress.WAITLISTED, S.WAITLISTED),
        (S.WAITLISTED, Progress.BOOKING_CONFIRMED, S.BOOKED),  # promoted
        (S.WAITLISTED, Progress.OFFERED, S.OFFERED),
        (S.OFFERED, Progress.BOOKING_CONFIRMED, S.BOOKED),  # the offer accepted
        (S.OFFERED, Progress.DECLINED, S.DECLINED),
        (S.OFFERED, Progress.EXPIRED, S.EXPIRED),
        (S.BOOKED, Progress.CANCELLED, S.CANCELLED),
        (S.WAITLISTED, Progress.CANCELLED, S.CANCELLED),
        (S.CANCELLED, Progress.BOOKING_CONFIRMED, S.BOOKED),  # registered anew by staff
        (S.EXPIRED, Progress.WAITLISTED, S.WAITLISTED),
    ],
)
def test_a_place_moves_the_need(current: S, progress: Progress, expected: S) -> None:
    assert next_need_state(current, progress) is expected


@pytest.mark.parametrize(
    ("current", "progress"),
    [
        (S.BOOKED, Progress.WAITLISTED),  # never back onto the list while holding a place
        (S.BOOKED, Progress.EXPIRED),  # only an offer expires
        (S.WAITLISTED, Progress.DECLINED),
        (S.VOLUNTEER_CONFIRMED, Progress.CANCELLED),  # bookings are not volunteers' matches
    ],
)
def test_a_place_report_that_does_not_fit_changes_nothing(current: S, progress: Progress) -> None:
    assert next_need_state(current, progress) is None


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        # Waiting for a course place is progress, not yet arranged.
        ([(CARE, S.BOOKED), (COURSE, S.WAITLISTED)], CaseStatus.IN_PROGRESS),
        ([(CARE, S.BOOKED), (COURSE, S.BOOKED)], CaseStatus.ARRANGED),
        # An offer nobody answered: somebody should call.
        ([(CARE, S.BOOKED), (COURSE, S.EXPIRED)], CaseStatus.NEEDS_ATTENTION),
        # Withdrawn on purpose: nothing holds the case back.
        ([(CARE, S.BOOKED), (COURSE, S.CANCELLED)], CaseStatus.ARRANGED),
        ([(CARE, S.BOOKED), (COURSE, S.DECLINED)], CaseStatus.ARRANGED),
        # A course need nobody chose a course for stays with people.
        ([(CARE, S.BOOKED), (COURSE, S.REQUESTED)], CaseStatus.ARRANGED),
        # Everything withdrawn: something happened, nothing is arranged.
        ([(CARE, S.CANCELLED)], CaseStatus.IN_PROGRESS),
    ],
)
def test_places_in_the_case_status(needs: list[tuple[NeedType, S]], expected: CaseStatus) -> None:
    assert case_status(CaseStatus.IN_PROGRESS, needs) is expected
