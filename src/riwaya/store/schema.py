"""The SQLite schema as ordered migration steps; ``schema_version`` records which have run.

Add a step to :data:`MIGRATIONS` to change the schema (never edit a released step): a store
opened by a newer riwaya is upgraded in place, each step in its own transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from riwaya.errors import RiwayaError
from riwaya.model import outlet_name

FOREIGN_KEYS_OFF = "-- foreign keys off"  # a step opening with this rebuilds a table (no cascades)

MIGRATIONS: list[str] = [
    # 1: articles and their analyses, stories, findings, entities, search, follows, alerts
    """
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,          -- sha256 of the text as published
        url TEXT UNIQUE,
        source TEXT, title TEXT, author TEXT, published TEXT, credits TEXT, language TEXT,
        origin TEXT, meta TEXT NOT NULL DEFAULT '{}',
        text TEXT NOT NULL,
        ingested TEXT NOT NULL
    );
    CREATE INDEX articles_source ON articles(source, published);
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE analyses (
        article INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        codec INTEGER NOT NULL,
        data BLOB NOT NULL,                 -- zlib-compressed JSON (riwaya.store.codec)
        signature TEXT NOT NULL             -- the story signature, JSON
    );
    CREATE TABLE sourcing (                 -- claims of an article by their ultimate source's kind
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (article, kind)
    ) WITHOUT ROWID;
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        confidence REAL NOT NULL DEFAULT 1.0,
        first_published TEXT, last_published TEXT,
        n_articles INTEGER NOT NULL DEFAULT 0,
        n_outlets INTEGER NOT NULL DEFAULT 0,
        outlets TEXT NOT NULL DEFAULT '[]',
        counts TEXT NOT NULL DEFAULT '{}',  -- findings by kind
        n_contradictions INTEGER NOT NULL DEFAULT 0,
        dirty INTEGER NOT NULL DEFAULT 1,   -- findings to recompute
        updated TEXT
    );
    CREATE INDEX stories_recent ON stories(n_articles, last_published);
    CREATE INDEX stories_contested ON stories(n_contradictions, last_published);
    CREATE INDEX stories_dirty ON stories(dirty);
    CREATE TABLE story_articles (
        article INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        story TEXT NOT NULL REFERENCES stories(id)
    );
    CREATE INDEX story_articles_story ON story_articles(story);
    CREATE TABLE comparisons (
        story TEXT PRIMARY KEY REFERENCES stories(id),
        data BLOB NOT NULL                  -- StoryComparison + page view, compressed JSON
    );
    CREATE TABLE findings (
        story TEXT NOT NULL REFERENCES stories(id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        confidence REAL NOT NULL,
        fingerprint TEXT NOT NULL,          -- kind + evidence spans: stable across recomputes
        data TEXT NOT NULL,
        PRIMARY KEY (story, id)
    );
    CREATE INDEX findings_kind ON findings(kind);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name_ar TEXT, name_en TEXT, subtype TEXT
    );
    CREATE TABLE mentions (                 -- one row per article, entity and surface form
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        entity TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL,   -- the first mention's span
        n INTEGER NOT NULL,
        PRIMARY KEY (article, entity, text)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE VIRTUAL TABLE search USING fts5(keys, content='', tokenize='unicode61 remove_diacritics 2');
    CREATE TABLE follows (
        kind TEXT NOT NULL CHECK (kind IN ('story', 'entity')),
        target TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (kind, target)
    );
    CREATE TABLE alerts (
        rowid INTEGER PRIMARY KEY,
        story TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created TEXT NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (story, fingerprint)
    );
    """,
    # 2: the same text at two URLs is two publications (syndication): content hashes no longer
    # unique. Rebuilds ``articles`` keeping rowids (analyses, mentions and search point at them).
    f"""{FOREIGN_KEYS_OFF}
    CREATE TABLE articles_new (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,                 -- sha256 of the text as published
        url TEXT UNIQUE,
        source TEXT, title TEXT, author TEXT, published TEXT, credits TEXT, language TEXT,
        origin TEXT, meta TEXT NOT NULL DEFAULT '{{}}',
        text TEXT NOT NULL,
        ingested TEXT NOT NULL
    );
    INSERT INTO articles_new SELECT * FROM articles;
    DROP TABLE articles;
    ALTER TABLE articles_new RENAME TO articles;
    CREATE INDEX articles_source ON articles(source, published);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_hash ON articles(hash);
    """,
    # 3: each article's outlet as comparisons name it (``Article.outlet``: its source, else its
    # credits line, else its file, else its id), so that articles without a source count as
    # outlets of their stories and link to outlet pages. ``riwaya_outlet`` is registered by
    # :func:`migrate`.
    """
    ALTER TABLE articles ADD COLUMN outlet TEXT;
    UPDATE articles SET outlet = riwaya_outlet(source, credits, origin, id);
    CREATE INDEX articles_outlet ON articles(outlet, published);
    UPDATE stories SET
        outlets = coalesce((SELECT json_group_array(o) FROM (SELECT a.outlet AS o FROM story_articles sa
            JOIN articles a ON a.rowid = sa.article WHERE sa.story = stories.id
            GROUP BY a.outlet ORDER BY MIN(a.rowid))), '[]'),
        n_outlets = (SELECT COUNT(DISTINCT a.outlet) FROM story_articles sa
            JOIN articles a ON a.rowid = sa.article WHERE sa.story = stories.id);
    """,
    # 4: an alert is remembered with the sinks (log, webhook) it has still to reach, so that one
    # a failing sink missed, or a run killed before sending, is sent again by the next run.
    """
    ALTER TABLE alerts ADD COLUMN pending TEXT NOT NULL DEFAULT '[]';
    """,
    # 5: copies (one report carried by several outlets: the article it copies, counted once),
    # a story's reports, its latest activity (an undated article counts at the time it was
    # ingested), its contested matters (a contradiction across two outlets or more), and each
    # outlet's share of each story (the outlet page reads it instead of scanning findings).
    """
    ALTER TABLE articles ADD COLUMN copy_of INTEGER REFERENCES articles(rowid);
    CREATE INDEX articles_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;
    ALTER TABLE stories ADD COLUMN n_reports INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN last_activity TEXT;
    ALTER TABLE stories ADD COLUMN n_contested INTEGER NOT NULL DEFAULT 0;
    UPDATE stories SET n_reports = n_articles, n_contested = n_contradictions,
        last_activity = (SELECT MAX(coalesce(a.published, a.ingested)) FROM story_articles sa
            JOIN articles a ON a.rowid = sa.article WHERE sa.story = stories.id);
    CREATE INDEX stories_activity ON stories(last_activity);
    CREATE TABLE story_outlets (
        outlet TEXT NOT NULL,
        story TEXT NOT NULL REFERENCES stories(id),
        articles INTEGER NOT NULL DEFAULT 0,          -- what it published in the story
        reports INTEGER NOT NULL DEFAULT 0,           -- ... with the copies of one report counted once
        unique_findings INTEGER NOT NULL DEFAULT 0,   -- what it alone reports there
        PRIMARY KEY (outlet, story)
    ) WITHOUT ROWID;
    CREATE INDEX story_outlets_story ON story_outlets(story);
    INSERT INTO story_outlets (outlet, story, articles, reports)
        SELECT a.outlet, sa.story, COUNT(*), COUNT(*) FROM story_articles sa
        JOIN articles a ON a.rowid = sa.article GROUP BY a.outlet, sa.story;
    UPDATE story_outlets SET unique_findings = (SELECT COUNT(*) FROM findings f
        WHERE f.story = story_outlets.story AND f.kind = 'unique' AND EXISTS (SELECT 1
            FROM json_each(f.data, '$.articles') j JOIN articles a ON a.id = j.value
            WHERE a.outlet = story_outlets.outlet));
    """,
    # 6: the story page's comparison part, rendered when the findings are computed (compressed
    # JSON: the HTML and the stamp of what rendered it; riwaya.web.render), so that a page of a
    # large story is not rendered from its findings on every request.
    """
    ALTER TABLE comparisons ADD COLUMN page BLOB;
    """,
]

LATEST = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


class SchemaError(RiwayaError):
    """The file is not a store this riwaya can use (another application's, or a newer schema)."""


def check_version(version: int) -> None:
    if version > LATEST:
        raise SchemaError(f"store schema {version} is newer than this riwaya's ({LATEST}): upgrade riwaya")


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables of a database riwaya never migrated (another application's), if any."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if "schema_version" in names:
        return []
    return [n for n in names if not n.startswith("sqlite_")]


def migrate(conn: sqlite3.Connection) -> int:
    """Run every step newer than the store's version, each atomically; return the new version.

    Refuses (:class:`SchemaError`) a newer store, and a database holding other tables.
    """
    conn.create_function("riwaya_outlet", 4, outlet_name, deterministic=True)
    other = foreign_tables(conn)
    if other:
        raise SchemaError(f"not a riwaya store: it holds other tables ({', '.join(sorted(other)[:5])});"
                          " give --db a new file")
    version = current_version(conn)
    check_version(version)
    for number in range(version + 1, LATEST + 1):
        step = MIGRATIONS[number - 1]
        statements = [s.strip() for s in step.split(";\n") if s.strip()]
        rebuild = step.lstrip().startswith(FOREIGN_KEYS_OFF)
        if rebuild:  # cannot change inside a transaction; restored below
            conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= number:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            for statement in statements:
                conn.execute(statement)
            if rebuild and conn.execute("PRAGMA foreign_key_check").fetchone():
                raise RuntimeError(f"schema step {number} broke a foreign key")
            conn.execute(
                "INSERT INTO schema_version VALUES (?, ?)",
                (number, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            if rebuild:
                conn.execute("PRAGMA foreign_keys=ON")
    return LATEST
