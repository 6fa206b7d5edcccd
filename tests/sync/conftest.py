"""Fixtures for team sync: a real, throwaway PostgreSQL server for the session, and laptops.

The server is a cluster made with initdb in a temporary folder, listening only on a Unix
socket in that folder (listen_addresses=''), with fsync off. PostgreSQL refuses to run as
root, so as root (CI) it runs as the `postgres` user that Debian's postgresql package makes.
Two roles: `postgres` (trusted, for making a database per test) and `officer`, who logs in
with a password read from a pgpass file, as an office's laptops would.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

OFFICER_PASSWORD = "s3cret-for-tests"
_numbers = itertools.count(1)


def _server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    socket_dir: Path
    bin_dir: Path
    run_as: str | None

    def url(self, dbname: str, user: str = "officer") -> str:
        return f"postgresql://{user}@/{dbname}?host={self.socket_dir}"

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(dbname, "postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        name = f"team{next(_numbers)}"
        self.admin(f"CREATE DATABASE {name} OWNER officer")
        return name

    def terminate_connections(self, dbname: str) -> None:
        self.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   f"WHERE datname = '{dbname}' AND pid <> pg_backend_pid()")


def _run(command: list[str], run_as: str | None) -> None:
    if run_as:
        command = ["su", run_as, "-s", "/bin/sh", "-c", shlex.join(command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=120)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_abandoned(bin_dir: Path, run_as: str | None) -> None:
    """Stop the clusters of test sessions that were killed before they could stop their own
    (each cluster's folder names the session that made it)."""
    for root in Path(tempfile.gettempdir()).glob("tracker-pg-*"):
        try:
            owner = int((root / "owner").read_text())
        except (OSError, ValueError):
            continue  # made by an older fixture, or still being made: not ours to judge
        if _alive(owner):
            continue
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _run([str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w",
                  "stop"], run_as)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> PostgresServer:
    bin_dir = _server_bin()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed; "
                    "`bash .ci/install --test` installs Debian's postgresql package")
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as "
                        "(PostgreSQL refuses to run as root)")
        run_as = "postgres"
    _sweep_abandoned(bin_dir, run_as)
    root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    (root / "owner").write_text(str(os.getpid()))
    data = root / "data"
    if run_as:
        info = pwd.getpwnam(run_as)
        os.chown(root, info.pw_uid, info.pw_gid)
    pgpass = Path(tempfile.mkdtemp(prefix="tracker-pgpass-")) / "pgpass"
    pgpass.write_text(f"*:*:*:officer:{OFFICER_PASSWORD}\n")
    pgpass.chmod(0o600)
    old_pgpass = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    started = False
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "-E", "UTF8", "--no-sync"], run_as)
        hba = data / "pg_hba.conf"
        rules = ("local all postgres trust\n"
                 "local all all scram-sha-256\n")
        if run_as:
            _run(["sh", "-c", f"printf '%s' {shlex.quote(rules)} > {shlex.quote(str(hba))}"],
                 run_as)
        else:
            hba.write_text(rules)
        options = (f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off")
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
              str(root / "server.log"), "-w", "start"], run_as)
        started = True
        server = PostgresServer(root, bin_dir, run_as)
        server.admin(f"CREATE ROLE officer LOGIN PASSWORD '{OFFICER_PASSWORD}'")
        yield server
    finally:
        if started:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                      "stop"], run_as)
        if old_pgpass is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old_pgpass
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(pgpass.parent, ignore_errors=True)


@pytest.fixture(params=["folder", "postgres"])
def team_location(request, tmp_path) -> str:
    """A fresh place for a team's log: a folder, or a new database on the test server."""
    if request.param == "folder":
        return str(tmp_path / "team-share")
    server = request.getfixturevalue("postgres")
    return server.url(server.new_database())
