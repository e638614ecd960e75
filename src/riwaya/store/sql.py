"""The queries every SQL store shares: SQLite (the default) and PostgreSQL run the same SQL.

It is written in the subset both understand (``?`` placeholders, ``ON CONFLICT`` upserts,
``RETURNING``); a database's own store (:mod:`riwaya.store.sqlite`, :mod:`riwaya.store.postgres`)
adds only how to connect, open a writing transaction, lock out other writers, search, and tell
when the data changed.
"""

from __future__ import annotations

import abc
import contextlib
import json
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from riwaya.model import Analysis, Article, StoryComparison, outlet_name, story_label, to_dict
from riwaya.store import codec
from riwaya.store.base import DuplicateArticle, Store
from riwaya.store.records import (
    ArticleRecord,
    EntityName,
    Follow,
    OutletCount,
    SignatureRow,
    StoryMember,
    StorySummary,
)

_ARTICLE_COLUMNS = "id, text, title, source, url, author, published, credits, language, origin, meta"
_A_COLUMNS = ", ".join("a." + c for c in _ARTICLE_COLUMNS.split(", "))


class Cursor(Protocol):
    """What the queries read from a statement: DB-API cursors of sqlite3 and psycopg alike."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection taking ``?`` placeholders (the PostgreSQL store translates them)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...


def _same_article(hash: str, url: str | None) -> tuple[str, tuple[str]]:
    """The query finding a stored article with this identity: its URL if it has one, else its
    content (the same text at another URL is another publication: a syndicated copy)."""
    if url:
        return "SELECT id FROM articles WHERE url = ? LIMIT 1", (url,)
    return "SELECT id FROM articles WHERE hash = ? LIMIT 1", (hash,)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_SUMMARY_COLUMNS = ("s.id, s.label, s.n_articles, s.n_outlets, s.outlets, s.first_published,"
                    " s.last_published, s.counts, s.n_contradictions, s.confidence, s.dirty, s.n_reports,"
                    " s.n_contested, s.last_activity")
# stories with reports of two outlets or more lead every order: one outlet's alone never does
_COMPARED = "CASE WHEN s.n_outlets >= 2 AND s.n_reports >= 2 THEN 1 ELSE 0 END"
_ORDER = {
    "newest": "s.last_activity DESC, s.n_contested DESC, s.n_outlets DESC",
    "contested": "s.n_contested DESC, s.n_outlets DESC, s.last_activity DESC",
    "largest": "s.n_reports DESC, s.last_activity DESC",
}


def _story_summary(r: tuple, exclude: list[str]) -> StorySummary:
    outlets = [o for o in json.loads(r[4]) if o not in exclude]
    return StorySummary(r[0], r[1], r[2], len(outlets) if exclude else r[3], outlets, r[5], r[6],
                        json.loads(r[7]), r[8], r[9], bool(r[10]), r[11], r[12], r[13], r[3] == 1)


def _row_article(row: Sequence[Any]) -> Article:
    (id_, text, title, source, url, author, published, credits, language, origin, meta) = row
    return Article(
        id=id_,
        text=text,
        title=title,
        source=source,
        url=url,
        author=author,
        published=datetime.fromisoformat(published) if published else None,
        credits=credits,
        language=language,
        origin=origin,
        meta=json.loads(meta or "{}"),
    )


class SQLStore(Store):
    """The shared queries over one connection per thread; subclasses connect and lock."""

    read_only: bool
    name: str  # the store as messages name it (a path, a URL without its password)
    _integrity: tuple[type[Exception], ...] = ()  # a unique key's violation (a concurrent writer)

    def __init__(self, *, read_only: bool) -> None:
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ connections
    @abc.abstractmethod
    def _connect(self) -> Any:
        """A new connection for this thread (set up: read-only, timeouts)."""

    def _usable(self, conn: Any) -> bool:
        """Whether this thread's connection can still be used (a server's may have dropped)."""
        return True

    def _conn(self) -> Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or not self._usable(conn):
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    @abc.abstractmethod
    def _write(self) -> contextlib.AbstractContextManager[Any]:
        """A writing transaction: committed whole, or rolled back on any error."""

    def _claim(self, conn: Connection, identity: str) -> None:
        """Held until the writing transaction ends: another process writing the same article
        waits, then finds it stored. Default: nothing (SQLite's write transaction excludes
        every other writer already)."""

    @abc.abstractmethod
    def _index_search(self, conn: Connection, rowid: int, keys: str) -> None:
        """Make an article findable by its matching keys."""

    @abc.abstractmethod
    def _search(self, keys: list[str], limit: int) -> list[Sequence[Any]]:
        """Article rows (``_ARTICLE_COLUMNS``) holding every key, best match first."""

    # ------------------------------------------------------------------ writing
    def find_duplicate(self, hash: str, url: str | None) -> str | None:
        row = self._conn().execute(*_same_article(hash, url)).fetchone()
        return row[0] if row else None

    def add_article(self, record: ArticleRecord, story: str, copy_of: str | None = None) -> str:
        a = record.article
        try:
            return self._add_article(record, story, copy_of)
        except self._integrity:  # another process stored it between our look and our write
            raise DuplicateArticle(a.id) from None

    def _add_article(self, record: ArticleRecord, story: str, copy_of: str | None) -> str:
        a = record.article
        with self._write() as conn:
            report = None
            if copy_of is not None:
                found = conn.execute("SELECT coalesce(copy_of, rowid) FROM articles WHERE id = ?",
                                     (copy_of,)).fetchone()
                report = found[0] if found else None
            self._claim(conn, a.url or record.hash)
            if conn.execute(*_same_article(record.hash, a.url)).fetchone():
                raise DuplicateArticle(a.id)
            article_id = a.id
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                article_id = f"{a.id}~{record.hash[:10]}"  # same id, other content: keep both
            published = a.published.isoformat() if a.published else None
            now = _now()
            outlet = outlet_name(a.source, a.credits, a.origin, article_id)
            (rowid,) = conn.execute(
                "INSERT INTO articles (id, hash, url, source, title, author, published, credits, language,"
                " origin, meta, text, ingested, outlet, copy_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " RETURNING rowid",
                (
                    article_id,
                    record.hash,
                    a.url,
                    a.source,
                    a.title,
                    a.author,
                    published,
                    a.credits,
                    a.language,
                    a.origin,
                    json.dumps(to_dict(a.meta), ensure_ascii=False),
                    a.text,
                    now,
                    outlet,
                    report,
                ),
            ).fetchone()
            conn.execute(
                "INSERT INTO analyses (article, codec, data, signature) VALUES (?,?,?,?)",
                (
                    rowid,
                    codec.CODEC_VERSION,
                    record.analysis,
                    json.dumps(record.signature, ensure_ascii=False, separators=(",", ":")),
                ),
            )
            conn.executemany(
                "INSERT INTO sourcing (article, kind, n) VALUES (?,?,?)",
                [(rowid, k, n) for k, n in record.sourcing.items() if n],
            )
            conn.executemany(
                "INSERT INTO entities (id, type, name_ar, name_en, subtype) VALUES (?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET"
                " name_ar = coalesce(entities.name_ar, excluded.name_ar),"
                " name_en = coalesce(entities.name_en, excluded.name_en),"
                " subtype = coalesce(entities.subtype, excluded.subtype)",
                record.entities,
            )
            conn.executemany(
                'INSERT INTO mentions (article, entity, text, start, "end", n) VALUES (?,?,?,?,?,?)'
                " ON CONFLICT DO NOTHING", [(rowid, *m) for m in record.mentions]
            )
            if record.keys:
                self._index_search(conn, rowid, record.keys)
            conn.execute("INSERT INTO stories (id, dirty) VALUES (?, 0) ON CONFLICT DO NOTHING", (story,))
            conn.execute("INSERT INTO story_articles (article, story) VALUES (?, ?)", (rowid, story))
            (outlets_json,) = conn.execute("SELECT outlets FROM stories WHERE id = ?", (story,)).fetchone()
            outlets = json.loads(outlets_json)
            if outlet not in outlets:
                outlets.append(outlet)
            # a copy adds an outlet carrying the story, not a report to compare
            new_report = report is None
            activity = published or now
            conn.execute(
                "UPDATE stories SET n_articles = n_articles + 1, n_reports = n_reports + ?, n_outlets = ?,"
                " outlets = ?, dirty = CASE WHEN ? = 1 AND n_reports >= 1 THEN 1 ELSE dirty END,"
                " first_published = CASE WHEN ? IS NULL THEN first_published"
                "   WHEN first_published IS NULL OR ? < first_published THEN ? ELSE first_published END,"
                " last_published = CASE WHEN ? IS NULL THEN last_published"
                "   WHEN last_published IS NULL OR ? > last_published THEN ? ELSE last_published END,"
                " last_activity = CASE WHEN last_activity IS NULL OR ? > last_activity THEN ?"
                "   ELSE last_activity END,"
                " label = CASE WHEN label = '' THEN ? ELSE label END, updated = ? WHERE id = ?",
                (
                    int(new_report),
                    len(outlets),
                    json.dumps(outlets, ensure_ascii=False),
                    int(new_report),
                    published,
                    published,
                    published,
                    published,
                    published,
                    published,
                    activity,
                    activity,
                    story_label([a]),
                    now,
                    story,
                ),
            )
            carried = report is not None and conn.execute(  # the outlet has this report already
                "SELECT 1 FROM articles a JOIN story_articles sa ON sa.article = a.rowid"
                " WHERE sa.story = ? AND a.outlet = ? AND a.rowid != ? AND (a.rowid = ? OR a.copy_of = ?)"
                " LIMIT 1", (story, outlet, rowid, report, report)).fetchone() is not None
            conn.execute(
                "INSERT INTO story_outlets (outlet, story, articles, reports) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (outlet, story) DO UPDATE SET articles = story_outlets.articles + 1,"
                " reports = story_outlets.reports + excluded.reports",
                (outlet, story, int(not carried)),
            )
        return article_id

    def story_signatures(self) -> Iterator[SignatureRow]:
        rows = self._conn().execute(
            "SELECT a.id, sa.story, an.signature, coalesce(a.published, a.ingested), r.id FROM articles a"
            " JOIN analyses an ON an.article = a.rowid JOIN story_articles sa ON sa.article = a.rowid"
            " LEFT JOIN articles r ON r.rowid = a.copy_of ORDER BY a.rowid"
        )
        for id_, story, signature, when, report in rows:
            yield SignatureRow(id_, story, json.loads(signature), when, report)

    def mark_dirty(self) -> int:
        with self._write() as conn:
            return conn.execute("UPDATE stories SET dirty = 1 WHERE dirty = 0 AND n_reports >= 2").rowcount

    def dirty_stories(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT id FROM stories WHERE dirty = 1 ORDER BY rowid")]

    def story_members(self, story: str) -> list[StoryMember]:
        return [StoryMember(*r) for r in self._conn().execute(
            "SELECT a.id, a.outlet, a.published FROM articles a"
            " JOIN story_articles sa ON sa.article = a.rowid WHERE sa.story = ? AND a.copy_of IS NULL"
            " ORDER BY coalesce(a.published, ''), a.rowid",
            (story,),
        )]

    def article_analyses(self, ids: list[str]) -> list[Analysis]:
        out = []
        for article_id in ids:  # only these are decoded
            analysis = self.article_analysis(article_id)
            if analysis is not None:
                out.append(analysis)
        return out

    def story_analyses(self, story: str, copies: bool = False) -> list[Analysis]:
        rows = (
            self._conn()
            .execute(
                f"SELECT {_A_COLUMNS}, an.data FROM articles a"
                " JOIN story_articles sa ON sa.article = a.rowid JOIN analyses an ON an.article = a.rowid"
                f" WHERE sa.story = ?{'' if copies else ' AND a.copy_of IS NULL'}"
                " ORDER BY coalesce(a.published, ''), a.rowid",
                (story,),
            )
            .fetchall()
        )
        return [codec.decode_analysis(row[-1], _row_article(row[:-1])) for row in rows]

    def story_copies(self, story: str) -> list[list[str]]:
        groups: dict[str, list[str]] = {}
        for copy, report in self._conn().execute(
            "SELECT a.id, r.id FROM articles a JOIN story_articles sa ON sa.article = a.rowid"
            " JOIN articles r ON r.rowid = a.copy_of WHERE sa.story = ? ORDER BY a.rowid",
            (story,),
        ):
            groups.setdefault(report, [report]).append(copy)
        return list(groups.values())

    def save_comparison(
        self, story: str, comparison: StoryComparison, view: dict[str, Any], fingerprints: dict[str, str],
        page: dict[str, str] | None = None,
    ) -> set[str]:
        counts: dict[str, int] = {}
        for f in comparison.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        with self._write() as conn:
            row = conn.execute("SELECT n_reports FROM stories WHERE id = ?", (story,)).fetchone()
            if row is None:
                raise KeyError(story)
            outlet_of = dict(conn.execute(
                "SELECT a.id, a.outlet FROM articles a JOIN story_articles sa ON sa.article = a.rowid"
                " WHERE sa.story = ?", (story,)).fetchall())
            contested = sum(1 for m in comparison.matters if m.verdict == "contradiction"
                            and len({outlet_of.get(a, a) for a in m.articles}) >= 2)
            alone: dict[str, int] = {}
            for f in comparison.findings:
                if f.kind == "unique":
                    for o in {outlet_of.get(a, a) for a in f.articles}:
                        alone[o] = alone.get(o, 0) + 1
            conn.execute("UPDATE story_outlets SET unique_findings = 0 WHERE story = ?", (story,))
            conn.executemany("UPDATE story_outlets SET unique_findings = ? WHERE story = ? AND outlet = ?",
                             [(n, story, o) for o, n in alone.items()])
            before = {
                r[0] for r in conn.execute("SELECT fingerprint FROM findings WHERE story = ?", (story,))
            }
            conn.execute("DELETE FROM findings WHERE story = ?", (story,))
            conn.executemany(
                "INSERT INTO findings (story, id, kind, confidence, fingerprint, data) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT (story, id) DO UPDATE SET kind = excluded.kind,"
                " confidence = excluded.confidence, fingerprint = excluded.fingerprint, data = excluded.data",
                [
                    (
                        story,
                        f.id,
                        f.kind,
                        f.confidence,
                        fingerprints.get(f.id, f.id),
                        json.dumps(codec.plain(f), ensure_ascii=False),
                    )
                    for f in comparison.findings
                ],
            )
            data = {"comparison": codec.plain(comparison), "view": view}
            conn.execute("INSERT INTO comparisons (story, data, page) VALUES (?, ?, ?) ON CONFLICT (story)"
                         " DO UPDATE SET data = excluded.data, page = excluded.page",
                         (story, codec.pack(data), codec.pack(page) if page else None))
            still_dirty = row[0] != view.get(
                "n_articles", len(comparison.story.articles)
            )  # arrived meanwhile
            conn.execute(
                "UPDATE stories SET counts = ?, n_contradictions = ?, n_contested = ?, confidence = ?,"
                " dirty = ?, label = CASE WHEN ? != '' THEN ? ELSE label END, updated = ? WHERE id = ?",
                (
                    json.dumps(counts),
                    counts.get("contradiction", 0),
                    contested,
                    comparison.story.confidence,
                    int(still_dirty),
                    comparison.story.label,
                    comparison.story.label,
                    _now(),
                    story,
                ),
            )
        return set(fingerprints.values()) - before

    # ------------------------------------------------------------------ follows and alerts
    def follow(self, kind: str, target: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT INTO follows (kind, target, created) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                         (kind, target, _now()))

    def unfollow(self, kind: str, target: str) -> bool:
        with self._write() as conn:
            return (
                conn.execute("DELETE FROM follows WHERE kind = ? AND target = ?", (kind, target)).rowcount > 0
            )

    def follows(self) -> list[Follow]:
        return [Follow(*r) for r in self._conn().execute("SELECT kind, target FROM follows ORDER BY created")]

    def record_alert(
        self, story: str, fingerprint: str, data: dict[str, Any], pending: list[str] | None = None
    ) -> int | None:
        with self._write() as conn:
            row = conn.execute(
                "INSERT INTO alerts (story, fingerprint, created, data, pending)"
                " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING rowid",
                (story, fingerprint, _now(), json.dumps(data, ensure_ascii=False), json.dumps(pending or [])),
            ).fetchone()
            return int(row[0]) if row else None

    def pending_alerts(self) -> list[tuple[int, dict[str, Any], list[str]]]:
        rows = self._conn().execute(
            "SELECT rowid, data, pending FROM alerts WHERE pending != '[]' ORDER BY rowid"
        )
        return [(r[0], json.loads(r[1]), json.loads(r[2])) for r in rows]

    def alert_sent(self, alert_id: int, pending: list[str]) -> None:
        with self._write() as conn:
            conn.execute("UPDATE alerts SET pending = ? WHERE rowid = ?", (json.dumps(pending), alert_id))

    def story_entities(self, story: str) -> list[EntityName]:
        return [
            EntityName(*r)
            for r in self._conn().execute(
                "SELECT DISTINCT m.entity, m.text FROM mentions m"
                " JOIN story_articles sa ON sa.article = m.article"
                " WHERE sa.story = ?",
                (story,),
            )
        ]

    # ------------------------------------------------------------------ reading
    def count(self) -> dict[str, int]:
        conn = self._conn()
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "analyses": one("SELECT COUNT(*) FROM analyses"),
            "stories": one("SELECT COUNT(*) FROM stories"),
            "findings": one("SELECT COUNT(*) FROM findings"),
            "dirty": one("SELECT COUNT(*) FROM stories WHERE dirty = 1"),
        }

    def count_stories(
        self,
        *,
        since: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        exclude: list[str] | None = None,
        min_articles: int = 1,
    ) -> int:
        exclude = [e for e in (exclude or []) if e]
        where, params = self._story_filter(since, entity, outlet, exclude, min_articles)
        sql = f"SELECT COUNT(*) FROM stories s WHERE {' AND '.join(where)}"
        return int(self._conn().execute(sql, params).fetchone()[0])

    @staticmethod
    def _story_filter(
        since: str | None, entity: str | None, outlet: str | None, exclude: list[str], min_articles: int
    ) -> tuple[list[str], list[Any]]:
        """The WHERE terms and parameters that :meth:`list_stories` and :meth:`count_stories` share."""
        where: list[str] = ["s.n_articles >= ?"]
        params: list[Any] = [min_articles]
        if since:
            where.append("s.last_activity >= ?")
            params.append(since)
        if entity:
            where.append(
                "s.id IN (SELECT sa.story FROM story_articles sa JOIN mentions m ON m.article = sa.article"
                " WHERE m.entity IN (SELECT id FROM entities WHERE id = ? OR name_ar = ? OR name_en = ?)"
                " OR m.text = ?)"
            )
            params += [entity] * 4
        if outlet:
            where.append("s.id IN (SELECT so.story FROM story_outlets so WHERE so.outlet = ?)")
            params.append(outlet)
        if exclude:
            marks = ",".join("?" * len(exclude))
            where.append("EXISTS (SELECT 1 FROM story_outlets so WHERE so.story = s.id"
                         f" AND so.outlet NOT IN ({marks}))")
            params += exclude
        return where, params

    def list_stories(
        self,
        *,
        sort: str = "newest",
        since: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        exclude: list[str] | None = None,
        min_articles: int = 1,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StorySummary]:
        exclude = [e for e in (exclude or []) if e]
        where, params = self._story_filter(since, entity, outlet, exclude, min_articles)
        order = _ORDER.get(sort)
        if order is None:
            raise ValueError(f"unknown sort {sort!r} (newest, contested, largest)")
        rows = (
            self._conn()
            .execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM stories s WHERE {' AND '.join(where)}"
                f" ORDER BY {_COMPARED} DESC, {order}, s.rowid LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
            .fetchall()
        )
        return [_story_summary(r, exclude) for r in rows]

    def _summary(self, story: str) -> StorySummary | None:
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM stories s WHERE s.id = ?"
        r = self._conn().execute(sql, (story,)).fetchone()
        return None if r is None else _story_summary(r, [])

    def story(self, story: str, *, fragment: bool = False) -> dict[str, Any] | None:
        summary = self._summary(story)
        if summary is None:
            return None
        conn = self._conn()
        articles = [
            dict(zip(("id", "source", "outlet", "title", "published", "url", "copy_of"), r, strict=True))
            for r in conn.execute(
                "SELECT a.id, a.source, a.outlet, a.title, a.published, a.url, r.id FROM articles a"
                " JOIN story_articles sa ON sa.article = a.rowid LEFT JOIN articles r ON r.rowid = a.copy_of"
                " WHERE sa.story = ? ORDER BY coalesce(a.published, ''), a.rowid",
                (story,),
            )
        ]
        carried_by: dict[str, list[dict[str, Any]]] = {}  # report -> the copies other articles carry
        for a in articles:
            if a["copy_of"]:
                carried_by.setdefault(a["copy_of"], []).append(a)
        entities = [
            dict(zip(("id", "type", "name", "n"), r, strict=True))
            for r in conn.execute(
                "SELECT e.id, e.type, coalesce(e.name_ar, e.name_en, MIN(m.text)), SUM(m.n) FROM mentions m"
                " JOIN story_articles sa ON sa.article = m.article JOIN entities e ON e.id = m.entity"
                " WHERE sa.story = ? GROUP BY e.id ORDER BY SUM(m.n) DESC LIMIT 40",
                (story,),
            )
        ]
        stored: dict[str, Any] = {"comparison": None, "view": {}}
        page = fragment and conn.execute("SELECT page FROM comparisons WHERE story = ?", (story,)).fetchone()
        if page and page[0] is not None:
            stored = {"fragment": codec.unpack(page[0])}
        else:
            row = conn.execute("SELECT data FROM comparisons WHERE story = ?", (story,)).fetchone()
            if row:
                stored = codec.unpack(row[0])
        return {"summary": summary, "articles": articles, "carried_by": carried_by, "entities": entities,
                **stored}

    def article(self, article_id: str) -> Article | None:
        row = (
            self._conn()
            .execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return _row_article(row) if row else None

    def article_story(self, article_id: str) -> str | None:
        row = (
            self._conn()
            .execute(
                "SELECT sa.story FROM story_articles sa JOIN articles a ON a.rowid = sa.article"
                " WHERE a.id = ?",
                (article_id,),
            )
            .fetchone()
        )
        return row[0] if row else None

    def recent_articles(self, per_outlet: int) -> Iterator[tuple[str, Article]]:
        rows = self._conn().execute(
            f"SELECT a.outlet, {_A_COLUMNS} FROM (SELECT rowid, ROW_NUMBER() OVER (PARTITION BY outlet"
            " ORDER BY rowid DESC) AS n FROM articles) r JOIN articles a ON a.rowid = r.rowid"
            " WHERE r.n <= ? ORDER BY a.rowid",
            (per_outlet,),
        )
        for row in rows:
            yield row[0], _row_article(row[1:])

    def article_analysis(self, article_id: str) -> Analysis | None:
        row = (
            self._conn()
            .execute(
                f"SELECT {_A_COLUMNS}, an.data FROM articles a"
                " JOIN analyses an ON an.article = a.rowid WHERE a.id = ?",
                (article_id,),
            )
            .fetchone()
        )
        return codec.decode_analysis(row[-1], _row_article(row[:-1])) if row else None

    def entity(self, entity: str) -> dict[str, Any] | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT id, type, name_ar, name_en, subtype FROM entities WHERE id = ?", (entity,)
        ).fetchone()
        if row is None:
            return None
        info = dict(zip(("id", "type", "name_ar", "name_en", "subtype"), row, strict=True))
        names = conn.execute(
            "SELECT m.text, a.outlet, SUM(m.n) FROM mentions m"
            " JOIN articles a ON a.rowid = m.article"
            " WHERE m.entity = ? GROUP BY m.text, a.outlet ORDER BY SUM(m.n) DESC",
            (entity,),
        ).fetchall()
        by_name: dict[str, dict[str, Any]] = {}
        outlets: dict[str, int] = {}
        for text, outlet, n in names:
            item = by_name.setdefault(text, {"name": text, "n": 0, "outlets": []})
            item["n"] += n
            item["outlets"].append(outlet)
            outlets[outlet] = outlets.get(outlet, 0) + n
        stories = conn.execute(
            "SELECT sa.story, COUNT(DISTINCT m.article) FROM mentions m JOIN story_articles sa"
            " ON sa.article = m.article WHERE m.entity = ? GROUP BY sa.story",
            (entity,),
        ).fetchall()
        found = [self._summary(s) for s, _ in stories]
        summaries = sorted(
            (s for s in found if s),
            key=lambda s: (s.n_articles > 1, s.last_published or ""),
            reverse=True,
        )
        return {
            **info,
            "names": list(by_name.values()),
            "outlets": sorted(outlets.items(), key=lambda kv: -kv[1]),
            "stories": summaries[:100],
            "n_stories": len(summaries),
        }

    def outlet(self, name: str) -> dict[str, Any] | None:
        conn = self._conn()
        n = conn.execute("SELECT COUNT(*) FROM articles WHERE outlet = ?", (name,)).fetchone()[0]
        if not n:
            return None
        stories, shared, reports, alone = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.n_outlets > 1 THEN 1 ELSE 0 END), 0),"
            " COALESCE(SUM(so.reports), 0),"
            " COALESCE(SUM(so.unique_findings), 0) FROM story_outlets so JOIN stories s ON s.id = so.story"
            " WHERE so.outlet = ?",
            (name,),
        ).fetchone()
        sourcing = dict(  # each report it carries once, however many times it published it
            conn.execute(
                "SELECT so.kind, SUM(so.n) FROM sourcing so JOIN articles a ON a.rowid = so.article"
                " WHERE a.outlet = ? AND (a.copy_of IS NULL OR NOT EXISTS (SELECT 1 FROM articles b"
                " WHERE b.outlet = a.outlet AND (b.rowid = a.copy_of OR (b.copy_of = a.copy_of"
                " AND b.rowid < a.rowid)))) GROUP BY so.kind",
                (name,),
            ).fetchall()
        )
        recent = self.list_stories(outlet=name, min_articles=1, limit=50)
        return {
            "name": name,
            "articles": n,
            "reports": reports,
            "stories": stories,
            "shared_stories": shared,
            "alone_stories": stories - shared,
            "unique_findings": alone,
            "sourcing": sourcing,
            "recent": recent,
        }

    def outlets(self) -> list[OutletCount]:
        return [
            OutletCount(*r)
            for r in self._conn().execute(
                "SELECT outlet, COUNT(*) FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC, outlet"
            )
        ]

    def search(self, keys: list[str], limit: int = 50) -> list[Article]:
        keys = [k for k in keys if k.strip()]
        if not keys:
            return []
        rows = self._search(keys, limit)
        return [_row_article(r) for r in rows]


