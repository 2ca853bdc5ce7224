"""E-mail over SMTP with aiosmtplib: composing a delivery's message and classifying failures."""

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib

from cq_notifications.deliveries.models import Delivery
from cq_notifications.settings import SmtpSettings


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


def compose(delivery: Delivery, *, mail_from: str, now: datetime) -> EmailMessage:
    if delivery.recipient_address is None or delivery.subject is None or delivery.body is None:
        raise SendError("NothingToSend", transient=False)
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = delivery.recipient_address
    message["Subject"] = delivery.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(delivery.delivery_id, mail_from)
    # RFC 3834: tells mail servers and vacation responders not to answer automatically.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(delivery.body)
    # After set_content, which replaces every Content-* header.
    message["Content-Language"] = delivery.language.value
    return message


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        settings = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.host,
                port=settings.port,
                username=settings.username,
                password=settings.password,
                use_tls=settings.use_tls,
                timeout=settings.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            raise SendError(
                f"SMTPRecipientsRefused({','.join(map(str, codes))})",
                transient=not all(_permanent(code) for code in codes),
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            raise SendError(
                f"{type(error).__name__}({error.code})", transient=not _permanent(error.code)
            ) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            # Connection refused or lost, timeouts, TLS trouble: the relay may be back soon.
            raise SendError(type(error).__name__, transient=True) from error


def _permanent(code: int) -> bool:
    """5xx replies are final (unknown mailbox, refused); 4xx say "try again later"."""
    return 500 <= code < 600
