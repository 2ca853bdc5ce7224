"""Paths the contract tests share: the committed documents and the AsyncAPI validator."""

from pathlib import Path

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
SCHEMAS = ROOT / "libs" / "shared" / "schemas" / "events"
VALIDATOR = ROOT / "tools" / "asyncapi" / "validate.mjs"
