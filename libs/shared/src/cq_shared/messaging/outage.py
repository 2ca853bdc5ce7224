"""Telling an outage of the database from a failure of the event being handled."""

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError


class NotYetError(Exception):
    """The event needs another one that has not been applied yet (it travels on another
    topic, so Kafka cannot order the two). Like an outage it is nobody's failure: the
    consumer waits and re-reads, spending none of the event's attempts and never
    dead-lettering it; the other event's consumer meanwhile catches up."""


def is_outage(error: BaseException) -> bool:
    """True when the database connection itself failed (server restarting, network gone).

    Such a failure says nothing about the event: retrying it a few times and dead-lettering
    it would park every event in flight during a short restart. The consumer instead stops,
    waits and re-reads the records from Kafka."""
    if isinstance(error, NotYetError):
        return True
    # Only the database layer's own errors: a handler's ConnectionError to some other system is
    # that handler's failure, retried and finally dead-lettered like any other.
    if isinstance(error, InterfaceError | OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated
