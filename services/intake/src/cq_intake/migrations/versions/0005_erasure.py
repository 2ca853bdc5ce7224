"""Revision 0005 after 0004: erasure. Cases remember when their person was erased; the
client's birth date and postal code may be gone while the age band (taken now from the birth
date for existing rows) stays for statistics; the other services' receipts are kept."""

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str = "0004"

# The same bands as cq_intake.cases.age, in SQL, for the rows that exist already.
_AGE_BAND = """
UPDATE clients SET age_band = CASE
    WHEN years < 60 THEN 'under 60'
    WHEN years >= 90 THEN '90+'
    ELSE (years / 10 * 10)::text || '-' || (years / 10 * 10 + 9)::text
END
FROM (SELECT id AS client_id, date_part('year', age(current_date, birth_date))::int AS years
      FROM clients) AS ages
WHERE clients.id = ages.client_id
"""


def upgrade() -> None:
    op.add_column("cases", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clients", sa.Column("age_band", sa.String(), nullable=True))
    op.execute(_AGE_BAND)
    op.alter_column("clients", "age_band", nullable=False)
    op.alter_column("clients", "birth_date", nullable=True)
    op.alter_column("clients", "postal_code", nullable=True)
    op.create_table(
        "case_keys",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "erasure_receipts",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("service", sa.String(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "service"),
    )


def downgrade() -> None:
    op.drop_table("erasure_receipts")
    op.drop_table("case_keys")
    op.alter_column("clients", "postal_code", nullable=False)
    op.alter_column("clients", "birth_date", nullable=False)
    op.drop_column("clients", "age_band")
    op.drop_column("cases", "erased_at")
