"""docs/public-contract.md is generated from the catalogue: public topics only, with their
fields and examples. A stale page fails here: regenerate it with
`uv run --frozen python -m cq_shared.contracts.documents`."""

import re
import textwrap

from cq_shared.contracts.documents import PUBLIC_CONTRACT_FILE, REGENERATE
from cq_shared.contracts.public import SMALL_COUNT_THRESHOLD
from cq_shared.contracts.public_page import public_contract_page
from cq_shared.events.catalogue import catalogue

from .paths import DOCS

COMMITTED = DOCS / PUBLIC_CONTRACT_FILE
PAGE = public_contract_page()


def test_the_committed_page_is_the_generated_one() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == PAGE, f"stale {COMMITTED}: run `{REGENERATE}`"


def test_it_lists_the_public_topics_and_types_and_nothing_internal() -> None:
    topics = re.findall(r"^### Topic `([^`]+)`$", PAGE, flags=re.MULTILINE)
    assert topics == [topic.name for topic in catalogue.topics() if topic.public]
    types = re.findall(r"^#### `([^`]+)`$", PAGE, flags=re.MULTILINE)
    assert types == catalogue.public_event_types()


def test_it_states_the_small_count_threshold_of_the_code() -> None:
    assert f"threshold {SMALL_COUNT_THRESHOLD}" in PAGE
    assert f"from 1 to {SMALL_COUNT_THRESHOLD - 1}" in PAGE


def test_its_python_examples_compile() -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE, flags=re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        compile(textwrap.dedent(block), "<public-contract.md>", "exec")
