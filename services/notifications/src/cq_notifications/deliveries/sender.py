"""The sender loop: workers send due pending deliveries and record the outcomes.

Each delivery is claimed (FOR UPDATE SKIP LOCKED), sent and marked in one transaction, and
DeliverySent / DeliveryFailed go to the outbox in that same transaction. A crash after the
SMTP server accepted the mail but before the commit sends it again later (at least once);
the Message-ID, derived from the delivery id, makes such a duplicate recognisable.
"""

import asyncio
import logging
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import repository
from cq_notifications.deliveries.failed import failures
from cq_notifications.deliveries.mailer import SendError, SmtpMailer, compose
from cq_notifications.deliveries.repository import DueDelivery
from cq_notifications.settings import NotificationsSettings, SmtpSettings
from cq_shared.clock import Clock
from cq_shared.contracts.notifications import DeliverySent
from cq_shared.db.database import Database
from cq_shared.db.notify import Wakeup, listening
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.retry import RetryPolicy
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)


class DeliverySender:
    def __init__(
        self,
        *,
        database: Database,
        writer: EventWriter,
        clock: Clock,
        mailer: SmtpMailer,
        settings: NotificationsSettings,
    ) -> None:
        self.database = database
        self.writer = writer
        self.clock = clock
        self.mailer = mailer
        self.settings = settings
        self.backoff = RetryPolicy(
            max_attempts=settings.send_max_attempts,
            base_seconds=settings.send_retry_base_seconds,
            max_seconds=settings.send_retry_max_seconds,
        )

    async def send_next(self) -> bool:
        """Attempt the next due delivery; False when none is due."""
        async with self.database.unit_of_work() as session:
            delivery = await repository.claim_next_due(session, self.clock.now())
            if delivery is None:
                return False
            await self._attempt(session, delivery)
        return True

    async def _attempt(self, session: AsyncSession, delivery: DueDelivery) -> None:
        now = self.clock.now()
        delivery.attempts += 1
        try:
            await self.mailer.send(compose(delivery, mail_from=self.settings.mail_from, now=now))
        except SendError as error:
            await self._failed_attempt(session, delivery, error.reason, transient=error.transient)
            return
        except Exception as error:
            log.exception("unexpected error sending delivery %s", delivery.delivery_id)
            await self._failed_attempt(session, delivery, type(error).__name__, transient=True)
            return
        await repository.mark_sent(session, delivery, now)
        if delivery.case_id is None:
            # About no case (a shift gap told to staff): the deliveries topic is a case's
            # contact history, keyed by the case; nobody reads a staff mail's receipt there.
            return
        await self.writer.add(
            session,
            DeliverySent(
                delivery_id=delivery.delivery_id,
                case_id=delivery.case_id,
                site=delivery.site,
                recipient_role=delivery.recipient_role,
                channel=delivery.channel,
                language=delivery.language,
                template=delivery.template,
            ),
            subject=str(delivery.case_id),
            site=delivery.site,
        )
        log.debug("delivery %s sent", delivery.delivery_id)

    async def _failed_attempt(
        self, session: AsyncSession, delivery: DueDelivery, reason: str, *, transient: bool
    ) -> None:
        if transient and delivery.attempts < self.settings.send_max_attempts:
            delay = self.backoff.delay_before(delivery.attempts + 1)
            at = self.clock.now() + timedelta(seconds=delay)
            await repository.retry_later(session, delivery, reason, at)
            log.warning("delivery %s failed (%s); retrying", delivery.delivery_id, reason)
            return
        await repository.mark_failed(session, delivery, reason)
        await self.writer.add_many(session, failures([delivery], reason))
        log.warning("delivery %s failed for good (%s)", delivery.delivery_id, reason)


async def sender_loop(context: ServiceContext) -> None:
    """Background loop of the service (ServiceSpec.background): `send_workers` senders, all
    woken by LISTEN/NOTIFY when a handler commits new deliveries; they also poll, for
    retries that fall due later."""
    settings = NotificationsSettings()
    async with (
        listening(context.database.url, repository.PENDING_CHANNEL) as wakeup,
        asyncio.TaskGroup() as workers,
    ):
        for _ in range(settings.send_workers):
            sender = DeliverySender(
                database=context.database,
                writer=context.writer,
                clock=context.clock,
                mailer=SmtpMailer(SmtpSettings()),
                settings=settings,
            )
            workers.create_task(_send_until_cancelled(sender, wakeup, settings))


async def _send_until_cancelled(
    sender: DeliverySender, wakeup: Wakeup, settings: NotificationsSettings
) -> None:
    try:
        while True:
            try:
                sent = await sender.send_next()
            except Exception:
                # One worker's failure (a database blip) must not cancel the others in the
                # middle of a send: this one pauses and goes on.
                log.exception("a delivery sender failed; it goes on after a pause")
                await asyncio.sleep(settings.send_poll_seconds)
                continue
            if not sent:
                await wakeup.wait(settings.send_poll_seconds)
    finally:
        sender.mailer.close()
