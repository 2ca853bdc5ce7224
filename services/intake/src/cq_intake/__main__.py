"""`python -m cq_intake`: serve the app with uvicorn."""

import uvicorn

from cq_intake.main import app
from cq_intake.settings import IntakeSettings


def main() -> None:
    settings = IntakeSettings()
    # log_config=None: keep cq_shared's JSON logging instead of uvicorn's own handlers.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
