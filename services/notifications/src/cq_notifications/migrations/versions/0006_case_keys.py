"""Revision 0006 after 0005: the keys of the cases' sealed contact points, and the sealed
registrations that wait for theirs (crypto-shredding, decision 0012)."""

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str = "0005"


def upgrade() -> None:
    op.create_table(
        "case_keys",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=True),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "sealed_registrations",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("sealed_recipients", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )


def downgrade() -> None:
    op.drop_table("sealed_registrations")
    op.drop_table("case_keys")
