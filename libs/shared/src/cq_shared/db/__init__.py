"""The database: async SQLModel sessions on asyncpg, a unit of work per request or message."""

from cq_shared.db.database import Database
from cq_shared.db.dependencies import SessionDep, session_dependency

__all__ = ["Database", "SessionDep", "session_dependency"]
