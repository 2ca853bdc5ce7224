"""The priority rank a waiting entry gets on arrival, by its site's rule (decision 0018).

Every pool's queue is ordered by (rank, arrival): promotion, offers and positions all sort
and count by that pair (waitlist/repository.py), so courses and places wait by the same rule.
Under `arrival` everybody has rank 0 (first come, first served). Under `urgency` the case's
urgency (intake's, or given by staff) ranks it: emergency -2, urgent -1, routine 0. Routine
is 0 on purpose: a site that switches its rule keeps those already waiting (rank 0) level
with routine newcomers, never in front of an emergency nor behind a later routine case. A
rank is fixed on arrival: a changed rule applies to arrivals from then on."""

from cq_shared.contracts.common import Urgency

RANKS = {Urgency.EMERGENCY: -2, Urgency.URGENT: -1, Urgency.ROUTINE: 0}


def rank_of(urgency: Urgency) -> int:
    """The rank under the `urgency` rule; the arrival's statement applies it only where the
    site has that rule (no extra round trip on the registrations' hot path)."""
    return RANKS[urgency]
