"""Resolve the Apache Kafka broker's jars from Maven Central once, then reuse the cache.

The version lives in `deploy/kafka/pom.xml` (one place to bump it). Maven does the resolution
because the broker's dependency tree is large and Maven Central is the one source we can reach.
"""

import re
import shutil
import subprocess
from pathlib import Path

from cq_devstack.paths import cache_dir, repo_root

POM = Path("deploy") / "kafka" / "pom.xml"
READY_MARKER = ".complete"


def kafka_version() -> str:
    """The Kafka version the pom pins."""
    text = (repo_root() / POM).read_text(encoding="utf-8")
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", text)
    if match is None:
        raise RuntimeError(f"{POM} does not pin <kafka.version>")
    return match.group(1)


def ensure_kafka_jars() -> Path:
    """Return the folder with the broker's jars, downloading them on first use."""
    version = kafka_version()
    target = cache_dir() / f"kafka-{version}" / "libs"
    if (target / READY_MARKER).is_file():
        return target
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed once to fetch the Kafka jars from Maven Central")
    staging = target.with_name("libs.partial")
    shutil.rmtree(staging, ignore_errors=True)
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(repo_root() / POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}",
            "-DincludeScope=runtime",
        ],
        check=True,
    )
    (staging / READY_MARKER).write_text(version, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target
