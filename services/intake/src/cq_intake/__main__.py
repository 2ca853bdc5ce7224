"""`python -m cq_intake`: serve the app with uvicorn."""

import uvicorn

from cq_intake.main import app
from cq_intake.settings import IntakeSettings


def main() -> None:
    settings = IntakeSettings()
    # log_config=None: keep cq_shared's JSON logging instead of uvicorn's own handlers.
    # No access log: a JSON line per request cost more than the request's own logic on the
    # hot path; the HTTP metrics and server spans record every request already.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
