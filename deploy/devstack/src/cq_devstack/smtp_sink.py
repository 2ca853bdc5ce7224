"""A local SMTP server that keeps every mail it receives as an .eml file, so a person (or a
test) can read what the platform sent. Development and tests only: it accepts any sender."""

import email
import email.policy
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from cq_devstack.ports import free_port


class _KeepMail:
    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.original_content or b""
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        (self.maildir / name).write_bytes(content)
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    maildir: Path
    port: int = field(default_factory=free_port)
    _controller: Controller | None = None

    def start(self) -> None:
        self.maildir.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_KeepMail(self.maildir), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[EmailMessage]:
        """Every mail received so far, oldest first."""
        found = []
        for path in sorted(self.maildir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found
