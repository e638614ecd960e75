"""A PostgreSQL store (``--db postgresql://…``): the workspace on a server that several ingesting
processes, recomputes and web servers share.

The queries are :mod:`riwaya.store.sql`'s, as the SQLite store runs them; here are only what a
server differs in: connecting (a libpq URL, so ``host=/socket/dir``, ``sslmode``, ``~/.pgpass``
and ``PG*`` variables work as with ``psql``), ``?`` placeholders as psycopg's ``%s``, a
transaction-scoped advisory lock for migrations and a session one for writers, full-text search
on a ``tsvector``, and the WAL position as the data's version. Needs the ``postgres`` extra.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from riwaya.errors import RiwayaError
from riwaya.store.base import StoreWriteError
from riwaya.store.schema import LATEST, POSTGRESQL, SchemaError, check_version, migrate
from riwaya.store.sql import _A_COLUMNS, SQLStore

log = logging.getLogger("riwaya.store")

SCHEMES = ("postgresql://", "postgres://")
_WRITER_LOCK = 7150152080  # pg_advisory_lock key: one ingest or recompute at a time per database


def is_url(db: object) -> bool:
    """Whether ``--db`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL as messages show it: without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=netloc[0].split(":", 1)[0] + ":***@" + netloc[1]))


@functools.cache
def _pg(sql: str) -> str:
    """A query with ``?`` placeholders as psycopg writes them (``%s``; a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _reason(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc).strip()) or type(exc).__name__


class _Connection:
    """A psycopg connection (autocommit, values bound on the client) taking ``?`` placeholders."""

    def __init__(self, raw: Any):
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(_pg(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(_pg(sql), rows)

    def close(self) -> None:
        self.raw.close()


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database; ``read_only`` sessions cannot write (the web app)."""

    def __init__(self, url: str, *, read_only: bool = False):
        try:
            import psycopg
        except ImportError:
            raise RiwayaError(f"{redact(url)}: a PostgreSQL store needs psycopg: "
                              "pip install 'riwaya[postgres]'") from None
        super().__init__(read_only=read_only)
        self._psycopg = psycopg
        self._integrity = (psycopg.errors.UniqueViolation,)
        self.url = url
        self.name = redact(url)
        self._locker: _Connection | None = None  # holds the writer lock (its own session)
        self._held = 0
        try:
            conn = self._conn()
            if not read_only:
                migrate(conn, POSTGRESQL)
            else:
                try:
                    version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
                except psycopg.errors.UndefinedTable:
                    raise RiwayaError(f"{self.name}: no riwaya store there (run `riwaya ingest` first)"
                                      ) from None
                check_version(version)
                if version < LATEST:
                    raise RiwayaError(f"{self.name}: store schema {version} is older than this riwaya's"
                                      f" ({LATEST}): run `riwaya recompute --db URL` once to upgrade it")
        except SchemaError as exc:
            self.close()
            raise RiwayaError(f"{self.name}: {exc}") from None
        except psycopg.Error as exc:
            self.close()
            raise RiwayaError(f"{self.name}: cannot open the store ({_reason(exc)})") from None
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ connections
    def _connect(self) -> _Connection:
        psycopg = self._psycopg
        try:
            raw = psycopg.connect(self.url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                                  application_name="riwaya")
        except psycopg.Error as exc:
            raise RiwayaError(f"{self.name}: cannot connect ({_reason(exc)})") from None
        if self.read_only:
            raw.execute("SET default_transaction_read_only = on")
        return _Connection(raw)

    def _usable(self, conn: _Connection) -> bool:
        return not (conn.raw.closed or conn.raw.broken)

    def close(self) -> None:
        if self._locker is not None:
            with contextlib.suppress(Exception):
                self._locker.close()
            self._locker = None
        super().close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[_Connection]:
        if self.read_only:
            raise RiwayaError(f"{self.name}: store opened read-only")
        conn = cast(_Connection, self._conn())
        try:
            with conn.raw.transaction():
                yield conn
        except self._psycopg.OperationalError as exc:  # the server went away, a disk filled
            raise StoreWriteError(f"{self.name}: cannot write the store ({_reason(exc)})") from None

    def _claim(self, conn: Any, identity: str) -> None:
        """A transaction advisory lock on the article's identity (its URL, else its content
        hash): two writers of one article, even without :meth:`writer_lock`, store it once."""
        key = int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big", signed=True)
        conn.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    # ------------------------------------------------------------------ search
    def _index_search(self, conn: Any, rowid: int, keys: str) -> None:
        conn.execute("INSERT INTO search (article, keys) VALUES (?, to_tsvector('simple', ?))", (rowid, keys))

    def _search(self, keys: list[str], limit: int) -> list[Sequence[Any]]:
        query = " && ".join(["phraseto_tsquery('simple', ?)"] * len(keys))  # each key, as FTS5 phrases
        return self._conn().execute(
            f"SELECT {_A_COLUMNS} FROM (SELECT {query} AS q) q JOIN search s ON s.keys @@ q.q"
            " JOIN articles a ON a.rowid = s.article ORDER BY ts_rank(s.keys, q.q) DESC, a.rowid LIMIT ?",
            (*keys, limit),
        ).fetchall()

    # ------------------------------------------------------------------ processes
    def reopen_spec(self) -> str | None:
        return self.url

    def version(self) -> object | None:
        """The server's WAL position: every commit moves it (so does other work on the server,
        which only costs a page kept in a cache its render)."""
        try:
            return self._conn().execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
        except self._psycopg.Error:
            return None

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """A session advisory lock on the database (re-entrant in this process), held on a
        connection of its own; a second process says it waits, then waits. The server releases
        it when the holder's connection ends, a process killed with -9 included."""
        if self._held == 0:
            if self._locker is None or not self._usable(self._locker):
                self._locker = self._connect()
            if not self._locker.execute("SELECT pg_try_advisory_lock(?)", (_WRITER_LOCK,)).fetchone()[0]:
                log.warning("%s: another process is writing this store; waiting for it to finish", self.name)
                self._locker.execute("SELECT pg_advisory_lock(?)", (_WRITER_LOCK,))
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if self._held == 0 and self._locker is not None:
                with contextlib.suppress(self._psycopg.Error):
                    self._locker.execute("SELECT pg_advisory_unlock(?)", (_WRITER_LOCK,))
