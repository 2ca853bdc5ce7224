"""The case-updates consumer (group `notifications.case-updates`): scheduling's and
volunteering's events that someone should be told about become pending deliveries. The
sender loop does the sending.

News for a case whose recipients have not arrived yet is parked (see parking.py), not
retried: a retry in place would hold up every later event of this consumer."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import cancellations, messages, place_messages, series_news
from cq_notifications.deliveries.addressees import proposed_volunteer
from cq_notifications.deliveries.messages import FOR_CASE_CONTACTS
from cq_notifications.deliveries.refs import EventRef
from cq_notifications.deliveries.segments import distinct_cases
from cq_notifications.deliveries.service import (
    notify_case_contacts_many,
    notify_others,
)
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.volunteering import MatchProposed
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext

GROUP = "case-updates"
# Intake's own news (CaseOpened) is handled by the recipients consumer, right after the
# registration it follows on the same partition: see cq_notifications/consumers.py.
INTAKE_TOPICS = frozenset({CaseOpened.topic})


def case_updates_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer(GROUP)
    clock = context.clock

    first, *more = [model for model in FOR_CASE_CONTACTS if model.topic not in INTAKE_TOPICS]
    consumer.handles_batch(first, *more)(news_in_sets(context))

    @consumer.handles(MatchProposed)
    async def on_match_proposed(session: AsyncSession, event: ReceivedEvent[MatchProposed]) -> None:
        match = event.payload
        await notify_others(
            session,
            EventRef.of(event),
            case_id=match.case_id,
            site=match.site,
            message=messages.match_proposed(match),
            to=proposed_volunteer(match),
            clock=clock,
        )

    return consumer


def news_in_sets(
    context: ServiceContext,
) -> Callable[[AsyncSession, Sequence[ReceivedEvent[Any]]], Awaitable[None]]:
    """A batch handler: the news of a run, a few statements per part of distinct cases."""

    async def tell_case_contacts(
        session: AsyncSession, events: Sequence[ReceivedEvent[Any]]
    ) -> None:
        for part in distinct_cases(events):
            await tell(session, part, context)

    return tell_case_contacts


async def tell(
    session: AsyncSession, events: Sequence[ReceivedEvent[Any]], context: ServiceContext
) -> None:
    items = await series_news.sort_out(
        session,
        [(EventRef.of(event), event.payload) for event in events if _worth(event.payload)],
        now=context.clock.now(),
    )
    if not items:
        return
    await notify_case_contacts_many(session, items, clock=context.clock, sites=context.sites)


def _worth(payload: Any) -> bool:
    """Whether the case's contacts are told of this event at all (a series' days and changes:
    series_news.py)."""
    return cancellations.worth_telling(payload) and place_messages.worth_telling(payload)
