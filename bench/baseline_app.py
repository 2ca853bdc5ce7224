"""The journey benchmark's HTTP baseline: a bare FastAPI endpoint doing one insert.

Run as `python -m bench.baseline_app <database-url> <port>`."""

import json
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


def build(database_url: str) -> FastAPI:
    engine = create_async_engine(database_url, pool_size=10)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with engine.begin() as connection:
            await connection.execute(
                text("CREATE TABLE IF NOT EXISTS items (id uuid PRIMARY KEY, body jsonb NOT NULL)")
            )
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.post("/items", status_code=201)
    async def insert_item(body: dict[str, object]) -> dict[str, str]:
        item_id = uuid.uuid4()
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO items (id, body) VALUES (:id, CAST(:body AS jsonb))"),
                {"id": item_id, "body": json.dumps(body)},
            )
        return {"id": str(item_id)}

    @app.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    uvicorn.run(build(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
