"""Revision 0010 after 0009: gap events that name a person whose contact point has not
arrived yet wait for it (staff.models.WaitingStaffNews)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0010"
down_revision: str = "0009"


def upgrade() -> None:
    op.create_table(
        "waiting_staff_news",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("event_source", sa.String(length=300), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("data", JSONB(), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", "event_source", "event_id"),
    )


def downgrade() -> None:
    op.drop_table("waiting_staff_news")
