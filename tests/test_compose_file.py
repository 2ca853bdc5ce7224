"""docker-compose.yml for sites with Docker: valid against the Compose Specification's JSON
Schema, and every service's build and environment match what the service reads.

No Docker engine runs here, so this is the proof the file is right."""

import importlib
import inspect
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic_settings import BaseSettings

from cq_shared.auth.settings import AuthSettings
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings, SiteSettings
from cq_shared.telemetry.settings import TelemetrySettings

ROOT = Path(__file__).parents[1]
COMPOSE_SCHEMA = ROOT / "tests" / "schemas" / "compose-spec.json"  # see tests/schemas/README.md
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


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_built_from_the_workspace_with_its_own_dockerfile(service: str) -> None:
    build = compose()["services"][service]["build"]
    assert build["context"] == "."
    dockerfile = ROOT / build["dockerfile"]
    assert dockerfile == ROOT / "services" / service / "Dockerfile"
    text = dockerfile.read_text(encoding="utf-8")
    assert f"carequartier-{service}" in text  # syncs its own package from the workspace
    assert re.search(rf'CMD \[.*"cq_{service}"', text), "runs the service's module"


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
