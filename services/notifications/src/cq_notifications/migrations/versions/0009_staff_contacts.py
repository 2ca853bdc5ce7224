"""Revision 0009 after 0008: staff members' contact points (issue 10, journey 4) and
deliveries about no case (a shift gap told to staff): `deliveries.case_id` becomes nullable."""

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str = "0008"


def upgrade() -> None:
    op.create_table(
        "staff_contacts",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("unit_lead", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )
    op.create_index("ix_staff_contacts_unit", "staff_contacts", ["site", "unit"])
    op.alter_column("deliveries", "case_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE case_id IS NULL")
    op.alter_column("deliveries", "case_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_index("ix_staff_contacts_unit", table_name="staff_contacts")
    op.drop_table("staff_contacts")
