"""The events intake publishes when a case is opened, built from the stored rows.

Consent decides who appears: the client (if reachable) and, only with consent to notify
contacts, each contact who asked to be notified. Needs travel without their notes. What
events carry of a person is sealed with the case's key (contact points), or coarsened (the
postal code to its area): no event holds personal data readable without the key that
erasure destroys (decision 0012)."""

import base64
from collections.abc import Sequence

from pydantic import TypeAdapter

from cq_intake.cases.models import Case, Client, Contact, Need
from cq_intake.cases.vocabulary import Relation
from cq_shared.contracts.common import RecipientRole
from cq_shared.contracts.intake import (
    CaseKeyIssued,
    CaseOpenedV2,
    NeedRequested,
    Recipient,
    RecipientsRegistered,
    RecipientsRegisteredV2,
)
from cq_shared.crypto import seal

_RECIPIENTS = TypeAdapter(list[Recipient])
# A postal code's first three digits: the area a volunteer needs for "nearby" (thousands of
# people live in one), not the code that, with an age, can single a person out.
POSTAL_AREA_DIGITS = 3


def recipients_registered(
    case: Case, client: Client, contacts: Sequence[Contact]
) -> RecipientsRegistered:
    recipients: list[Recipient] = []
    if client.email is not None or client.phone is not None:
        recipients.append(
            Recipient(
                recipient_id=client.id,
                role=RecipientRole.CLIENT,
                given_name=client.given_name,
                family_name=client.family_name,
                email=client.email,
                phone=client.phone,
                language=client.language,
            )
        )
    if case.consent_notify_contacts:
        recipients += [_as_recipient(contact) for contact in contacts if contact.notify]
    return RecipientsRegistered(case_id=case.id, site=case.site, recipients=recipients)


def sealed_recipients_registered(
    case: Case, client: Client, contacts: Sequence[Contact], key: bytes
) -> RecipientsRegisteredV2:
    plain = recipients_registered(case, client, contacts)
    listed = _RECIPIENTS.dump_json(plain.recipients)
    return RecipientsRegisteredV2(
        case_id=case.id, site=case.site, sealed_recipients=seal(key, case.id, listed)
    )


def key_issued(case: Case, key: bytes) -> CaseKeyIssued:
    return CaseKeyIssued(case_id=case.id, site=case.site, key=base64.b64encode(key).decode())


def _as_recipient(contact: Contact) -> Recipient:
    role = (
        RecipientRole.LEGAL_REPRESENTATIVE
        if contact.relation == Relation.LEGAL_REPRESENTATIVE
        else RecipientRole.RELATIVE
    )
    return Recipient(
        recipient_id=contact.id,
        role=role,
        given_name=contact.given_name,
        family_name=contact.family_name,
        email=contact.email,
        phone=contact.phone,
        language=contact.language,
    )


def case_opened(case: Case, client: Client, needs: Sequence[Need]) -> CaseOpenedV2:
    assert client.postal_code is not None
    return CaseOpenedV2(
        case_id=case.id,
        site=case.site,
        urgency=case.urgency,
        channel=case.channel.value,
        language=client.language,
        postal_area=client.postal_code[:POSTAL_AREA_DIGITS],
        care_level=client.care_level,
        needs=[
            NeedRequested(
                need_id=need.id,
                type=need.type,
                start=need.start,
                days=need.days,
                course_id=need.course_id,
                until=need.until,
                weekdays=need.series_weekdays(),
                rrule=need.rrule,
            )
            for need in needs
        ],
        share_with_volunteers=case.consent_share_with_volunteers,
    )
