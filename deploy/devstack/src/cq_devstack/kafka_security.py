"""The development broker's authentication: SASL/SCRAM users and their broker settings.

Every client authenticates with SCRAM-SHA-512 over SASL_PLAINTEXT (loopback only, so no TLS).
The broker talks to itself as `broker` (SCRAM, inter-broker) and to its controller as
`controller`: KRaft's controller listener cannot use SCRAM (SCRAM credentials live in the
metadata log the controller serves), so it uses SASL/PLAIN with one static user in the JAAS
line, and nothing anonymous is a super user (docs/decisions/0016).
"""

import secrets
from dataclasses import dataclass

MECHANISM = "SCRAM-SHA-512"
BROKER_USER = "broker"
CONTROLLER_USER = "controller"
CLIENT_LISTENER = "BROKER"
CONTROLLER_LISTENER = "CONTROLLER"
AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass(frozen=True)
class BrokerSecurity:
    """Random development-only passwords, one per principal, drawn once per data directory."""

    passwords: dict[str, str]
    super_users: tuple[str, ...]

    @classmethod
    def generate(cls, clients: list[str], super_users: tuple[str, ...]) -> "BrokerSecurity":
        # Hex passwords: nothing to quote in a JAAS line or the storage tool's `--add-scram`.
        names = [*clients, BROKER_USER, CONTROLLER_USER]
        return cls({name: secrets.token_hex(16) for name in names}, super_users)

    @property
    def client_passwords(self) -> dict[str, str]:
        """The principals clients log in as (not the broker's own)."""
        own = (BROKER_USER, CONTROLLER_USER)
        return {name: pw for name, pw in self.passwords.items() if name not in own}

    def scram_arguments(self) -> list[str]:
        """`--add-scram` arguments for the storage tool: SCRAM users exist from the first
        start (the controller's listener cannot be used to create them before then)."""
        scram_users = [name for name in self.passwords if name != CONTROLLER_USER]
        return [
            arg
            for name in scram_users
            for arg in (
                "--add-scram",
                f"{MECHANISM}=[name={name},password={self.passwords[name]}]",
            )
        ]

    def properties(self) -> dict[str, str]:
        broker_pw = self.passwords[BROKER_USER]
        controller_pw = self.passwords[CONTROLLER_USER]
        client = CLIENT_LISTENER.lower()
        controller = CONTROLLER_LISTENER.lower()
        supers = [BROKER_USER, CONTROLLER_USER, *self.super_users]
        return {
            "listener.security.protocol.map": (
                f"{CONTROLLER_LISTENER}:SASL_PLAINTEXT,{CLIENT_LISTENER}:SASL_PLAINTEXT"
            ),
            "inter.broker.listener.name": CLIENT_LISTENER,
            "sasl.mechanism.inter.broker.protocol": MECHANISM,
            "sasl.mechanism.controller.protocol": "PLAIN",
            f"listener.name.{client}.sasl.enabled.mechanisms": MECHANISM,
            f"listener.name.{client}.{MECHANISM.lower()}.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                f'username="{BROKER_USER}" password="{broker_pw}";'
            ),
            f"listener.name.{controller}.sasl.enabled.mechanisms": "PLAIN",
            # The broker logs in with username/password; the controller accepts user_<name>.
            f"listener.name.{controller}.plain.sasl.jaas.config": (
                "org.apache.kafka.common.security.plain.PlainLoginModule required "
                f'username="{CONTROLLER_USER}" password="{controller_pw}" '
                f'user_{CONTROLLER_USER}="{controller_pw}";'
            ),
            "authorizer.class.name": AUTHORIZER,
            "allow.everyone.if.no.acl.found": "false",
            "super.users": ";".join(f"User:{name}" for name in supers),
        }
