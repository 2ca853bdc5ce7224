"""`python -m cq_notifications`: serve the app with uvicorn."""

import uvicorn

from cq_notifications.main import app
from cq_notifications.settings import NotificationsSettings


def main() -> None:
    settings = NotificationsSettings()
    # log_config=None: keep the service's JSON logging instead of uvicorn's own setup.
    # No access log: the HTTP metrics and server spans record every request already.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
