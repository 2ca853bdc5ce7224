"""A webhook receiver on loopback for tests and benchmarks, and public events to feed it.

`async with WebhookReceiver(answers=[500, 500, 204]) as receiver:` listens on 127.0.0.1 (a
free port), answers the n-th request with `answers[n-1]` (the last one from then on) and
keeps every request it got, with the monotonic time it arrived. Plain HTTP/1.1 on asyncio
streams, one request per connection: what the webhook sender sends, nothing more.
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

from cq_shared.contracts.public import PublicEvent
from cq_shared.events.envelope import Envelope

_REASONS = {200: "OK", 204: "No Content", 410: "Gone", 500: "Internal Server Error"}


@dataclass(frozen=True)
class Reception:
    headers: dict[str, str]  # lower-case names
    body: bytes
    answered: int
    at: float  # time.perf_counter() when the body was read

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


class WebhookReceiver:
    def __init__(self, answers: Sequence[int] = (204,)) -> None:
        if not answers:
            raise ValueError("at least one answer")
        self.answers = list(answers)
        self.received: list[Reception] = []
        self._server: asyncio.Server | None = None
        self.arrived = asyncio.Event()  # set at every reception; clear it to wait for the next

    @property
    def url(self) -> str:
        assert self._server is not None, "start the receiver first"
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hooks/carequartier"

    def succeeded(self) -> list[Reception]:
        return [r for r in self.received if 200 <= r.answered < 300]

    async def __aenter__(self) -> "WebhookReceiver":
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            headers = {}
            for line in head.split("\r\n")[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            answer = self.answers[min(len(self.received), len(self.answers) - 1)]
            self.received.append(Reception(headers, body, answer, time.perf_counter()))
            self.arrived.set()
            status = f"HTTP/1.1 {answer} {_REASONS.get(answer, 'Status')}\r\n"
            writer.write(f"{status}content-length: 0\r\nconnection: close\r\n\r\n".encode())
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def public_envelope(payload: PublicEvent, *, service: str, subject: str) -> Envelope:
    """A public event as its producing service publishes it (public events have no case id
    to key on: the subject is the topic's key, e.g. `<site>/<resource>/<date>`)."""
    return Envelope(
        id=str(uuid.uuid4()),
        source=f"/sites/{payload.site}/{service}",
        type=payload.event_type,
        subject=subject,
        time=datetime.now(UTC),
        site=payload.site,
        data=payload.model_dump(mode="json"),
    )
