"""Revision 0008 after 0007: the last figures of each recurring need's series seen (issue 9,
journey 5), to mail a series' changes that matter once."""

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str = "0007"


def upgrade() -> None:
    op.create_table(
        "series_seen",
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("need_id"),
    )
    op.create_index("ix_series_seen_case_id", "series_seen", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_series_seen_case_id", table_name="series_seen")
    op.drop_table("series_seen")
