"""Starting the four services as separate processes, each with its own database."""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import IO

from cq_devstack.stack import Infrastructure


@dataclass(frozen=True)
class ServiceDef:
    name: str
    port: int

    @property
    def module(self) -> str:
        return f"cq_{self.name}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


SERVICES = (
    ServiceDef("intake", 8001),
    ServiceDef("scheduling", 8002),
    ServiceDef("volunteering", 8003),
    ServiceDef("notifications", 8004),
)


def service_environment(
    infra: Infrastructure,
    service: ServiceDef,
    *,
    demo_data: bool,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    prefix = f"CQ_{service.name.upper()}_"
    env = dict(os.environ)
    env.update(infra.environment(service.name))
    env[prefix + "PORT"] = str(service.port)
    env[prefix + "HOST"] = "127.0.0.1"
    env["CQ_TELEMETRY_SERVICE_NAME"] = service.name
    if demo_data:
        env[prefix + "DEMO_DATA"] = "true"
        # `make run` is development: webhooks may go to a receiver on this machine (http,
        # loopback); production keeps the SSRF guard (decision 0017).
        env.setdefault("CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    env.update(extra or {})
    return env


def _pump(name: str, stream: IO[bytes], sink: IO[str]) -> None:
    """Prefix each log line with the service name, as `docker compose up` does."""
    for raw in iter(stream.readline, b""):
        sink.write(f"{name:>13} | {raw.decode('utf-8', 'replace')}")
        sink.flush()


def start_service(
    service: ServiceDef, env: dict[str, str], *, echo: IO[str] | None = None
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", service.module],
        env=env,
        stdout=subprocess.PIPE if echo else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if echo is not None and process.stdout is not None:
        threading.Thread(
            target=_pump, args=(service.name, process.stdout, echo), daemon=True
        ).start()
    return process


def wait_until_ready(
    service: ServiceDef, process: subprocess.Popen[bytes], timeout: float = 90
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with {process.returncode} during start-up")
        try:
            with urllib.request.urlopen(service.url + "/readyz", timeout=2) as response:  # noqa: S310 - loopback URL we built
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{service.name} was not ready within {timeout}s")


def stop_service(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
