"""E-mail over SMTP with aiosmtplib: composing a delivery's message and classifying failures."""

from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, parseaddr

import aiosmtplib

from cq_notifications.deliveries.repository import DueDelivery
from cq_notifications.settings import SmtpSettings

SERVICE_CLOSING = 421


class SendError(Exception):
    """Sending failed. `reason` names the error type (and SMTP code), never a reply text,
    which may quote the address. `transient` failures are worth another attempt."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


def message_id(delivery_id: object, mail_from: str) -> str:
    """Derived from the delivery id: a duplicate sent after a crash between sending and
    committing carries the same Message-ID, so it is recognisable (and mail systems that
    deduplicate by Message-ID drop it)."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "carequartier.invalid"
    return f"<{delivery_id}@{domain}>"


def compose(delivery: DueDelivery, *, mail_from: str, now: datetime) -> Message:
    """A text/plain UTF-8 message.

    Built with the `compat32` classes rather than `EmailMessage`: the modern policy parses
    every header it is given into a structured object, which the profile showed as a fifth
    of the sender's time; these headers are ours and need no parsing."""
    if delivery.recipient_address is None or delivery.subject is None or delivery.body is None:
        raise SendError("NothingToSend", transient=False)
    message = MIMEText(delivery.body, "plain", "utf-8")
    message["From"] = mail_from
    message["To"] = delivery.recipient_address
    # A Header object, not its encoded string: a folded encoded string would gain a space.
    message["Subject"] = Header(delivery.subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(delivery.delivery_id, mail_from)
    # RFC 3834: tells mail servers and vacation responders not to answer automatically.
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = delivery.language.value
    return message


class SmtpMailer:
    """Sends over one SMTP connection, kept open between messages.

    A session per message costs a TCP (and TLS) handshake, EHLO and QUIT every time; mail
    relays are built for many messages per connection. After any failure the connection is
    dropped, so the next message starts from a clean session. A connection the relay closed
    while idle is noticed on the next send and opened again once.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: Message) -> None:
        try:
            await self._send(message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [refused.code for refused in error.recipients]
            raise SendError(
                f"SMTPRecipientsRefused({','.join(map(str, codes))})",
                transient=not all(_permanent(code) for code in codes),
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            self.close()
            raise SendError(
                f"{type(error).__name__}({error.code})", transient=not _permanent(error.code)
            ) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            # Connection refused or lost, timeouts, TLS trouble: the relay may be back soon.
            self.close()
            raise SendError(type(error).__name__, transient=True) from error

    async def _send(self, message: Message) -> None:
        client = self._client
        if client is not None and client.is_connected:
            try:
                await client.send_message(message)
                return
            except aiosmtplib.SMTPServerDisconnected:
                self.close()  # closed by the relay while idle: once more on a new connection
            except aiosmtplib.SMTPResponseException as error:
                if error.code != SERVICE_CLOSING:
                    raise
                # 421 on a reused connection: the relay ends the session (e.g. a limit of
                # messages per connection). Once more on a new connection.
                self.close()
        client = await self._connect()
        await client.send_message(message)

    async def _connect(self) -> aiosmtplib.SMTP:
        settings = self.settings
        client = aiosmtplib.SMTP(
            hostname=settings.host,
            port=settings.port,
            username=settings.username,
            password=settings.password,
            use_tls=settings.use_tls,
            timeout=settings.timeout_seconds,
        )
        await client.connect()  # EHLO, STARTTLS when offered, login when configured
        self._client = client
        return client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _permanent(code: int) -> bool:
    """5xx replies are final (unknown mailbox, refused); 4xx say "try again later"."""
    return 500 <= code < 600
