"""Revision 0010 after 0009: a shift offer may end `withdrawn` (decision 0019): the service
ends it when its person becomes absent during the shift, or when taking it would break a
rule by the time they accept."""

from alembic import op

revision: str = "0010"
down_revision: str = "0009"

_BEFORE = "status IN ('offered', 'accepted', 'declined', 'expired')"
_AFTER = "status IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')"


def upgrade() -> None:
    op.drop_constraint("ck_shift_offers_status", "shift_offers", type_="check")
    op.create_check_constraint("ck_shift_offers_status", "shift_offers", _AFTER)


def downgrade() -> None:
    # A withdrawn offer was ended without the person's answer: closest is `expired`.
    op.execute("UPDATE shift_offers SET status = 'expired' WHERE status = 'withdrawn'")
    op.drop_constraint("ck_shift_offers_status", "shift_offers", type_="check")
    op.create_check_constraint("ck_shift_offers_status", "shift_offers", _BEFORE)
