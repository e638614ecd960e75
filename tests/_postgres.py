"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, started with
``pg_ctl`` listening on a Unix socket there only (no TCP port to collide with), stopped at exit.

PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` user (Debian's
package makes it). Where the binaries, that user or psycopg are missing, :func:`server` says why
and the PostgreSQL tests skip with that reason; ``scripts/test.sh`` installs Debian's package.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from glob import glob
from pathlib import Path

OPTIONS = "-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _bin_dir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: on PATH, else Debian's versioned folder."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for folder in versions:
        if Path(folder, "initdb").exists():
            return Path(folder)
    return None


class Server:
    """A running server; :meth:`new_database` gives the URL of an empty database on it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="riwaya-pg-"))
        self.bin = _bin_dir()
        self.prefix: list[str] = []
        self._n = itertools.count(1)
        self.started = False

    def why_not(self) -> str | None:
        """Why no server can run here, or None."""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed (pip install -e '.[postgres]')"
        if self.bin is None:
            return "PostgreSQL is not installed (apt-get install postgresql)"
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                return "running as root without a 'postgres' user to run PostgreSQL as"
            if not shutil.which("runuser"):
                return "running as root without runuser to run PostgreSQL as 'postgres'"
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        return None

    def start(self) -> None:
        assert self.bin is not None
        data = self.root / "data"
        run = lambda *args: subprocess.run([*self.prefix, *args], check=True, capture_output=True,  # noqa: E731
                                           text=True, cwd=self.root, timeout=120)
        run(str(self.bin / "initdb"), "-D", str(data), "-U", "riwaya", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w", "-t", "60",
            "-o", f"{OPTIONS} -k {self.root}", "start")
        self.started = True

    def url(self, database: str) -> str:
        return f"postgresql://riwaya@/{database}?host={self.root}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{next(self._n)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if self.started and self.bin is not None:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"),
                                "-m", "immediate", "stop"], capture_output=True, timeout=60)
        # a database per test leaves thousands of files: removed in the background, not waited for
        subprocess.Popen(["rm", "-rf", str(self.root)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rows(db: str, sql: str) -> list[tuple]:
    """The rows of a query run straight on a store's database, either kind (``--db``)."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
        return conn.execute(sql).fetchall()


def db_errors() -> tuple[type[Exception], ...]:
    """The errors of either database's driver."""
    import sqlite3

    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)
