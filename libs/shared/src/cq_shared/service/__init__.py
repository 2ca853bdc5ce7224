"""What every service process is made of: one FastAPI app that also runs its Kafka consumers
and its outbox relay, with health, metrics, auth and problem details wired the same way."""

from cq_shared.service.app import create_service_app
from cq_shared.service.context import ServiceContext
from cq_shared.service.spec import ServiceSpec

__all__ = ["ServiceContext", "ServiceSpec", "create_service_app"]
