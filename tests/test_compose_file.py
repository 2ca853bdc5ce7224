"""docker-compose.yml for sites with Docker: valid against the Compose Specification's JSON
Schema, and every service's build and environment match what the service reads.

No Docker engine runs here, so this is the proof the file is right."""

import importlib
import inspect
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic_settings import BaseSettings

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_devstack.compose_access import password_variable
from cq_devstack.compose_access import render as render_access_script
from cq_shared.auth.settings import AuthSettings
from cq_shared.events.access import principals
from cq_shared.events.catalogue import catalogue
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings, SiteSettings
from cq_shared.telemetry.settings import TelemetrySettings

ROOT = Path(__file__).parents[1]
COMPOSE_SCHEMA = ROOT / "tests" / "schemas" / "compose-spec.json"  # see tests/schemas/README.md
SERVICE_DOCKERFILE = "deploy/service.Dockerfile"  # every service's, with build arguments
SERVICES = ["intake", "scheduling", "volunteering", "notifications"]
SHARED_SETTINGS: list[type[BaseSettings]] = [
    KafkaSettings,
    DatabaseSettings,
    MessagingSettings,
    SiteSettings,
    AuthSettings,
    TelemetrySettings,
]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def variables_of(settings: type[BaseSettings]) -> set[str]:
    prefix = str(settings.model_config.get("env_prefix", ""))
    return {(prefix + name).upper() for name in settings.model_fields}


def variables_read_by(service: str) -> set[str]:
    """Every environment variable the service's settings classes (and the kernel's) read."""
    names: set[str] = set()
    for settings in SHARED_SETTINGS:
        names |= variables_of(settings)
    module = importlib.import_module(f"cq_{service}.settings")
    for _, member in inspect.getmembers(module, inspect.isclass):
        if issubclass(member, BaseSettings) and member is not BaseSettings:
            names |= variables_of(member)
    return names


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(compose(), schema)


def test_the_validation_would_catch_a_broken_file() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    broken = compose()
    broken["services"]["intake"]["ports"] = {"not": "a list"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def expanded(dockerfile: str, args: dict[str, str]) -> str:
    """The Dockerfile with its build arguments, and the variables set from them, filled in."""
    values = dict(args)
    for name, argument in re.findall(r"\b(\w+)=\$\{(\w+)\}", dockerfile):
        if argument in args:
            values[name] = args[argument]
    return re.sub(r"\$\{(\w+)\}", lambda match: values.get(match[1], match[0]), dockerfile)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_built_from_the_workspace_with_the_shared_dockerfile(service: str) -> None:
    definition = compose()["services"][service]
    build = definition["build"]
    assert build["context"] == "."
    assert build["dockerfile"] == SERVICE_DOCKERFILE
    port = definition["environment"][f"CQ_{service.upper()}_PORT"]
    assert build["args"] == {"SERVICE": service, "PORT": port}
    template = (ROOT / SERVICE_DOCKERFILE).read_text(encoding="utf-8")
    for argument in build["args"]:
        assert re.search(rf"^ARG {argument}$", template, re.MULTILINE), f"declares ARG {argument}"
    text = expanded(template, build["args"])
    assert f'--package "carequartier-{service}"' in text  # syncs its own package
    assert f"COPY services/{service}/src services/{service}/src" in text
    assert f'exec python -m "cq_{service}"' in text, "runs the service's module"
    assert f"EXPOSE {port}" in text


def test_the_dockerfile_copies_every_workspace_members_manifest() -> None:
    """`uv sync --frozen` reads the whole workspace: a member without its manifest fails it."""
    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    members = sorted(
        manifest.parent.relative_to(ROOT).as_posix()
        for pattern in workspace["tool"]["uv"]["workspace"]["members"]
        for manifest in ROOT.glob(f"{pattern}/pyproject.toml")
    )
    assert "libs/testing" in members
    text = (ROOT / SERVICE_DOCKERFILE).read_text(encoding="utf-8")
    for member in members:
        assert f"COPY {member}/pyproject.toml {member}/\n" in text, f"copies {member}'s manifest"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_only_variables_it_reads_and_all_it_needs(service: str) -> None:
    environment = compose()["services"][service]["environment"]
    known = variables_read_by(service)
    assert set(environment) - known == set(), "variables no settings class reads"
    assert {"CQ_DATABASE_URL", "CQ_KAFKA_BOOTSTRAP_SERVERS"} <= set(environment)
    port = environment[f"CQ_{service.upper()}_PORT"]
    assert [f"{port}:{port}"] == compose()["services"][service]["ports"]
    assert environment[f"CQ_{service.upper()}_HOST"] == "0.0.0.0"
    database = environment["CQ_DATABASE_URL"].rsplit("/", 1)[-1]
    assert database == service  # its own database


def test_the_notifications_service_is_pointed_at_the_mail_sink() -> None:
    services = compose()["services"]
    environment = services["notifications"]["environment"]
    assert environment["CQ_SMTP_HOST"] in services


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_logs_in_to_kafka_as_itself(service: str) -> None:
    """Least privilege (docs/decisions/0016): its own SCRAM user, whose grants follow from the
    topics it owns and reads; it starts once the users and grants exist."""
    definition = compose()["services"][service]
    environment = definition["environment"]
    assert environment["CQ_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert environment["CQ_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert environment["CQ_KAFKA_USERNAME"] == service
    assert f"CQ_KAFKA_{service.upper()}_PASSWORD" in environment["CQ_KAFKA_PASSWORD"]
    assert definition["depends_on"]["kafka-access"] == {
        "condition": "service_completed_successfully"
    }


def test_the_broker_refuses_anyone_without_a_login_and_a_grant() -> None:
    environment = compose()["services"]["kafka"]["environment"]
    protocols = environment["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    assert all(entry.endswith(":SASL_PLAINTEXT") for entry in protocols)
    assert environment["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert environment["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert environment["KAFKA_SUPER_USERS"] == "User:broker;User:operator"


def test_the_init_script_grants_the_matrix_of_the_event_catalogue() -> None:
    """deploy/compose/kafka-access.sh is rendered from the catalogue: a changed `readers`
    needs `python -m cq_devstack.compose_access > deploy/compose/kafka-access.sh`."""
    script = (ROOT / "deploy" / "compose" / "kafka-access.sh").read_text(encoding="utf-8")
    assert script == render_access_script()
    init = compose()["services"]["kafka-access"]
    assert init["image"] == compose()["services"]["kafka"]["image"]
    for name in principals(catalogue.topics()):
        assert password_variable(name) in init["environment"], f"{name}'s password"
