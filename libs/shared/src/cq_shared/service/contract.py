"""`GET /asyncapi.json`: the platform's event contract, served by every service.

No token: it is the public contract (what other branches may read and how), and it names no
person. Left out of the OpenAPI schema like `/livez` and `/metrics`: it describes Kafka topics,
not this service's HTTP API.
"""

from functools import cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cq_shared.contracts.asyncapi import asyncapi_document

contract_router = APIRouter(include_in_schema=False)


@cache
def _document() -> dict[str, Any]:
    # Built on first request, when every event type has long been registered (at import).
    return asyncapi_document()


@contract_router.get("/asyncapi.json")
async def asyncapi_json() -> JSONResponse:
    return JSONResponse(_document())
