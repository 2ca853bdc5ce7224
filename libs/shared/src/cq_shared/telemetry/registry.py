"""The process-wide Prometheus registry and the labels every series shares.

prometheus_client is used directly rather than the OTel Prometheus exporter: the
exporter needs a global MeterProvider (settable once per process, like the tracer
provider) and derives exposed names from instrument names and units, whereas dashboards
and alerts key on exact names such as ``events_published_total``. A dedicated registry,
not prometheus_client's default one, means ``/metrics`` shows exactly what this module
registers, whatever libraries imported into the process add to the default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector

REGISTRY: Final = CollectorRegistry()
# The runtime series the default registry would have had (memory, CPU, fds, GC).
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

UNKNOWN_SERVICE: Final = "unknown_service"
INVALID_LABEL: Final = "invalid"

# Topics, event types, consumer names and reasons are identifiers: short, no spaces.
# Anything else (an exception message, a sentence with a name in it) is refused so that
# a careless call can neither leak personal data nor explode the series count. Ids
# still match this shape; keeping them out is the caller's job.
_LABEL_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}")


@dataclass
class _ServiceLabel:
    value: str = UNKNOWN_SERVICE


_service = _ServiceLabel()


def set_service_label(service_name: str) -> None:
    """Name this process in the ``service`` label of every series it records."""
    _service.value = bounded_label(service_name)


def service_label() -> str:
    return _service.value


def bounded_label(value: str) -> str:
    """``value`` if it looks like an identifier, else the constant ``invalid``."""
    return value if _LABEL_VALUE.fullmatch(value) else INVALID_LABEL
