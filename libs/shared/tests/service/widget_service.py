"""A tiny service built with the factory, as the services are: a route that writes an event
through the outbox and a consumer that records it."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.auth.dependencies import require_roles
from cq_shared.auth.principal import Principal
from cq_shared.db.dependencies import SessionDep
from cq_shared.events.catalogue import EventCatalogue
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app

from ..messaging.support import create_tables, effects, widget_event


class NewWidget(BaseModel):
    widget_id: str
    colour: str


def build(topic: str) -> FastAPI:
    widget = widget_event(topic)
    events = EventCatalogue()
    events.register(widget)
    router = APIRouter()

    @router.post("/v1/sites/{site}/widgets", status_code=201)
    async def create_widget(
        site: str,
        body: NewWidget,
        session: SessionDep,
        request: Request,
        who: Annotated[Principal, Depends(require_roles("coordinator"))],
    ) -> dict[str, str]:
        who.require_site(site)
        context: ServiceContext = request.app.state.context
        event_id = await context.writer.add(
            session,
            widget(widget_id=body.widget_id, sequence=1, colour=body.colour),
            subject=body.widget_id,
            site=site,
        )
        return {"event_id": str(event_id)}

    def consumers(context: ServiceContext) -> list[InboxConsumer]:
        consumer = InboxConsumer(
            name=context.consumer_group("widgets"),
            database=context.database,
            dlq_producer=context.producer,
            events=events,
            retry=context.retry_policy,
        )

        @consumer.handles(widget)
        async def record(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            await session.execute(insert(effects).values(event_id=event.envelope.id))

        return [consumer]

    async def prepare_tables(context: ServiceContext) -> None:
        await create_tables(context.database)

    return create_service_app(
        ServiceSpec(
            name="widgets",
            title="Widgets (test)",
            routers=[router],
            consumers=consumers,
            on_startup=[prepare_tables],
        )
    )
