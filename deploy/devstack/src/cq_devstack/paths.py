"""Where the devstack keeps downloads (shared between runs) and state (fresh per run)."""

import os
from pathlib import Path


def repo_root() -> Path:
    """The workspace root: the folder that holds `deploy/kafka/pom.xml`."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "deploy" / "kafka" / "pom.xml").is_file():
            return parent
    raise RuntimeError("cannot find the CareQuartier repository root above " + str(here))


def cache_dir() -> Path:
    """Downloads that survive between runs (Kafka jars); override with CQ_CACHE_DIR."""
    base = os.environ.get("CQ_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")), "carequartier"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def state_dir() -> Path:
    """Per-checkout runtime state (data directories, logs, mails); override with CQ_STATE_DIR."""
    path = Path(os.environ.get("CQ_STATE_DIR") or repo_root() / ".devstack")
    path.mkdir(parents=True, exist_ok=True)
    return path
