"""Scheduling's staff gaps (journey 4): staff contact points are kept from their registration
and forgotten on removal; each step of a gap is told to the person and the unit lead in their
language, and a gap nobody may fill alerts the site's coordination mailbox."""

import uuid
from datetime import UTC, datetime

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language
from cq_shared.contracts.staffing import (
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
    StaffMemberRemoved,
)
from cq_shared.sites import load_site_catalogue
from cq_testing import Publisher, eventually, scalar

from . import samples
from .staff_samples import SITE, gap_event, member
from .support import mails_arrived, mails_to

COORDINATION = str(load_site_catalogue()[SITE].coordinator_email)


async def test_a_gap_is_told_to_the_lead_and_the_offered_people_in_their_languages(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, tag = infrastructure.smtp, samples.tag()
    # The lead of another unit is a control: not told of the ambulant station's gaps.
    lead = member("Petra", "Klein", f"petra-{tag}@example.org", unit_lead=True)
    other_lead = member(
        "Stefanie", "Hoffmann", f"stefanie-{tag}@example.org", unit="stationaer", unit_lead=True
    )
    ill = member("Jana", "Koch", f"jana-{tag}@example.org")
    elif_ = member("Elif", "Yıldız", f"elif-{tag}@example.org", language=Language.TR)
    nadine = member("Nadine", "Schulz", f"nadine-{tag}@example.org", unit="stationaer")
    gap_id, first_offer, second_offer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    expires = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    app = build_app()
    async with serve(app):
        database = app.state.database
        for person in (lead, other_lead, ill, elif_, nadine):
            await publisher.send(person)
        await publisher.send(
            gap_event(ShiftGapOpened, gap_id, absence_id=uuid.uuid4(), absent_staff_id=ill.staff_id)
        )
        await publisher.send(
            gap_event(
                ShiftGapOffered,
                gap_id,
                offer_id=first_offer,
                staff_id=elif_.staff_id,
                expires_at=expires,
                reasons=["same unit (ambulant)"],
                attempt=1,
            )
        )
        offered = (await eventually(lambda: mails_arrived(sink, str(elif_.email))))[
            str(elif_.email)
        ]
        assert offered["Subject"] == "Vardiya teklifi: Evde bakım hizmeti, 3 Mart 2026 Salı"
        body = offered.get_content()
        assert "Sayın Elif Yıldız," in body
        assert "Zaman: 3 Mart 2026 Salı, saat 06:00 - 13:30" in body
        assert f"teklif {first_offer}" in body
        assert "Koch" not in body  # the absent colleague is not named to other staff

        # She lets it run out; the next colleague is asked, in German.
        await publisher.send(
            gap_event(
                ShiftOfferEnded,
                gap_id,
                offer_id=first_offer,
                staff_id=elif_.staff_id,
                outcome="expired",
            )
        )
        await publisher.send(
            gap_event(
                ShiftGapOffered,
                gap_id,
                offer_id=second_offer,
                staff_id=nadine.staff_id,
                expires_at=expires,
                reasons=[],
                attempt=2,
            )
        )
        await publisher.send(
            gap_event(
                ShiftGapFilled,
                gap_id,
                offer_id=second_offer,
                staff_id=nadine.staff_id,
                absent_staff_id=ill.staff_id,
            )
        )

        async def nadine_told_twice() -> bool:
            return len(mails_to(sink, str(nadine.email))) == 2

        await eventually(nadine_told_twice)
        confirmed, asked = sorted(
            mails_to(sink, str(nadine.email)), key=lambda mail: mail["Subject"]
        )
        assert asked["Subject"] == "Schichtangebot: Ambulanter Pflegedienst, Dienstag, 3. März 2026"
        assert "Wann: Dienstag, 3. März 2026, 06:00 bis 13:30 Uhr" in asked.get_content()
        assert "Wir halten das Angebot für Sie bis: Montag, 2. März 2026, 13:00 Uhr" in (
            asked.get_content()
        )
        assert confirmed["Subject"].startswith("Schicht übernommen")

        async def elif_told_twice() -> bool:
            return len(mails_to(sink, str(elif_.email))) == 2

        await eventually(elif_told_twice)
        expired = [m for m in mails_to(sink, str(elif_.email)) if "süresi doldu" in m["Subject"]]
        assert len(expired) == 1

        async def lead_told_four_times() -> bool:
            return len(mails_to(sink, str(lead.email))) == 4

        await eventually(lead_told_four_times)
        lead_bodies = "\n".join(m.get_content() for m in mails_to(sink, str(lead.email)))
        assert "Jana Koch fällt aus" in lead_bodies
        assert "Elif Yıldız angeboten (Angebot Nr. 1" in lead_bodies
        assert "Nadine Schulz übernimmt die Schicht für Jana Koch." in lead_bodies
        # Nobody else: not the absent person, not another unit's lead.
        assert mails_to(sink, str(ill.email)) == []
        assert mails_to(sink, str(other_lead.email)) == []
        staff_rows = "SELECT count(*) FROM deliveries WHERE case_id IS NULL AND site = :site"
        assert await scalar(database, staff_rows, site=SITE) == 8


async def test_a_gap_nobody_may_fill_alerts_the_coordination_and_removal_forgets(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, tag = infrastructure.smtp, samples.tag()
    lead = member(
        "Claudia", "Roth", f"claudia-{tag}@example.org", unit="tagespflege", unit_lead=True
    )
    gap_id = uuid.uuid4()
    app = build_app()
    async with serve(app):
        database = app.state.database
        await publisher.send(lead)
        before = len(mails_to(sink, COORDINATION))
        unfilled = gap_event(ShiftGapUnfilled, gap_id, reason="no_candidate")
        await publisher.send(unfilled.model_copy(update={"unit": "tagespflege"}))

        async def alerted() -> bool:
            return len(mails_to(sink, COORDINATION)) == before + 1

        await eventually(alerted)
        alert = [m for m in mails_to(sink, COORDINATION) if str(gap_id) in m.get_content()]
        assert len(alert) == 1
        assert alert[0]["Subject"] == (
            "Dringend: Schicht nicht besetzt – Tagespflege, Dienstag, 3. März 2026"
        )
        assert "Niemand aus dem Pool darf sie übernehmen" in alert[0].get_content()
        told = (await eventually(lambda: mails_arrived(sink, str(lead.email))))[str(lead.email)]
        assert told["Subject"].startswith("Dienstplanlücke nicht besetzt: Tagespflege")

        await publisher.send(StaffMemberRemoved(site=SITE, staff_id=lead.staff_id))

        async def forgotten() -> bool:
            kept = "SELECT count(*) FROM staff_contacts WHERE staff_id = :id"
            return await scalar(database, kept, id=lead.staff_id) == 0

        await eventually(forgotten)
        addressed = (
            "SELECT count(*) FROM deliveries WHERE recipient_key = :key "
            "AND (recipient_address IS NOT NULL OR body IS NOT NULL)"
        )
        assert await scalar(database, addressed, key=f"staff:{lead.staff_id}") == 0


async def test_an_offer_that_overtakes_the_persons_registration_waits_for_it(
    serve, infrastructure, publisher: Publisher
) -> None:
    """The registration travels under the person's key, the gap event under the gap's: Kafka
    may deliver the offer first. It is not lost: it waits, and once the person is known it is
    told to them and, with their name, to the unit lead."""
    sink, tag = infrastructure.smtp, samples.tag()
    lead = member("Petra", "Klein", f"petra-{tag}@example.org", unit_lead=True)
    late = member("Tobias", "Schmitt", f"tobias-{tag}@example.org")
    gap_id = uuid.uuid4()
    expires = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    app = build_app()
    async with serve(app):
        database = app.state.database
        await publisher.send(lead)
        await eventually(
            lambda: scalar(
                database,
                "SELECT count(*) FROM staff_contacts WHERE staff_id = :id",
                id=lead.staff_id,
            )
        )
        offered = gap_event(
            ShiftGapOffered,
            gap_id,
            offer_id=uuid.uuid4(),
            staff_id=late.staff_id,
            expires_at=expires,
            reasons=["same unit (ambulant)"],
            attempt=1,
        )
        await publisher.send(offered)
        waiting = "SELECT count(*) FROM waiting_staff_news WHERE staff_id = :id"
        await eventually(lambda: scalar(database, waiting, id=late.staff_id), what="waiting")
        assert mails_to(sink, str(lead.email)) == []  # told whole, with the name, or not yet

        await publisher.send(late)  # the registration, after the offer
        await eventually(
            lambda: mails_arrived(sink, str(late.email)), what="the offer, once the person is known"
        )
        assert len(mails_to(sink, str(late.email))) == 1
        assert await scalar(database, waiting, id=late.staff_id) == 0
        [news] = mails_to(sink, str(lead.email))
        assert "Tobias Schmitt" in news.get_content()  # the lead's news names the person
