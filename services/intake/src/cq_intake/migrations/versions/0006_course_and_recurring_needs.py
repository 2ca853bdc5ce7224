"""Revision 0006 after 0005: a need may name a course (prevention_course) and may recur
(weekdays up to `until`, or an RFC 5545 rule), as the request gave them."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0006"
down_revision: str = "0005"


def upgrade() -> None:
    op.add_column("needs", sa.Column("course_id", sa.Uuid(), nullable=True))
    op.add_column("needs", sa.Column("until", sa.Date(), nullable=True))
    op.add_column("needs", sa.Column("weekdays", ARRAY(sa.Text()), nullable=True))
    op.add_column("needs", sa.Column("rrule", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("needs", "rrule")
    op.drop_column("needs", "weekdays")
    op.drop_column("needs", "until")
    op.drop_column("needs", "course_id")
