"""Who a message goes to, whether a case recipient or a volunteer."""

from dataclasses import dataclass

from cq_notifications.recipients.models import CaseRecipient
from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.contracts.volunteering import MatchProposed

# Case news goes to the people around the client who intake registered with consent; a
# legal representative acts for the client, so is told as the client would be.
CASE_CONTACT_ROLES = frozenset(
    {RecipientRole.CLIENT, RecipientRole.RELATIVE, RecipientRole.LEGAL_REPRESENTATIVE}
)


@dataclass(frozen=True)
class Addressee:
    key: str  # unique among the recipients of one event
    role: RecipientRole
    address: str
    language: Language
    given_name: str
    family_name: str


def case_contacts(recipients: list[CaseRecipient]) -> list[Addressee]:
    """The case's contacts reachable by e-mail (the only channel so far)."""
    return [
        Addressee(
            key=str(recipient.recipient_id),
            role=recipient.role,
            address=recipient.email,
            language=recipient.language,
            given_name=recipient.given_name,
            family_name=recipient.family_name,
        )
        for recipient in recipients
        if recipient.role in CASE_CONTACT_ROLES and recipient.email
    ]


def proposed_volunteer(event: MatchProposed) -> list[Addressee]:
    if not event.volunteer_email:
        return []
    return [
        Addressee(
            key=f"volunteer:{event.volunteer_id}",
            role=RecipientRole.VOLUNTEER,
            address=event.volunteer_email,
            language=event.volunteer_language,
            given_name=event.volunteer_given_name,
            family_name="",
        )
    ]
