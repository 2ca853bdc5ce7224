"""Development tokens from cq_devstack.token verify against the default settings.

Lives here rather than in devstack because it pins the two packages to each other: the
dev issuer, audience and key pair are duplicated on purpose, and this catches drift.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import FastAPI

from cq_devstack.token import main, mint_token
from cq_shared.auth import (
    AuthSettings,
    CurrentPrincipal,
    Principal,
    Role,
    TokenExpiredError,
    TokenVerifier,
    install_auth,
)


@pytest.fixture
def dev_verifier() -> TokenVerifier:
    return TokenVerifier.from_settings(AuthSettings())


def test_minted_token_verifies_with_dev_defaults(dev_verifier: TokenVerifier) -> None:
    principal = dev_verifier.verify(mint_token(Role.COORDINATOR, "kaiserslautern"))
    assert principal == Principal(
        subject="dev-coordinator-kaiserslautern",
        roles=frozenset({"coordinator"}),
        sites=frozenset({"kaiserslautern"}),
        name="Dev coordinator (kaiserslautern)",
    )


def test_all_sites_token(dev_verifier: TokenVerifier) -> None:
    principal = dev_verifier.verify(mint_token("platform_admin", "*", subject="ops-1"))
    assert principal.subject == "ops-1"
    assert principal.sites == frozenset({"*"})
    assert principal.can_access_site("zwenkau")


def test_claims_and_lifetime() -> None:
    before = int(time.time())
    token = mint_token("volunteer", "muenster", ttl_seconds=60)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == "carequartier-dev"
    assert claims["aud"] == "carequartier"
    assert claims["roles"] == ["volunteer"]
    assert claims["sites"] == ["muenster"]
    assert before <= claims["iat"] <= claims["exp"] - 60 + 1
    assert jwt.get_unverified_header(token)["alg"] == "ES256"


def test_person_ids_are_minted_as_claims(dev_verifier: TokenVerifier) -> None:
    volunteer_id, staff_id = uuid.uuid4(), uuid.uuid4()
    volunteer = dev_verifier.verify(
        mint_token("volunteer", "kaiserslautern", volunteer_id=volunteer_id)
    )
    assert volunteer.volunteer_id == volunteer_id
    assert volunteer.staff_id is None
    # One person, one subject: two volunteers of a site are not the same caller.
    assert volunteer.subject == f"dev-volunteer-kaiserslautern-{volunteer_id}"
    staff = dev_verifier.verify(mint_token("care_staff", "zwenkau", staff_id=staff_id))
    assert (staff.staff_id, staff.volunteer_id) == (staff_id, None)
    nobody = jwt.decode(mint_token("volunteer", "muenster"), options={"verify_signature": False})
    assert "volunteer_id" not in nobody
    assert "staff_id" not in nobody


def test_main_mints_person_ids_from_options_and_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    dev_verifier: TokenVerifier,
) -> None:
    volunteer_id, staff_id = uuid.uuid4(), uuid.uuid4()
    argv = ["--role", "volunteer", "--site", "muenster", "--volunteer-id", str(volunteer_id)]
    assert main(argv) == 0
    assert dev_verifier.verify(capsys.readouterr().out.strip()).volunteer_id == volunteer_id
    monkeypatch.setenv("STAFF_ID", str(staff_id))
    assert main(["--role", "care_staff", "--site", "muenster"]) == 0
    assert dev_verifier.verify(capsys.readouterr().out.strip()).staff_id == staff_id
    # What the Makefile passes when VOLUNTEER_ID and STAFF_ID are not set: no claims.
    monkeypatch.delenv("STAFF_ID")
    assert main(["--role", "coordinator", "--site", "muenster", "--volunteer-id", ""]) == 0
    plain = dev_verifier.verify(capsys.readouterr().out.strip())
    assert (plain.volunteer_id, plain.staff_id) == (None, None)


@pytest.mark.parametrize("option", ["--volunteer-id", "--staff-id"])
def test_main_refuses_a_malformed_person_id(
    capsys: pytest.CaptureFixture[str], option: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--role", "volunteer", "--site", "muenster", option, "volunteer-7"])
    assert exited.value.code == 2
    assert capsys.readouterr().out == ""


def test_expired_dev_token_is_refused(dev_verifier: TokenVerifier) -> None:
    with pytest.raises(TokenExpiredError):
        dev_verifier.verify(mint_token("volunteer", "muenster", ttl_seconds=-3600))


def test_main_prints_only_the_token(
    capsys: pytest.CaptureFixture[str], dev_verifier: TokenVerifier
) -> None:
    assert main(["--role", "care_staff", "--site", "zwenkau"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n")
    assert out.count("\n") == 1
    assert dev_verifier.verify(out.strip()).roles == frozenset({"care_staff"})


def test_main_reads_role_and_site_from_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    dev_verifier: TokenVerifier,
) -> None:
    monkeypatch.setenv("ROLE", "site_admin")
    monkeypatch.setenv("SITE", "muenster")
    assert main([]) == 0
    principal = dev_verifier.verify(capsys.readouterr().out.strip())
    assert principal.roles == frozenset({"site_admin"})
    assert principal.sites == frozenset({"muenster"})


def test_main_without_role_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROLE", raising=False)
    monkeypatch.delenv("SITE", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["--site", "muenster"])
    assert exited.value.code == 2


def test_python_dash_m(tmp_path: Path, dev_verifier: TokenVerifier) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cq_devstack.token", "--role", "coordinator", "--site", "muenster"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.stdout.count("\n") == 1
    assert dev_verifier.verify(result.stdout.strip()).subject == "dev-coordinator-muenster"


async def test_install_auth_with_dev_defaults() -> None:
    app = FastAPI()
    verifier = install_auth(app)
    assert app.state.token_verifier is verifier

    @app.get("/whoami")
    async def whoami(principal: CurrentPrincipal) -> str:
        return principal.subject

    # install_auth also installed the problem handlers: a refusal is a 401 problem.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        refused = await http.get("/whoami")
        token = mint_token("volunteer", "zwenkau")
        admitted = await http.get("/whoami", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert admitted.status_code == 200, admitted.text
    assert admitted.json() == "dev-volunteer-zwenkau"
