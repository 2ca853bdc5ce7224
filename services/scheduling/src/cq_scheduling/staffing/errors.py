"""The staffing area's refusals, each with its HTTP status (cq_shared.errors)."""

from cq_shared.errors import ConflictError, ForbiddenError, NotFoundError


class StaffMemberNotFoundError(NotFoundError):
    pass


class OfferNotFoundError(NotFoundError):
    pass


class NotYourOfferError(ForbiddenError):
    """Only the person offered the shift answers, or a coordinator on their behalf."""


class OfferNotOpenError(ConflictError):
    pass


class AbsenceOverlapsError(ConflictError):
    pass


class ShiftOverlapsError(ConflictError):
    pass


class OfferBreaksRulesError(ConflictError):
    """Taking the offered shift would now break a rule (the person's work or absences changed
    since the offer): the offer is withdrawn and the gap moves on."""
