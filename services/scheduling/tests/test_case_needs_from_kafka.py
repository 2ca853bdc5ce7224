"""CaseOpened on the real `intake.cases` topic becomes a booking and an event, once."""

from datetime import date, time, timedelta

from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import BookingConfirmed
from cq_shared.sites import load_site_catalogue
from cq_testing import count, envelope_of, eventually, outbox_of, publish

from .support import bookings_of, case_opened, need

SITE_ZONE = load_site_catalogue()["kaiserslautern"].zone


async def test_short_term_care_books_the_guest_apartment_once(
    serve, bearer, demo_app, infrastructure
) -> None:
    first_day = date(2030, 3, 5)
    case = case_opened(
        "kaiserslautern",
        need(NeedType.SHORT_TERM_CARE, start=first_day, days=14),
        need(NeedType.VOLUNTEER_VISIT, start=first_day, days=14),  # not scheduling's
    )
    event = envelope_of(case)
    republished = envelope_of(case)  # the same case again under a new event id
    # A case with no needs, same key (so same partition, after the others): once it is in
    # the inbox, the duplicates before it have certainly been handled.
    marker = envelope_of(case.model_copy(update={"needs": []}))

    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        await publish(
            infrastructure.kafka.bootstrap_servers,
            *(event, event, republished, marker),
            topic=CaseOpened.topic,
        )
        consumed = "SELECT count(*) FROM inbox WHERE event_id = :id"
        await eventually(lambda: count(database, consumed, id=marker.id), "the marker's turn")

        [booking] = await bookings_of(database, case.case_id)
        assert booking.resource_type == "guest_apartment"
        assert booking.status == "confirmed"
        assert booking.starts_at.astimezone(SITE_ZONE).date() == first_day
        assert booking.ends_at.astimezone(SITE_ZONE).date() == first_day + timedelta(days=14)
        assert booking.starts_at.astimezone(SITE_ZONE).time() == time(12)
        assert booking.ends_at.astimezone(SITE_ZONE).time() == time(12)

        [(event_type, data)] = await outbox_of(database, case.case_id)
        assert event_type == BookingConfirmed.event_type
        announced = BookingConfirmed.model_validate(data)
        assert announced.booking_id == booking.id
        assert announced.need_id == case.needs[0].need_id
        assert announced.resource_name == "Pflegegästewohnung"
        assert (announced.start, announced.end) == (booking.starts_at, booking.ends_at)

        listed = await client.get(
            f"/v1/bookings?case_id={case.case_id}", headers=bearer("care_staff", "kaiserslautern")
        )
        assert listed.status_code == 200, listed.text
        [row] = listed.json()
        assert row["booking_id"] == str(booking.id)
        assert row["resource_name"] == "Pflegegästewohnung"
        assert row["staff_name"] is None
