"""The durable timer that ends a hold at its `expires_at` (docs/decisions/0009). Its key
names the booking, so confirming or releasing the hold cancels exactly that one; its payload
is the booking's id, nothing personal."""

import uuid

HOLD_EXPIRY = "booking.hold-expiry"


def hold_timer_key(booking_id: uuid.UUID) -> str:
    return f"booking-hold:{booking_id}"
