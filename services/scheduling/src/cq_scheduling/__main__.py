"""`python -m cq_scheduling`: serve the app with uvicorn."""

import uvicorn

from cq_scheduling.main import app
from cq_scheduling.settings import SchedulingSettings


def main() -> None:
    settings = SchedulingSettings()
    # log_config=None: our JSON logging (set up in the lifespan) stays in charge.
    # No access log: the HTTP metrics and server spans record every request already.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
