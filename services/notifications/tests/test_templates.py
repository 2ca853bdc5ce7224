"""Every template renders in every language with real event data; no placeholder survives."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from cq_notifications.deliveries import (
    cancellations,
    course_messages,
    messages,
    place_messages,
    series_messages,
    staff_messages,
)
from cq_notifications.deliveries.message import Message
from cq_notifications.deliveries.router import TEMPLATE_EVENTS
from cq_notifications.templating import TemplateName, Vocabulary, languages_of, render, vocabulary
from cq_shared.contracts.common import Language, NeedType, Urgency
from cq_shared.contracts.scheduling import (
    CourseRegistrationCancelled,
    CourseRegistrationConfirmed,
    CourseRegistrationExpired,
    CourseRegistrationPromoted,
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    SeriesOccurrence,
)
from cq_shared.contracts.staffing import (
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
)
from cq_shared.sites import load_site_catalogue

from . import samples
from .staff_samples import gap_event

CASE = uuid.uuid4()
SITE = load_site_catalogue()["kaiserslautern"]
TRANSLATED = (Language.DE, Language.EN, Language.TR)


def sample_messages() -> dict[TemplateName, Message]:
    return {
        TemplateName.CASE_OPENED: messages.case_opened(samples.case_opened(CASE), SITE),
        TemplateName.BOOKING_CONFIRMED: messages.booking_confirmed(
            samples.booking_confirmed(CASE), SITE
        ),
        TemplateName.BOOKING_UNAVAILABLE: messages.booking_unavailable(
            samples.booking_unavailable(CASE), SITE
        ),
        TemplateName.BOOKING_CANCELLED: cancellations.booking_cancelled(
            samples.booking_cancelled(CASE), SITE
        ),
        TemplateName.MATCH_PROPOSED: messages.match_proposed(
            samples.match_proposed(CASE, "jonas@example.org")
        ),
        TemplateName.VOLUNTEER_FOUND: messages.volunteer_found(samples.match_accepted(CASE), SITE),
        TemplateName.COURSE_CONFIRMED: course_messages.course_confirmed(
            samples.course_registration(CourseRegistrationConfirmed, CASE), SITE
        ),
        TemplateName.COURSE_WAITLISTED: course_messages.course_waitlisted(
            samples.course_waitlisted(CASE, position=3), SITE
        ),
        TemplateName.COURSE_OFFERED: course_messages.course_offered(
            samples.course_offered(CASE), SITE
        ),
        TemplateName.COURSE_PROMOTED: course_messages.course_promoted(
            samples.course_registration(CourseRegistrationPromoted, CASE), SITE
        ),
        TemplateName.COURSE_CANCELLED: course_messages.course_cancelled(
            samples.course_registration(CourseRegistrationCancelled, CASE), SITE
        ),
        TemplateName.COURSE_EXPIRED: course_messages.course_expired(
            samples.course_registration(CourseRegistrationExpired, CASE), SITE
        ),
        TemplateName.PLACE_WAITLISTED: place_messages.place_waitlisted(
            samples.place_event(PlaceWaitlisted, CASE, position=2), SITE
        ),
        TemplateName.PLACE_OFFERED: place_messages.place_offered(
            samples.place_event(
                PlaceOffered,
                CASE,
                booking_id=uuid.uuid4(),
                resource_name="Platz 3",
                expires_at=datetime(2025, 3, 2, 17, 0, tzinfo=UTC),
            ),
            SITE,
        ),
        TemplateName.PLACE_PROMOTED: place_messages.place_promoted(
            samples.place_event(
                PlacePromoted, CASE, booking_id=uuid.uuid4(), resource_name="Platz 3"
            ),
            SITE,
        ),
        TemplateName.PLACE_EXPIRED: place_messages.place_expired(
            samples.place_event(PlaceWaitEnded, CASE, status="expired"), SITE
        ),
        TemplateName.SERIES_BOOKED: series_messages.series_changed(
            samples.series_changed(CASE), SITE
        ),
        TemplateName.SERIES_PROMOTED: series_messages.series_changed(
            samples.series_changed(CASE, change="promoted"), SITE
        ),
        TemplateName.SERIES_CANCELLED: series_messages.series_changed(
            _cancelled_from_11_march(), SITE
        ),
        **staff_samples(),
    }


GAP, ABSENT, TAKER, OFFER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
# A role mailbox: greeted without names.
WITHOUT_NAMES = frozenset({TemplateName.SHIFT_GAP_ALERT})


def staff_samples() -> dict[TemplateName, Message]:
    offered = gap_event(
        ShiftGapOffered,
        GAP,
        offer_id=OFFER,
        staff_id=TAKER,
        expires_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        reasons=[],
        attempt=2,
    )
    ended = gap_event(ShiftOfferEnded, GAP, offer_id=OFFER, staff_id=TAKER, outcome="expired")
    filled = gap_event(ShiftGapFilled, GAP, offer_id=OFFER, staff_id=TAKER, absent_staff_id=ABSENT)
    opened = gap_event(ShiftGapOpened, GAP, absence_id=uuid.uuid4(), absent_staff_id=ABSENT)
    unfilled = gap_event(ShiftGapUnfilled, GAP, reason="candidates_exhausted")
    return {
        TemplateName.SHIFT_OFFERED: staff_messages.shift_offered(offered, SITE),
        TemplateName.SHIFT_OFFER_EXPIRED: staff_messages.shift_offer_expired(ended, SITE),
        TemplateName.SHIFT_FILLED: staff_messages.shift_filled(filled, SITE),
        TemplateName.SHIFT_GAP_OPENED: staff_messages.gap_opened(opened, SITE, "Jana Koch"),
        TemplateName.SHIFT_GAP_OFFERED: staff_messages.gap_offered(offered, SITE, None),
        TemplateName.SHIFT_GAP_FILLED: staff_messages.gap_filled(
            filled, SITE, "Nadine Schulz", "Jana Koch"
        ),
        TemplateName.SHIFT_GAP_UNFILLED: staff_messages.gap_unfilled(unfilled, SITE),
        TemplateName.SHIFT_GAP_ALERT: staff_messages.gap_alert(unfilled, SITE),
    }


def _cancelled_from_11_march() -> Any:
    series = samples.series_changed(CASE, change="cancelled", total=2, booked=1)
    days = [
        SeriesOccurrence(date=o.date, status="cancelled") if o.date.day >= 11 else o
        for o in series.occurrences
    ]
    return series.model_copy(update={"occurrences": days})


def with_names(message: Message) -> Any:
    def values(words: Vocabulary) -> dict[str, str]:
        return {**message.values(words), "given_name": "Ayşe", "family_name": "Öztürk"}

    return values


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("template", list(TemplateName))
def test_every_template_renders_completely(template: TemplateName, language: Language) -> None:
    message = sample_messages()[template]
    rendered = render(template, language, with_names(message))
    assert rendered.language == language
    assert rendered.subject
    assert "\n" not in rendered.subject
    assert "$" not in rendered.subject + rendered.body
    assert ("Ayşe" in rendered.body) is (template not in WITHOUT_NAMES)
    assert "\n\n\n" not in rendered.body


def test_every_template_exists_in_german_english_and_turkish() -> None:
    assert set(TEMPLATE_EVENTS) == set(TemplateName)
    for template in TemplateName:
        assert set(TRANSLATED) <= set(languages_of(template))
        assert languages_of(template)[0] == Language.DE


def keys(entries: dict[str, Any]) -> set[str]:
    return {f"{table}.{key}" for table, values in entries.items() for key in values}


@pytest.mark.parametrize("language", [Language.EN, Language.TR])
def test_vocabularies_have_the_german_keys(language: Language) -> None:
    german, other = vocabulary(Language.DE), vocabulary(language)
    assert keys(other.entries) == keys(german.entries)
    assert len(other.words("date", "weekdays")) == 7
    assert len(other.words("date", "months")) == 12
    for need in NeedType:
        assert other.text("needs", need.value)


def test_a_language_without_template_falls_back_to_german() -> None:
    message = sample_messages()[TemplateName.CASE_OPENED]
    rendered = render(TemplateName.CASE_OPENED, Language.PL, with_names(message))
    assert rendered.language == Language.DE
    assert rendered.subject == "Ihre Anfrage ist bei uns eingegangen"


def test_case_opened_says_when_it_is_an_emergency() -> None:
    def body(urgency: Urgency, language: Language) -> str:
        message = messages.case_opened(samples.case_opened(CASE, urgency), SITE)
        return render(TemplateName.CASE_OPENED, language, with_names(message)).body

    assert "als Notfall" in body(Urgency.EMERGENCY, Language.DE)
    assert "112" in body(Urgency.EMERGENCY, Language.DE)
    assert "Notfall" not in body(Urgency.ROUTINE, Language.DE)
    assert "acil durum" in body(Urgency.EMERGENCY, Language.TR)
    assert "emergency" in body(Urgency.EMERGENCY, Language.EN)


def test_booking_dates_are_local_time_in_the_recipients_language() -> None:
    # 13:00 UTC in March is 14:00 in Berlin (CET); the 2025-03-18 end is still CET.
    counselling = messages.booking_confirmed(samples.counselling_confirmed(CASE), SITE)
    apartment = messages.booking_confirmed(samples.booking_confirmed(CASE), SITE)

    def body(message: Message, language: Language) -> str:
        return render(TemplateName.BOOKING_CONFIRMED, language, with_names(message)).body

    assert "Wann: Montag, 3. März 2025, 14:00 bis 15:00 Uhr" in body(counselling, Language.DE)
    assert "When: Monday, 3 March 2025, 14:00 to 15:00" in body(counselling, Language.EN)
    assert "Zaman: 3 Mart 2025 Pazartesi, saat 14:00 - 15:00" in body(counselling, Language.TR)
    assert (
        "Wann: Dienstag, 4. März 2025, 10:00 Uhr, bis Dienstag, 18. März 2025, 10:00 Uhr"
        in body(apartment, Language.DE)
    )
    assert "Betrifft: Pflegegästewohnung (Gästewohnung Lauterstraße)" in body(
        apartment, Language.DE
    )
    assert "Ihre Ansprechperson: Frau Kaya" in body(apartment, Language.DE)
    # Without a staff name the line disappears rather than leaving "Ihre Ansprechperson: ".
    no_staff = messages.booking_confirmed(samples.booking_confirmed(CASE, staff_name=None), SITE)
    assert "Ansprechperson" not in body(no_staff, Language.DE)


def test_volunteer_messages_name_the_task_only() -> None:
    proposed = messages.match_proposed(samples.match_proposed(CASE, "jonas@example.org"))
    rendered = render(TemplateName.MATCH_PROPOSED, Language.DE, with_names(proposed))
    assert rendered.subject == "Neue Anfrage in Ihrer Nähe: Besuchsdienst"
    # The event carries no health data, and the template asks for none: no care level here.
    assert "Pflegegrad" not in rendered.body

    found = messages.volunteer_found(samples.match_accepted(CASE, NeedType.ACCOMPANIMENT), SITE)
    body = render(TemplateName.VOLUNTEER_FOUND, Language.DE, with_names(found)).body
    assert "Ayla aus unserem Ehrenamtsteam wird die Begleitung übernehmen." in body
    visit = messages.volunteer_found(samples.match_accepted(CASE, NeedType.VOLUNTEER_VISIT), SITE)
    body = render(TemplateName.VOLUNTEER_FOUND, Language.EN, with_names(visit)).body
    assert "Ayla from our volunteer team will take care of the visits." in body


def _course_body(template: TemplateName, message: Message, language: Language) -> str:
    return render(template, language, with_names(message)).body


def test_course_messages_give_the_title_the_first_session_and_the_position() -> None:
    confirmed = sample_messages()[TemplateName.COURSE_CONFIRMED]
    rendered = render(TemplateName.COURSE_CONFIRMED, Language.DE, with_names(confirmed))
    assert rendered.subject == "Ihr Kursplatz ist bestätigt: Sturzprävention"
    # 09:00 UTC in March is 10:00 on Münster's clock.
    assert "Erster Termin: Dienstag, 3. März 2026, 10:00 Uhr" in rendered.body
    english = _course_body(TemplateName.COURSE_CONFIRMED, confirmed, Language.EN)
    assert "First session: Tuesday, 3 March 2026 at 10:00" in english

    waitlisted = sample_messages()[TemplateName.COURSE_WAITLISTED]
    assert "Ihr Platz auf der Warteliste: 3" in _course_body(
        TemplateName.COURSE_WAITLISTED, waitlisted, Language.DE
    )
    assert "Bekleme listesindeki sıranız: 3" in _course_body(
        TemplateName.COURSE_WAITLISTED, waitlisted, Language.TR
    )

    offered = sample_messages()[TemplateName.COURSE_OFFERED]
    assert "bis: Montag, 2. März 2026, 18:00 Uhr" in _course_body(
        TemplateName.COURSE_OFFERED, offered, Language.DE
    )


def test_a_course_without_sessions_left_drops_the_first_session_line() -> None:
    event = samples.course_registration(CourseRegistrationPromoted, CASE)
    without = event.model_copy(update={"first_session": None})
    message = course_messages.course_promoted(without, SITE)
    body = _course_body(TemplateName.COURSE_PROMOTED, message, Language.DE)
    assert "Erster Termin" not in body
    assert "\n\n\n" not in body


def test_a_cancelled_booking_says_what_and_when_but_a_series_day_is_not_told() -> None:
    message = sample_messages()[TemplateName.BOOKING_CANCELLED]
    rendered = render(TemplateName.BOOKING_CANCELLED, Language.DE, with_names(message))
    assert rendered.subject == "Ihre Buchung ist storniert: Beratungstermin"
    assert "Wann: Montag, 3. März 2025, 14:00 bis 15:00 Uhr" in rendered.body
    assert cancellations.worth_telling(samples.booking_cancelled(CASE))
    # A series cancelled from a date on: one event per day, left to the series' own event.
    assert not cancellations.worth_telling(samples.booking_cancelled(CASE, "series_cancelled"))


def _body(template: TemplateName, language: Language = Language.DE) -> str:
    return render(template, language, with_names(sample_messages()[template])).body


def test_a_waiting_place_says_the_day_the_position_and_the_deadline() -> None:
    assert "Wann: Dienstag, 4. März 2025, 08:00 bis 17:00 Uhr" in _body(
        TemplateName.PLACE_WAITLISTED
    )
    assert "Ihr Platz auf der Warteliste: 2" in _body(TemplateName.PLACE_WAITLISTED)
    assert "bis: Sonntag, 2. März 2025, 18:00 Uhr" in _body(TemplateName.PLACE_OFFERED)
    # Only an offer that ran out is told of the ended waits: the others were decisions.
    expired = samples.place_event(PlaceWaitEnded, CASE, status="expired")
    assert place_messages.worth_telling(expired)
    for status in ("cancelled", "declined"):
        ended = samples.place_event(PlaceWaitEnded, CASE, status=status)
        assert not place_messages.worth_telling(ended)


def test_a_series_says_booked_n_of_m_the_first_day_and_the_waiting_days() -> None:
    booked = render(
        TemplateName.SERIES_BOOKED,
        Language.DE,
        with_names(sample_messages()[TemplateName.SERIES_BOOKED]),
    )
    assert booked.subject == "Ihre Tagespflege ist gebucht: 3 von 4 Tagen"
    assert "Ihr erster Tag: Dienstag, 4. März 2025" in booked.body
    assert "Warteliste, bis ein Platz frei wird: Donnerstag, 6. März 2025" in booked.body
    two = samples.series_changed(CASE, waitlisted_dates=[date(2025, 3, 6), date(2025, 3, 13)])
    both = render(
        TemplateName.SERIES_BOOKED,
        Language.DE,
        with_names(series_messages.series_changed(two, SITE)),
    )
    assert "wird: Donnerstag, 6. März 2025; Donnerstag, 13. März 2025\n" in both.body
    assert "Your first day: Tuesday, 4 March 2025" in _body(TemplateName.SERIES_BOOKED, Language.EN)
    assert "Ihr nächster Tag: Dienstag, 4. März 2025" in _body(TemplateName.SERIES_PROMOTED)
    cancelled = _body(TemplateName.SERIES_CANCELLED)
    assert "Storniert ab: Dienstag, 11. März 2025" in cancelled
    assert "Es bleiben gebucht: 1 von 2 Tagen" in cancelled
    whole = samples.series_changed(CASE, change="cancelled", total=0, booked=0, next_date=None)
    whole = whole.model_copy(update={"waitlisted_dates": []})
    message = series_messages.series_changed(whole, SITE)
    text = render(TemplateName.SERIES_CANCELLED, Language.DE, with_names(message)).body
    assert "Die ganze Reihe ist storniert." in text
    assert "Ihr nächster Tag" not in text
    assert "\n\n\n" not in text
