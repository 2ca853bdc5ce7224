"""Revision 0009 after 0008: a course remembers the public figures it last announced, so a
change that leaves them as they were announces nothing (decision 0015)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009"
down_revision: str = "0008"


def upgrade() -> None:
    op.add_column("courses", sa.Column("announced", JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("courses", "announced")
