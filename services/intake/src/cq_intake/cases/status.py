"""The case state machine, pure: how a reported outcome moves a need, and what the needs'
states make of the case. No I/O, so every rule is unit-tested directly."""

from collections.abc import Iterable
from enum import StrEnum

from cq_shared.contracts import NeedType


class NeedState(StrEnum):
    REQUESTED = "requested"
    BOOKED = "booked"
    UNAVAILABLE = "unavailable"
    VOLUNTEER_PROPOSED = "volunteer_proposed"
    VOLUNTEER_CONFIRMED = "volunteer_confirmed"
    UNFILLED = "unfilled"
    # A place (a course's, a day's, the guest apartment's; issue 9): waiting for one, or
    # one held until the person answers.
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    # Ended without (or after) a place: cancelled by staff, an offer declined, or an offer
    # not answered in time.
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ARRANGED = "arranged"
    NEEDS_ATTENTION = "needs_attention"


class Progress(StrEnum):
    """What another service reported about one need."""

    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_UNAVAILABLE = "booking_unavailable"
    MATCH_PROPOSED = "match_proposed"
    MATCH_ACCEPTED = "match_accepted"
    MATCH_DECLINED = "match_declined"
    MATCH_UNFILLED = "match_unfilled"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"
    # A recurring need's series (day care every Tuesday and Thursday) is told whole after
    # every change (BookingSeriesChanged, in order on the case's partition): each report is
    # the series' state now, so it moves the need from any state (see series_reports.py).
    SERIES_BOOKED = "series_booked"
    SERIES_WAITLISTED = "series_waitlisted"
    SERIES_OFFERED = "series_offered"
    SERIES_UNAVAILABLE = "series_unavailable"
    SERIES_CANCELLED = "series_cancelled"


# The needs scheduling and volunteering arrange; the others (a doctor referral, a medication
# plan...) are worked on by people and do not hold a case back from "arranged".
ACTED_ON: frozenset[NeedType] = frozenset(
    {
        NeedType.SHORT_TERM_CARE,
        NeedType.COUNSELLING,
        NeedType.DAY_CARE,
        NeedType.VOLUNTEER_VISIT,
        NeedType.ACCOMPANIMENT,
    }
)
SETTLED: frozenset[NeedState] = frozenset({NeedState.BOOKED, NeedState.VOLUNTEER_CONFIRMED})
# An offer that ran out unanswered: somebody should call the person.
STUCK: frozenset[NeedState] = frozenset(
    {NeedState.UNAVAILABLE, NeedState.UNFILLED, NeedState.EXPIRED}
)
# Withdrawn on purpose (cancelled, an offer declined): nothing left to arrange for the need,
# so it holds no case back from "arranged".
WITHDRAWN: frozenset[NeedState] = frozenset({NeedState.CANCELLED, NeedState.DECLINED})

_R, _B, _U = NeedState.REQUESTED, NeedState.BOOKED, NeedState.UNAVAILABLE
_P, _C, _F = NeedState.VOLUNTEER_PROPOSED, NeedState.VOLUNTEER_CONFIRMED, NeedState.UNFILLED
_W, _O = NeedState.WAITLISTED, NeedState.OFFERED
_X, _D, _E = NeedState.CANCELLED, NeedState.DECLINED, NeedState.EXPIRED
# A place asked for again after it ended (staff register the case anew): progress again.
_ENDED = frozenset({_X, _D, _E})
_ANY = frozenset(NeedState)

# progress -> (states it may move a need from, the state it moves it to). A report from any
# other state is stale (it crossed a later outcome) and must not undo that outcome: e.g. a
# decline arriving after the need was confirmed by another volunteer, or "no capacity" for a
# need that has been booked since.
_MOVES: dict[Progress, tuple[frozenset[NeedState], NeedState]] = {
    # A booking also settles a need that was unavailable (capacity was found after all) or
    # waiting (promoted from the waiting list, an offer accepted).
    Progress.BOOKING_CONFIRMED: (frozenset({_R, _U, _B, _W, _O}) | _ENDED, _B),
    Progress.BOOKING_UNAVAILABLE: (frozenset({_R, _U}), _U),
    # After "unfilled" a coordinator may widen the search; a new proposal is progress again.
    Progress.MATCH_PROPOSED: (frozenset({_R, _P, _F}), _P),
    Progress.MATCH_ACCEPTED: (frozenset({_R, _P, _F}), _C),
    # Declined: back to requested until volunteering proposes the next volunteer.
    Progress.MATCH_DECLINED: (frozenset({_P}), _R),
    Progress.MATCH_UNFILLED: (frozenset({_R, _P, _F}), _F),
    # Places (a course's, a day-care day's, the guest apartment's): on the waiting list,
    # then offered, promoted (booked) or ended.
    Progress.WAITLISTED: (frozenset({_R, _U, _W}) | _ENDED, _W),
    Progress.OFFERED: (frozenset({_R, _W, _O}), _O),
    Progress.CANCELLED: (frozenset({_R, _B, _W, _O, _X}), _X),
    Progress.DECLINED: (frozenset({_O}), _D),
    Progress.EXPIRED: (frozenset({_O}), _E),
    # A series' whole state: nothing it could cross is later than itself.
    Progress.SERIES_BOOKED: (_ANY, _B),
    Progress.SERIES_WAITLISTED: (_ANY, _W),
    Progress.SERIES_OFFERED: (_ANY, _O),
    Progress.SERIES_UNAVAILABLE: (_ANY, _U),
    Progress.SERIES_CANCELLED: (_ANY, _X),
}


def next_need_state(current: NeedState, progress: Progress) -> NeedState | None:
    """The need's new state, or None when the report is stale and changes nothing."""
    sources, target = _MOVES[progress]
    return target if current in sources else None


def case_status(current: CaseStatus, needs: Iterable[tuple[NeedType, NeedState]]) -> CaseStatus:
    """The case's status from its needs' states (checked in this order):
    needs_attention while any need is unavailable, unfilled or its offer expired; arranged
    once every need the platform acts on is settled (and there is at least one); open until
    anything moved; otherwise in_progress, which it stays even if a decline sends every need
    back. A need is acted on by its type, or once a service reported on it (a course place:
    a prevention course without a chosen course stays with people); a withdrawn one no more."""
    needs = list(needs)
    if any(state in STUCK for _, state in needs):
        return CaseStatus.NEEDS_ATTENTION
    acted_on = [
        state
        for need, state in needs
        if (need in ACTED_ON or state != NeedState.REQUESTED) and state not in WITHDRAWN
    ]
    if acted_on and all(state in SETTLED for state in acted_on):
        return CaseStatus.ARRANGED
    if current == CaseStatus.OPEN and all(state == NeedState.REQUESTED for _, state in needs):
        return CaseStatus.OPEN
    return CaseStatus.IN_PROGRESS
