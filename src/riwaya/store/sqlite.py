"""The default store: one SQLite file in WAL mode (readers never block the writer)."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from riwaya.errors import RiwayaError
from riwaya.model import outlet_name
from riwaya.store.base import DuplicateArticle, StoreWriteError
from riwaya.store.schema import LATEST, SchemaError, check_version, foreign_tables, migrate
from riwaya.store.sql import _A_COLUMNS, SQLStore

__all__ = ["DuplicateArticle", "SQLiteStore", "StoreWriteError"]

log = logging.getLogger("riwaya.store")


class SQLiteStore(SQLStore):
    """A store in one SQLite file; ``read_only`` opens it without write access (the web app)."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        super().__init__(read_only=read_only)
        self.path = Path(path)
        self.name = str(path)
        self._writer: Any = None  # the cross-process writer lock (filelock), made when first held
        if read_only:
            if not self.path.is_file():
                raise RiwayaError(f"{path}: no such store (run `riwaya ingest` first)")
        elif self.path.parent and not self.path.parent.is_dir():
            raise RiwayaError(f"{path}: directory {self.path.parent} does not exist")
        try:
            conn = self._conn()
            if not read_only:
                migrate(conn)
            else:
                conn.execute("SELECT 1 FROM articles LIMIT 1")
                version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
                check_version(version)
                if version < LATEST:
                    raise RiwayaError(f"{path}: store schema {version} is older than this riwaya's"
                                      f" ({LATEST}): run `riwaya recompute --db {path}` once to upgrade it")
        except SchemaError as exc:
            self.close()
            raise RiwayaError(f"{path}: {exc}") from None
        except sqlite3.OperationalError as exc:
            self.close()
            if read_only:
                raise RiwayaError(f"{path}: cannot open the store ({exc})") from None
            raise store_error(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            self.close()
            raise RiwayaError(f"{path}: not a riwaya store ({exc})") from None
        except RiwayaError:
            self.close()
            raise

    # ------------------------------------------------------------------ connections
    def _connect(self) -> sqlite3.Connection:
        try:
            if self.read_only:
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
                )
            else:
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                other = foreign_tables(conn)  # before WAL mode changes another application's file
                if other:
                    conn.close()
                    raise RiwayaError(f"{self.path}: not a riwaya store: it holds other tables"
                                      f" ({', '.join(sorted(other)[:5])}); give --db a new file")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                # schema step 3 names each stored article's outlet with the model's own rule
                conn.create_function("riwaya_outlet", 4, outlet_name, deterministic=True)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.DatabaseError as exc:
            raise RiwayaError(f"{self.path}: cannot open store ({exc})") from None
        return conn

    def _write(self) -> _Transaction:
        if self.read_only:
            raise RiwayaError(f"{self.path}: store opened read-only")
        return _Transaction(self._conn(), self.path)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ search
    def _index_search(self, conn: Any, rowid: int, keys: str) -> None:
        conn.execute("INSERT INTO search (rowid, keys) VALUES (?, ?)", (rowid, keys))

    def _search(self, keys: list[str], limit: int) -> list[Sequence[Any]]:
        query = " ".join('"' + k.replace('"', '""') + '"' for k in keys)
        try:
            return self._conn().execute(
                f"SELECT {_A_COLUMNS} FROM search JOIN articles a ON a.rowid = search.rowid"
                " WHERE search MATCH ? ORDER BY bm25(search) LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []

    # ------------------------------------------------------------------ processes
    def reopen_spec(self) -> str | None:
        return str(self.path)

    def version(self) -> object | None:
        """Sizes and modification times of the database and its WAL file (every commit
        writes one of them)."""
        stamp: list[tuple[int, int, int] | None] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self.path}{suffix}")
            except OSError:
                stamp.append(None)
            else:
                stamp.append((st.st_size, st.st_mtime_ns, st.st_ino))
        return tuple(stamp)

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """An exclusive lock on ``PATH.lock`` (re-entrant in this process); a second process
        says it waits, then waits (Ctrl-C still stops it)."""
        from filelock import FileLock, Timeout

        if self._writer is None:
            self._writer = FileLock(f"{self.path}.lock")
        try:
            self._writer.acquire(timeout=0)
        except Timeout:
            log.warning("%s: another process is writing this store; waiting for it to finish", self.path)
            self._writer.acquire(poll_interval=0.2)
        except OSError as exc:
            raise StoreWriteError(f"{self.path}: cannot lock the store ({exc.strerror or exc})") from None
        try:
            yield
        finally:
            self._writer.release()


def store_error(path: Path, exc: sqlite3.Error) -> StoreWriteError:
    reason = str(exc) or type(exc).__name__
    if "locked" in reason or "busy" in reason:
        reason += "; another process holds it"
    return StoreWriteError(f"{path}: cannot write the store ({reason})")


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error (nothing half-written); a
    failure of SQLite itself (disk full, read-only file) is a :class:`StoreWriteError`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise store_error(self.path, exc) from None
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.Error as commit_exc:
                exc = commit_exc
        if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError):
            raise store_error(self.path, exc) from None
        if isinstance(exc, sqlite3.Error) and exc_type is None:
            raise exc
