"""The consumers that need several areas (recipients or staff, and deliveries, which depend on
them only one way); the case-updates consumer needs deliveries only and lives there.

The recipients consumer: RecipientsRegistered, CaseOpened and CaseErased from intake.

A consumer of its own (group `notifications.recipients`), not a handler on the case-updates
consumer: a registration must never queue behind other services' events (a slow or failing
one is retried in place). It also turns intake's CaseOpened into deliveries: that event
follows the registration on the same partition (key = case), so here it always finds the
recipients, in the same batch transaction, without waiting on another consumer's locks.
News from other topics that arrives before the registration is parked by the case-updates
consumer and released here (see docs/decisions/0008 on this consumer-group arrangement).
"""

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import staff_news
from cq_notifications.deliveries.consent import consent_changed
from cq_notifications.deliveries.erasure import erase_case
from cq_notifications.deliveries.handlers import tell
from cq_notifications.deliveries.refs import EventRef
from cq_notifications.deliveries.segments import registrations_then_news
from cq_notifications.deliveries.service import release_parked_many
from cq_notifications.recipients.service import (
    destroy_key,
    receive_keys,
    register_recipients_many,
    register_sealed_many,
)
from cq_shared.contracts.intake import (
    CaseErased,
    CaseKeyDestroyed,
    CaseKeyIssued,
    CaseOpened,
    CaseOpenedV2,
    ConsentChanged,
    RecipientsRegistered,
    RecipientsRegisteredV2,
)
from cq_shared.contracts.staffing import (
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
    StaffMemberRegistered,
    StaffMemberRemoved,
)
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext

GROUP = "recipients"
REGISTRATIONS = (RecipientsRegistered, RecipientsRegisteredV2)
GAP_EVENTS = (ShiftGapOpened, ShiftGapOffered, ShiftOfferEnded, ShiftGapFilled, ShiftGapUnfilled)


def recipients_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer(GROUP)

    @consumer.handles_batch(RecipientsRegistered, RecipientsRegisteredV2, CaseOpened, CaseOpenedV2)
    async def on_registrations_and_news(
        session: AsyncSession, events: Sequence[ReceivedEvent[Any]]
    ) -> None:
        parts = registrations_then_news(events, is_registration=REGISTRATIONS)
        for registrations, news in parts:
            if registrations:
                payloads = [event.payload for event in registrations]
                plain = [p for p in payloads if isinstance(p, RecipientsRegistered)]
                sealed = [p for p in payloads if isinstance(p, RecipientsRegisteredV2)]
                registered = await register_recipients_many(session, plain, context.clock)
                if sealed:
                    registered |= await register_sealed_many(session, sealed, context.clock)
                if registered:
                    await release_parked_many(
                        session, registered, clock=context.clock, sites=context.sites
                    )
            if news:
                await tell(session, news, context)

    @consumer.handles(ConsentChanged)
    async def on_consent_changed(
        session: AsyncSession, event: ReceivedEvent[ConsentChanged]
    ) -> None:
        await consent_changed(session, event.payload, context.writer)

    @consumer.handles(CaseErased)
    async def on_case_erased(session: AsyncSession, event: ReceivedEvent[CaseErased]) -> None:
        await erase_case(session, event.payload, context.writer, context.clock)

    return consumer


def case_keys_consumer(context: ServiceContext) -> InboxConsumer:
    """Group `notifications.case-keys`: the keys of the cases' sealed contact points. A key
    that arrives after its registration opens it here (and releases the news parked for
    the case); a destroyed key stays destroyed.

    One key per transaction: registering takes the case's lock exclusively, as the recipients
    consumer's batches do for many cases at a time; holding one case's locks only, this
    consumer can never close a deadlock cycle with them (in batches it did, under erasures,
    and each deadlock stalled both consumers for PostgreSQL's 1 s deadlock_timeout)."""
    consumer = context.inbox_consumer("case-keys", one_at_a_time=True)

    @consumer.handles(CaseKeyIssued)
    async def on_key(session: AsyncSession, event: ReceivedEvent[CaseKeyIssued]) -> None:
        registered = await receive_keys(session, [event.payload], context.clock)
        if registered:
            await release_parked_many(session, registered, clock=context.clock, sites=context.sites)

    @consumer.handles(CaseKeyDestroyed)
    async def on_key_destroyed(
        session: AsyncSession, event: ReceivedEvent[CaseKeyDestroyed]
    ) -> None:
        await destroy_key(session, event.payload.case_id, context.clock)

    return consumer


def staffing_consumer(context: ServiceContext) -> InboxConsumer:
    """Group `notifications.staffing`: scheduling's staff gaps (journey 4). Staff members'
    contact points are kept and forgotten here, and each step of a gap is told to the person
    and the unit lead (deliveries/staff_news.py). A consumer of its own: staff mails never
    wait behind case news, nor case news behind them."""
    consumer = context.inbox_consumer("staffing")

    @consumer.handles(StaffMemberRegistered)
    async def on_registered(
        session: AsyncSession, event: ReceivedEvent[StaffMemberRegistered]
    ) -> None:
        await staff_news.register(session, event.payload, clock=context.clock, sites=context.sites)

    @consumer.handles(StaffMemberRemoved)
    async def on_removed(session: AsyncSession, event: ReceivedEvent[StaffMemberRemoved]) -> None:
        await staff_news.remove(session, event.payload)

    async def on_gap(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        await staff_news.tell(
            session, EventRef.of(event), event.payload, clock=context.clock, sites=context.sites
        )

    for gap_event in GAP_EVENTS:
        consumer.handles(gap_event)(on_gap)

    return consumer
