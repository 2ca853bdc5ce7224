"""Writes the contract documents generated from the catalogue, so one command refreshes both:

    uv run --frozen python -m cq_shared.contracts.documents

(from the repository root; an optional argument names another docs folder). Tests fail when the
committed files differ from what this writes.
"""

import sys
from pathlib import Path

from cq_shared.contracts.asyncapi import asyncapi_document, render
from cq_shared.contracts.public_page import public_contract_page

REGENERATE = "uv run --frozen python -m cq_shared.contracts.documents"
ASYNCAPI_FILE = "asyncapi.json"
PUBLIC_CONTRACT_FILE = "public-contract.md"


def write_documents(docs: Path) -> list[Path]:
    documents = {
        docs / ASYNCAPI_FILE: render(asyncapi_document()),
        docs / PUBLIC_CONTRACT_FILE: public_contract_page(),
    }
    for path, text in documents.items():
        path.write_text(text, encoding="utf-8")
    return list(documents)


if __name__ == "__main__":
    for written in write_documents(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        sys.stdout.write(f"{written}\n")
