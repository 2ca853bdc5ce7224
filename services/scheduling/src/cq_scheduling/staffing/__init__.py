"""Staff gaps (issue 10, journey 4): staff members, shift plans, absences, the gaps they open
and the offers that fill them from the site's pool, within German working-time law."""
