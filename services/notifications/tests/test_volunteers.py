"""Volunteering's events: the proposed volunteer is asked in their language; once a volunteer
accepts, the client and relatives hear who will come."""

import uuid

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, NeedType, RecipientRole
from cq_testing import Publisher, eventually

from . import samples
from .support import mails_arrived


async def test_volunteer_is_asked_and_the_family_told_in_their_languages(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, tag, case_id = infrastructure.smtp, samples.tag(), uuid.uuid4()
    volunteer_email = f"jonas-{tag}@example.org"
    client = samples.recipient(
        RecipientRole.CLIENT, "Mehmet", "Demir", Language.TR, f"mehmet-{tag}@example.org"
    )
    daughter = samples.recipient(
        RecipientRole.RELATIVE, "Elif", "Demir", Language.DE, f"elif-{tag}@example.org"
    )

    async with serve(build_app()):
        # No recipients are needed to write to the volunteer: the event names them.
        await publisher.send(samples.match_proposed(case_id, volunteer_email, Language.EN))
        asked = (await eventually(lambda: mails_arrived(sink, volunteer_email)))[volunteer_email]
        assert asked["Subject"] == "New request near you: regular visits"
        assert asked["Content-Language"] == "en"
        body = asked.get_content()
        assert "Hello Jonas," in body
        assert "accept or decline in the CareQuartier app" in body
        for private in ("Demir", "67655", "Pflegegrad", "care level"):
            assert private not in body

        await publisher.send(samples.registered(case_id, client, daughter))
        await publisher.send(samples.match_accepted(case_id, NeedType.ACCOMPANIMENT))
        told = await eventually(lambda: mails_arrived(sink, client.email, daughter.email))
        assert "Gönüllü ekibimizden Ayla refakat görevini üstlenecek." in (
            told[client.email].get_content()
        )
        german = told[daughter.email]
        assert german["Subject"] == "Gute Nachricht: Unterstützung aus unserem Ehrenamtsteam"
        assert "Ayla aus unserem Ehrenamtsteam wird die Begleitung übernehmen." in (
            german.get_content()
        )
