"""`python -m cq_volunteering`: serve the app with uvicorn (logging is ours, not uvicorn's)."""

import uvicorn

from cq_volunteering.main import app
from cq_volunteering.settings import VolunteeringSettings


def main() -> None:
    settings = VolunteeringSettings()
    # No access log: the HTTP metrics and server spans record every request already.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
