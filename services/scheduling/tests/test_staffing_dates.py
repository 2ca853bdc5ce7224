"""Days at the ends of the calendar are a 422, never a 500: a day's window in a site's zone
(midnight to midnight, plus a day) overflowed for 9999-12-31."""

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_testing import count

from .staffing_support import KL, member
from .test_staffing_api import WRITTEN

PETRA = member("petra-klein")


async def test_absences_and_shift_lists_refuse_days_out_of_range(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
        before = await count(database, WRITTEN)
        for days in (("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")):
            absence = await client.post(
                f"/v1/staff/{PETRA}/absences",
                json={"from": days[0], "to": days[1], "reason": "illness"},
                headers=coordinator,
            )
            shifts = await client.get(
                f"/v1/sites/{KL}/shifts?from={days[0]}&to={days[1]}", headers=coordinator
            )
            for answer in (absence, shifts):
                assert answer.status_code == 422, answer.text
                assert answer.headers["content-type"].startswith("application/problem+json")
        assert await count(database, WRITTEN) == before
        await database.dispose()
