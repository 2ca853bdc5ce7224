"""Asking a running service over HTTP."""

from typing import Any

import httpx


async def get_json(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Any:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
    return response.json()


async def metric(client: httpx.AsyncClient, name: str, *fragments: str) -> float:
    """Sum of a Prometheus metric's samples whose labels contain every fragment."""
    body = (await client.get("/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line.startswith(name + "{") and all(fragment in line for fragment in fragments)
    )
