"""The mails the SMTP sink received (publishing, waiting and probing are in cq_testing)."""

from email.message import EmailMessage

from cq_devstack.smtp_sink import SmtpSink


def mails_to(sink: SmtpSink, address: str) -> list[EmailMessage]:
    return [message for message in sink.messages() if message["To"] == address]


async def mails_arrived(sink: SmtpSink, *addresses: str) -> dict[str, EmailMessage] | None:
    """The one mail to each address, once every address has one."""
    found = {address: mails_to(sink, address) for address in addresses}
    if not all(found.values()):
        return None
    return {address: mails[0] for address, mails in found.items()}
