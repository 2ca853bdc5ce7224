"""Every service's OpenAPI, fuzzed with schemathesis against the running process: whatever a
client sends, the answer is never a 500, and every error is an RFC 9457 problem."""

from datetime import timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from cq_devstack.platform import Platform

SERVICES = ["intake", "scheduling", "volunteering", "notifications"]
EXAMPLES_PER_MODE = 60


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_500(platform: Platform, service: str, mode: GenerationMode) -> None:
    base_url = platform.services[service].url
    schema = schemathesis.openapi.from_url(base_url + "/openapi.json")
    auth = platform.auth("coordinator", "kaiserslautern")
    session = requests.Session()
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=timedelta(seconds=10),
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    @given(case=schema.as_strategy(generation_mode=mode))
    def exercise(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, session=session, headers=auth, timeout=15)
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        if response.status_code >= 500:
            failures.append(where + " " + response.text[:200])
        elif response.status_code >= 400:
            # schemathesis' response headers map a name to its list of values.
            content_type = ",".join(response.headers.get("content-type", []))
            if not content_type.startswith("application/problem+json"):
                failures.append(where + f" with {content_type}")

    exercise()
    assert failures == []
