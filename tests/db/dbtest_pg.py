"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl on a free loopback port.

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<v>/bin). PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` user (runuser).
If anything fails, `PgServerError` carries the reason and the server log: the tests that need
the server then FAIL with it; nothing is skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg


class PgServerError(RuntimeError):
    pass


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if found:
        return Path(found[0]).parent
    which = shutil.which("pg_ctl")
    if which:
        return Path(which).resolve().parent
    raise PgServerError("pg_ctl not found: install the Debian package `postgresql`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    datadir: Path
    port: int
    bindir: Path
    prefix: list[str]
    _n: int = 0

    @property
    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=glamwatch dbname=postgres"

    _template: bool = False

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://glamwatch@127.0.0.1:{self.port}/{name}"

    def new_database(self, *, migrated: bool = True) -> str:
        """A fresh database (empty, or copied from a template already at head); its URL."""
        from db import _engine

        self._n += 1
        name = f"t{os.getpid()}_{self._n}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            if migrated and not self._template:
                conn.execute('CREATE DATABASE "glamwatch_head"')
                engine = _engine.make_engine(self.url("glamwatch_head"))
                _engine.migrate(engine)
                engine.dispose()
                self._template = True
            template = ' TEMPLATE "glamwatch_head"' if migrated else ""
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [
                *self.prefix,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_pg() -> PgServer:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="glamwatch-pg-"))
    datadir = root / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
        os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its data dir
        shutil.chown(root, user="postgres", group="postgres")
    log = root / "server.log"

    def run(args: list[str]) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            extra = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PgServerError(
                f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr.strip()} {extra}"
            )

    run(
        [
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "glamwatch",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    port = _free_port()
    opts = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {datadir} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(log),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    return PgServer(datadir=datadir, port=port, bindir=bindir, prefix=prefix)
