"""The contact point's HTTP API: take a request, show a case, list cases."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from cq_intake.cases import rules, service
from cq_intake.cases.schemas import CaseCreated, CasePage, CaseView, NewCase
from cq_intake.cases.status import CaseStatus
from cq_intake.dependencies import CaseWorker, ContextDep, SitesDep
from cq_shared.contracts.common import Urgency
from cq_shared.contracts.inputs import SiteId
from cq_shared.db import SessionDep
from cq_shared.http.problems import Problem

PROBLEM = "application/problem+json"


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers for the OpenAPI document: RFC 9457 problem details. `model` registers
    the schema (FastAPI files it under application/json); the content names the real type."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {status: {"model": Problem, "content": {PROBLEM: problem}} for status in statuses}


router = APIRouter(prefix="/v1", tags=["cases"])


@router.post(
    "/requests",
    status_code=201,
    responses=_problems(401, 403, 422),
    summary="Take a request for help and open a case",
)
async def take_request(
    *,
    body: NewCase,
    who: CaseWorker,
    session: SessionDep,
    context: ContextDep,
    sites: SitesDep,
    response: Response,
) -> CaseCreated:
    # Access first: a caller learns nothing about a site they may not act for.
    who.require_site(body.site)
    now = context.clock.now()
    # A site that does not run intake here is as unknown as one that does not exist.
    site = sites.get(body.site) if sites.serves(body.site, "intake") else None
    rules.raise_if_any(rules.check_new_case(body, site, now))
    case = await service.open_case(session, context.writer, body, who=who, now=now)
    response.headers["Location"] = f"/v1/cases/{case.id}"
    return CaseCreated(case_id=case.id, status=case.status)


@router.get(
    "/cases/{case_id}",
    responses=_problems(401, 403, 404, 422),
    summary="A case with its needs and what has been arranged (audited read)",
)
async def get_case(
    case_id: uuid.UUID, who: CaseWorker, session: SessionDep, context: ContextDep
) -> CaseView:
    return await service.read_case(session, case_id, who=who, now=context.clock.now())


@router.get("/cases", responses=_problems(401, 403, 422), summary="Cases, newest first")
async def list_cases(
    *,
    who: CaseWorker,
    session: SessionDep,
    context: ContextDep,
    site: SiteId | None = None,
    status: CaseStatus | None = None,
    urgency: Urgency | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    # Bounded so that no offset overflows PostgreSQL's bigint into a 500.
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CasePage:
    return await service.list_cases(
        session,
        who=who,
        site=site,
        status=status,
        urgency=urgency,
        limit=limit,
        offset=offset,
        now=context.clock.now(),
    )
