"""The one way every Kafka client of the platform connects: where the broker is and who we are.

Producers, consumers, admin clients and the FastStream broker all take their connection options
from here, so a service never reaches the broker as anyone but its own principal
(docs/decisions/0016).
"""

import ssl
from typing import Any

from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from cq_shared.settings import KafkaSettings


def client_options(settings: KafkaSettings) -> dict[str, Any]:
    """Keyword arguments for aiokafka's producer, consumer and admin client."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol != "PLAINTEXT":
        username, password = _credentials(settings)
        options |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    if settings.security_protocol == "SASL_SSL":
        options["ssl_context"] = ssl.create_default_context()
    return options


def faststream_security(settings: KafkaSettings) -> BaseSecurity | None:
    """The same identity for FastStream's broker, which takes it as a security object."""
    if settings.security_protocol == "PLAINTEXT":
        return None
    username, password = _credentials(settings)
    context = ssl.create_default_context() if settings.security_protocol == "SASL_SSL" else None
    kinds: dict[str, type[SASLPlaintext | SASLScram256 | SASLScram512]] = {
        "PLAIN": SASLPlaintext,
        "SCRAM-SHA-256": SASLScram256,
        "SCRAM-SHA-512": SASLScram512,
    }
    return kinds[settings.sasl_mechanism](
        username, password, ssl_context=context, use_ssl=context is not None
    )


def _credentials(settings: KafkaSettings) -> tuple[str, str]:
    if settings.username is None or settings.password is None:
        raise ValueError(
            f"CQ_KAFKA_SECURITY_PROTOCOL={settings.security_protocol} needs "
            "CQ_KAFKA_USERNAME and CQ_KAFKA_PASSWORD"
        )
    return settings.username, settings.password.get_secret_value()
