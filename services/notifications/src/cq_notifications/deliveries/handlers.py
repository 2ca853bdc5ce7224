"""The case-updates consumer (group `notifications.case-updates`): events that someone
should be told about become pending deliveries. The sender loop does the sending."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import messages
from cq_notifications.deliveries.addressees import proposed_volunteer
from cq_notifications.deliveries.service import notify_case_contacts, notify_others
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import BookingConfirmed, BookingUnavailable
from cq_shared.contracts.volunteering import MatchAccepted, MatchProposed
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext

GROUP = "case-updates"


def case_updates_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = InboxConsumer(
        name=context.consumer_group(GROUP),
        database=context.database,
        dlq_producer=context.producer,
        retry=context.retry_policy,
    )
    clock = context.clock

    @consumer.handles(CaseOpened)
    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
        case = event.payload
        await notify_case_contacts(
            session,
            event,
            case_id=case.case_id,
            site=case.site,
            message=messages.case_opened(case),
            clock=clock,
        )

    @consumer.handles(BookingConfirmed)
    async def on_booking_confirmed(
        session: AsyncSession, event: ReceivedEvent[BookingConfirmed]
    ) -> None:
        booking = event.payload
        await notify_case_contacts(
            session,
            event,
            case_id=booking.case_id,
            site=booking.site,
            message=messages.booking_confirmed(booking),
            clock=clock,
        )

    @consumer.handles(BookingUnavailable)
    async def on_booking_unavailable(
        session: AsyncSession, event: ReceivedEvent[BookingUnavailable]
    ) -> None:
        refusal = event.payload
        await notify_case_contacts(
            session,
            event,
            case_id=refusal.case_id,
            site=refusal.site,
            message=messages.booking_unavailable(refusal),
            clock=clock,
        )

    @consumer.handles(MatchProposed)
    async def on_match_proposed(session: AsyncSession, event: ReceivedEvent[MatchProposed]) -> None:
        match = event.payload
        await notify_others(
            session,
            event,
            case_id=match.case_id,
            site=match.site,
            message=messages.match_proposed(match),
            to=proposed_volunteer(match),
            clock=clock,
        )

    @consumer.handles(MatchAccepted)
    async def on_match_accepted(session: AsyncSession, event: ReceivedEvent[MatchAccepted]) -> None:
        match = event.payload
        await notify_case_contacts(
            session,
            event,
            case_id=match.case_id,
            site=match.site,
            message=messages.volunteer_found(match),
            clock=clock,
        )

    return consumer
