"""The service factory: a FastAPI app whose lifespan also owns Kafka and the outbox relay.

FastStream's FastAPI plugin is deprecated, so the broker is started and stopped here, in the
lifespan, next to the database and the relay (one process per service, one place to look).
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI
from faststream.kafka import KafkaBroker

from cq_shared.auth.setup import install_auth
from cq_shared.clock import Clock, SystemClock
from cq_shared.db.database import Database
from cq_shared.db.migrations import upgrade_to_head
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec
from cq_shared.http.problems import install_problem_handlers
from cq_shared.messaging.connection import faststream_security
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.relay import OutboxRelay
from cq_shared.messaging.subscription import attach
from cq_shared.messaging.topic_admin import ensure_topics
from cq_shared.retention import RetentionPruner, RetentionSettings
from cq_shared.service.context import ServiceContext
from cq_shared.service.contract import contract_router
from cq_shared.service.gc_tuning import tune_garbage_collector
from cq_shared.service.health import health_router, require_started
from cq_shared.service.spec import ServiceSpec
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings, SiteSettings
from cq_shared.sites import SiteCatalogue, load_site_catalogue
from cq_shared.telemetry.http_metrics import instrument_http_metrics
from cq_shared.telemetry.logging import setup_logging
from cq_shared.telemetry.metrics import configure_metrics, metrics_router
from cq_shared.telemetry.settings import TelemetrySettings
from cq_shared.telemetry.tracing import instrument_fastapi, setup_tracing
from cq_shared.timers.runner import TimerRunner

log = logging.getLogger(__name__)
RESTART_SECONDS = 2.0


def create_service_app(spec: ServiceSpec, *, clock: Clock | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts (so importing is free). The
    site catalogue is read here: a file that does not validate stops the start."""
    sites = load_site_catalogue(SiteSettings().file)
    RetentionSettings()  # refuses an inbox period shorter than a redelivery can come

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _running(spec, app, clock or SystemClock(), sites):
            yield

    app = FastAPI(
        title=spec.title,
        version=spec.version,
        description=spec.description,
        lifespan=lifespan,
    )
    app.state.sites = sites
    # What the app runs, for checks that read it (tests/test_acl_matrix.py: the topics its
    # consumers read must be among those the broker's ACLs let this service read).
    app.state.spec = spec
    install_problem_handlers(app)
    install_auth(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(contract_router)
    for router in spec.routers:
        app.include_router(router, dependencies=[Depends(require_started)])
    instrument_http_metrics(app)
    instrument_fastapi(app)
    return app


@asynccontextmanager
async def _running(
    spec: ServiceSpec, app: FastAPI, clock: Clock, sites: SiteCatalogue
) -> AsyncIterator[None]:
    """Start the service; if its database or Kafka is unreachable, keep trying in the
    background while the app already answers (`/readyz` 503, every other path 503 too)."""
    telemetry = TelemetrySettings(service_name=spec.name)
    setup_logging(telemetry)
    setup_tracing(telemetry)
    configure_metrics(spec.name)
    database = Database(DatabaseSettings())
    app.state.database = database
    app.state.context = None
    first_attempt_over = asyncio.Event()
    async with AsyncExitStack() as running:

        async def start_until_up() -> None:
            while True:
                try:
                    async with AsyncExitStack() as attempt:
                        app.state.context = await _start(spec, clock, sites, database, attempt)
                        running.push_async_exit(attempt.pop_all())
                    log.info("%s is up", spec.name)
                    return
                except Exception as error:  # any failure: log it and try again later
                    log.warning(
                        "%s could not start (%s); retrying in %ss",
                        spec.name,
                        type(error).__name__,
                        RESTART_SECONDS,
                        # Start-up handles no personal data: the traceback is safe to log.
                        exc_info=True,
                    )
                finally:
                    first_attempt_over.set()
                await asyncio.sleep(RESTART_SECONDS)

        starting = asyncio.create_task(start_until_up())
        await first_attempt_over.wait()
        try:
            yield
        finally:
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
    await database.dispose()


async def _start(
    spec: ServiceSpec,
    clock: Clock,
    sites: SiteCatalogue,
    database: Database,
    stack: AsyncExitStack,
) -> ServiceContext:
    """One attempt to connect everything; what it started is stopped by `stack`."""
    kafka = KafkaSettings(client_id=f"carequartier-{spec.name}")
    messaging = MessagingSettings()
    if spec.migrations is not None:
        await asyncio.to_thread(upgrade_to_head, database.url, spec.migrations)
    producer = idempotent_producer(kafka)
    await producer.start()
    stack.push_async_callback(producer.stop)
    context = ServiceContext(
        name=spec.name,
        database=database,
        producer=producer,
        writer=EventWriter(spec.name, clock),
        clock=clock,
        kafka=kafka,
        messaging=messaging,
        sites=sites,
    )
    consumers = spec.consumers(context)
    await ensure_topics(kafka, _topics_used(spec.name, consumers), owner=spec.name)
    broker = KafkaBroker(
        kafka.bootstrap_servers,
        client_id=kafka.client_id,
        security=faststream_security(kafka),
        logger=None,
    )
    for consumer in consumers:
        attach(consumer, broker)
    relay = OutboxRelay(database, producer, messaging)
    loops = [asyncio.create_task(_supervise("outbox relay", relay.run))]
    if spec.migrations is not None:  # the kernel's tables exist
        pruner = RetentionPruner(database, clock=clock, settings=RetentionSettings())
        loops.append(asyncio.create_task(_supervise("retention pruner", pruner.run)))
    stack.push_async_callback(_cancel, loops)
    for hook in spec.on_startup:
        await hook(context)
    await broker.start()
    stack.push_async_callback(broker.stop)
    loops += [
        asyncio.create_task(_supervise(loop.__name__, partial(loop, context)))
        for loop in spec.background
    ]
    if timer_handlers := spec.timers(context):
        timers = TimerRunner(database, timer_handlers, clock=clock, retry=context.retry_policy)
        loops.append(asyncio.create_task(_supervise("timer runner", timers.run)))
    tune_garbage_collector()
    return context


def _topics_used(service: str, consumers: Sequence[InboxConsumer]) -> list[TopicSpec]:
    """The declared topics this service writes or reads, with their dead-letter topics."""
    read = {topic for consumer in consumers for topic in consumer.topics}
    return [
        each
        for spec in catalogue.topics()
        if spec.owner == service or spec.name in read
        for each in spec.with_dead_letters()
    ]


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _supervise(name: str, run: Callable[[], Awaitable[None]]) -> None:
    """Keep a loop running through database or broker outages. For the relay a restart is
    safe because unpublished rows stay in the outbox."""
    while True:
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s stopped; restarting in %ss", name, RESTART_SECONDS)
            await asyncio.sleep(RESTART_SECONDS)
