"""What a service tells the factory about itself."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fastapi import APIRouter

from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service.context import ServiceContext
from cq_shared.timers.model import TimerHandler

ConsumerFactory = Callable[[ServiceContext], Sequence[InboxConsumer]]
StartupHook = Callable[[ServiceContext], Awaitable[None]]
# Timer kind -> handler; the process fires due timers of these kinds (cq_shared.timers).
TimerFactory = Callable[[ServiceContext], Mapping[str, TimerHandler]]
# A loop that runs for the life of the process (e.g. a mail sender); restarted if it fails.
BackgroundLoop = Callable[[ServiceContext], Awaitable[None]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # "intake": the event source segment, metrics label and default consumer prefix
    title: str
    version: str = "0.1.0"
    description: str = ""
    migrations: str | None = None  # Alembic script location in package form: "cq_intake:migrations"
    routers: Sequence[APIRouter] = ()
    consumers: ConsumerFactory = field(default=lambda _context: ())
    timers: TimerFactory = field(default=lambda _context: {})
    on_startup: Sequence[StartupHook] = ()
    background: Sequence[BackgroundLoop] = ()
