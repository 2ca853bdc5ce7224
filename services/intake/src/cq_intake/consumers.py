"""Intake's one consumer group, `intake.case-progress`: what the other services report about a
case, its needs (cases area) and its erasure (erasure area), in the order they reported it."""

from cq_intake.cases import handlers as cases
from cq_intake.erasure import handlers as erasure
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service import ServiceContext


def consumers(context: ServiceContext) -> list[InboxConsumer]:
    consumer = context.inbox_consumer("case-progress")
    cases.register(consumer, context)
    erasure.register(consumer)
    return [consumer]
