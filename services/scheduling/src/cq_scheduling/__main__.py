"""`python -m cq_scheduling`: serve the app with uvicorn."""

import uvicorn

from cq_scheduling.main import app
from cq_scheduling.settings import SchedulingSettings


def main() -> None:
    settings = SchedulingSettings()
    # log_config=None: our JSON logging (set up in the lifespan) stays in charge.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
