"""Intake requests (`POST /v1/requests` bodies) for every suite and the benchmarks: one
builder, parametrised, instead of a copy of the same body in each."""

from collections.abc import Sequence
from datetime import date
from typing import Any


def intake_request(
    site: str,
    *,
    client: dict[str, Any],
    needs: list[dict[str, Any]],
    contacts: Sequence[dict[str, Any]] = (),
    channel: str = "phone",
    urgency: str = "emergency",
    notify_contacts: bool = True,
) -> dict[str, Any]:
    """A request of `site` for `client` with `needs`, consenting to the data processing and
    to sharing with volunteers."""
    return {
        "site": site,
        "channel": channel,
        "urgency": urgency,
        "client": client,
        "contacts": list(contacts),
        "needs": needs,
        "consent": {
            "data_processing": True,
            "notify_contacts": notify_contacts,
            "share_with_volunteers": True,
        },
    }


def emergency_request(
    site: str,
    start: date,
    *,
    daughter_email: str = "sabine.becker@example.org",
    family_name: str = "Becker",
    postal_code: str = "67655",
    needs: Sequence[str] = ("short_term_care", "volunteer_visit"),
) -> dict[str, Any]:
    """Journey 1: the daughter goes to hospital on `start`; her mother (Pflegegrad 3) needs
    each of `needs` for 14 days meanwhile, and the daughter is written to."""
    client = {
        "given_name": "Hildegard",
        "family_name": family_name,
        "birth_date": "1941-03-12",
        "postal_code": postal_code,
        "language": "de",
        "care_level": "3",
    }
    daughter = {
        "relation": "daughter",
        "given_name": "Sabine",
        "family_name": family_name,
        "email": daughter_email,
        "language": "de",
        "notify": True,
    }
    return intake_request(
        site,
        client=client,
        contacts=[daughter],
        needs=[{"type": need, "start": start.isoformat(), "days": 14} for need in needs],
    )
