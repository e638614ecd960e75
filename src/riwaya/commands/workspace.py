"""The newsroom workspace: ``ingest``, ``stories``, ``story``, ``search``, ``follow``, ``serve``."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from typing import Any

from riwaya.commands.analyze import max_size
from riwaya.commands.args import int_in, seconds
from riwaya.errors import RiwayaError, printable

DB_HELP = "the workspace store (default: $RIWAYA_DB or riwaya.db)"


def _db_default() -> str:
    return os.environ.get("RIWAYA_DB") or "riwaya.db"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="add articles to the workspace; stories and findings update",
        description="Store articles from files, folders, JSON Lines, feed files and feed or "
        "page URLs; each joins a story (or opens one); when all are stored, the "
        "findings of the stories that changed are recomputed, once each.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--db", default=None, help=DB_HELP)
    p.add_argument("--watch", action="store_true", help="keep polling the sources")
    p.add_argument("--interval", type=seconds, default=600, metavar="SECONDS", help="between polls (600)")
    p.add_argument("--alerts", metavar="FILE", help="append alerts here (JSON Lines)")
    p.add_argument("--webhook", metavar="URL", help="POST each alert here as JSON")
    p.add_argument("--workers", type=int_in(1, 256), default=os.cpu_count() or 1, help="analysis processes")
    p.add_argument("--batch", type=int_in(1, 100_000), default=1000,
                   help="articles read ahead of the one being stored")
    p.add_argument(
        "--no-findings",
        action="store_true",
        help="store articles and stories only; recompute findings later with `riwaya recompute`",
    )
    p.add_argument("--timeout", type=seconds, default=20.0,
                   help="seconds to fetch one URL, whole response included (20)")
    p.add_argument("--max-size", type=max_size, default=20_000_000, metavar="BYTES",
                   help="largest file, record or response (20M; 500k, 50M accepted)")
    p.add_argument("--max-polls", type=int, default=0, help=argparse.SUPPRESS)
    p.set_defaults(func=run_ingest)

    r = sub.add_parser(
        "recompute",
        help="recompute the findings of stories marked for it (after `ingest --no-findings`)",
    )
    r.add_argument("--db", default=None, help=DB_HELP)
    r.add_argument("--all", action="store_true", help="every story, not only those marked")
    r.add_argument("--workers", type=int_in(1, 256), default=os.cpu_count() or 1, help="comparison processes")
    r.set_defaults(func=run_recompute)

    s = sub.add_parser("stories", help="list the workspace's stories")
    s.add_argument("--db", default=None, help=DB_HELP)
    s.add_argument("--since", metavar="DATE", help="last reported on or after DATE (YYYY-MM-DD)")
    s.add_argument("--entity", metavar="NAME", help="stories naming this entity (id or name)")
    s.add_argument("--outlet", metavar="NAME", help="stories this outlet reported")
    s.add_argument("--sort", choices=["newest", "contested", "largest"], default="newest")
    s.add_argument("--all", action="store_true", help="include single-article stories")
    s.add_argument("--limit", type=int_in(1, 100_000), default=30)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=run_stories)

    o = sub.add_parser("story", help="one story's comparison, from the store")
    o.add_argument("id", metavar="ID")
    o.add_argument("--db", default=None, help=DB_HELP)
    o.add_argument("--format", choices=["text", "json", "html"], default="text")
    o.add_argument("--lang", choices=["ar", "en"], default="ar")
    o.add_argument("-o", "--output")
    o.set_defaults(func=run_story)

    q = sub.add_parser("search", help="full-text search (diacritics, alef forms, clitics ignored)")
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--db", default=None, help=DB_HELP)
    q.add_argument("--limit", type=int_in(1, 10_000), default=20)
    q.add_argument("--format", choices=["text", "json"], default="text")
    q.set_defaults(func=run_search)

    f = sub.add_parser("follow", help="follow a story or an entity (alerts on new contradictions or figures)")
    f.add_argument("kind", nargs="?", choices=["story", "entity"])
    f.add_argument("target", nargs="?", metavar="ID_OR_NAME")
    f.add_argument("--remove", action="store_true", help="stop following")
    f.add_argument("--db", default=None, help=DB_HELP)
    f.set_defaults(func=run_follow)

    w = sub.add_parser(
        "serve", help="the web app (read-only): stories, comparisons, entities, outlets, search"
    )
    w.add_argument("--db", default=None, help=DB_HELP)
    w.add_argument("--host", default="127.0.0.1")
    w.add_argument("--port", type=int_in(1, 65_535), default=8000)
    w.add_argument("--token", default=None, help="required beyond localhost (or set RIWAYA_TOKEN)")
    w.add_argument("--workers", type=int_in(1, 64), default=1,
                   help="server processes (1); more answer more readers at once on more cores")
    w.set_defaults(func=run_serve)


def _store(args: argparse.Namespace, read_only: bool = False):
    from riwaya.store import open_store

    return open_store(args.db or _db_default(), read_only=read_only)


# --------------------------------------------------------------------------- ingest
def run_ingest(args: argparse.Namespace) -> int:
    from riwaya.fetch import Fetcher
    from riwaya.store.alerts import Alerts
    from riwaya.store.ingester import Ingester, IngestSummary, Interrupted
    from riwaya.store.sources import iter_sources

    if args.interval <= 0 or args.workers < 1 or args.batch < 1:
        raise RiwayaError("--interval, --workers and --batch must be positive")
    db = args.db or _db_default()
    alert_log = args.alerts or (f"{db}.alerts.jsonl" if args.watch else None)
    alerts = Alerts(alert_log, args.webhook) if (alert_log or args.webhook) else None
    fetcher = Fetcher(timeout=args.timeout, max_bytes=args.max_size)
    polls, total = 0, IngestSummary()
    terminate = signal.signal(signal.SIGTERM, _terminated)  # as Ctrl-C: a clean stop, workers too
    try:
        with (
            _store(args) as store,
            _Progress() as progress,
            Ingester(
                store,
                workers=args.workers,
                batch=args.batch,
                alerts=alerts,
                progress=progress.advance,
                phase=progress.phase,
                findings=not args.no_findings,
            ) as ingester,
        ):
            while True:
                progress.phase("articles", None)
                summary = ingester.ingest(iter_sources(args.sources, fetcher, args.max_size))
                polls += 1
                _merge(total, summary)
                progress.pause()
                _print_summary(summary, watch=args.watch)
                if not args.watch or (args.max_polls and polls >= args.max_polls):
                    break
                time.sleep(args.interval)
    except Interrupted as stop:
        _merge(total, stop.summary)
        print(
            f"ingest: interrupted after {total.new} new articles; run again to continue",
            file=sys.stderr,
        )
        return 143 if stop.signum == signal.SIGTERM else 130
    except KeyboardInterrupt as stop:  # between polls, or while the store opened
        print(f"ingest: interrupted after {total.new} new articles; run again to continue", file=sys.stderr)
        return 143 if isinstance(stop, _Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, terminate)
        fetcher.close()
    return 1 if total.failed or total.alerts_pending else 0


def run_recompute(args: argparse.Namespace) -> int:
    from riwaya.store.ingester import Ingester, IngestSummary, Interrupted

    if args.workers < 1:
        raise RiwayaError("--workers must be positive")
    summary = IngestSummary()
    terminate = signal.signal(signal.SIGTERM, _terminated)
    try:
        with _store(args) as store, _Progress() as progress:
            if args.all:
                store.mark_dirty()
            with Ingester(
                store, workers=args.workers, progress=progress.advance, phase=progress.phase
            ) as ingester:
                ingester.recompute_dirty(summary)
            progress.pause()
            left = store.count()["dirty"]
    except KeyboardInterrupt as stop:
        done = stop.summary.recomputed if isinstance(stop, Interrupted) else 0
        print(f"recompute: interrupted after {done} stories; run again to continue", file=sys.stderr)
        term = isinstance(stop, _Terminated) or getattr(stop, "signum", None) == signal.SIGTERM
        return 143 if term else 130
    finally:
        signal.signal(signal.SIGTERM, terminate)
    print(f"recompute: {summary.recomputed} stories in {summary.findings_seconds:.1f} s; {left} left marked")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM outside the article loop (store opening, between polls): stop as for Ctrl-C."""


def _terminated(signum: int, frame: Any) -> None:
    raise _Terminated


def _merge(total: Any, s: Any) -> None:
    total.new += s.new
    total.duplicate += s.duplicate
    total.failed += s.failed
    total.stories |= s.stories
    total.alerts += s.alerts
    total.alerts_pending = s.alerts_pending


def _print_summary(summary: Any, watch: bool) -> None:
    stamp = time.strftime("%H:%M:%S ") if watch else ""
    print(f"{stamp}ingest: {summary.line()}")
    print(
        f"  time: articles {summary.store_seconds:.1f} s, findings {summary.findings_seconds:.1f} s",
        file=sys.stderr,
    )
    for origin, reason in summary.failed[:20]:
        print(f"  failed: {printable(origin)}: {printable(reason)}")
    if len(summary.failed) > 20:
        print(f"  … and {len(summary.failed) - 20} more failures")
    sys.stdout.flush()


class _Progress:
    """A rich progress line with articles/s on stderr; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.completed:,} {task.description}"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        self._start = time.perf_counter()
        self._n = 0
        self._unit = "articles"
        return self

    def phase(self, name: str, total: int | None) -> None:
        """Count something else from now on: ``articles``, then ``findings`` (stories)."""
        self._unit = "articles" if name == "articles" else "stories"
        self._start, self._n = time.perf_counter(), 0
        if self._progress is not None:
            if self._task is not None:
                self._progress.remove_task(self._task)
            label = self._unit if name == "articles" else f"/ {total:,} stories' findings"
            self._task = self._progress.add_task(label, total=total, rate="")

    def advance(self, n: int) -> None:
        self._n += n
        if self._progress is not None and self._task is not None:
            rate = self._n / max(time.perf_counter() - self._start, 1e-6)
            self._progress.update(self._task, advance=n, rate=f"{rate:,.1f} {self._unit}/s")

    def pause(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None

    def __exit__(self, *exc: object) -> None:
        self.pause()


# --------------------------------------------------------------------------- browsing
def run_stories(args: argparse.Namespace) -> int:
    from riwaya.model import to_dict

    with _store(args, read_only=True) as store:
        rows = store.list_stories(
            sort=args.sort,
            since=args.since,
            entity=args.entity,
            outlet=args.outlet,
            min_articles=1 if args.all else 2,
            limit=args.limit,
        )
    if args.format == "json":
        print(json.dumps([to_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no stories match")
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()))
        when = (r.last_published or "")[:10]
        print(printable(f"{r.id}\t{when}\t{r.n_articles} articles / {r.n_outlets} outlets\t{r.label}"))
        print(printable(f"\toutlets: {', '.join(r.outlets)}") + (f"\tfindings: {counts}" if counts else ""))
    return 0


def run_story(args: argparse.Namespace) -> int:
    from riwaya.commands.output import open_output

    _refresh_story(args)
    with _store(args, read_only=True) as store:
        stored = store.story(args.id)
        if stored is None:
            raise RiwayaError(f"{args.id}: no such story")
        if args.format in ("json", "html"):
            text = _render_story(store, args.id, stored, args.format, args.lang)
        else:
            text = _story_text(stored, args.lang)
    with open_output(args.output) as out:
        out.write(text if text.endswith("\n") else text + "\n")
    return 0


def _refresh_story(args: argparse.Namespace) -> None:
    """A story marked for recompute (new articles since its findings) is recomputed, stored and
    then shown; where the store cannot be written, its last stored findings are shown."""
    import sqlite3

    from riwaya.store.ingester import Ingester

    with _store(args, read_only=True) as store:
        stored = store.story(args.id)
        if stored is None or not stored["summary"].dirty:
            return
    try:
        with _store(args) as store, Ingester(store) as ingester:
            ingester.recompute([args.id])
    except (RiwayaError, sqlite3.Error) as exc:
        print(f"riwaya: {args.id}: showing the last stored findings ({exc})", file=sys.stderr)


def _render_story(store: Any, story: str, stored: dict, fmt: str, lang: str) -> str:
    """The report renderer's output for a stored comparison (nothing recomputed)."""
    from riwaya.model import Comparison, to_dict
    from riwaya.store.codec import story_comparison_from_dict

    try:
        from riwaya.report import render
    except ImportError:
        render = None
    if stored.get("comparison") is None:
        raise RiwayaError(f"{story}: findings not computed yet (run `riwaya ingest` again)")
    sc = story_comparison_from_dict(stored["comparison"])
    if render is None:
        if fmt == "json":
            return json.dumps(to_dict(sc), ensure_ascii=False, indent=2)
        raise RiwayaError("the HTML report renderer (riwaya.report) is not available")
    return render(Comparison(store.story_analyses(story), [sc]), fmt, lang)


def _story_text(stored: dict, lang: str) -> str:
    s = stored["summary"]
    p = printable
    lines = [
        p(f"{s.id}: {s.label}"),
        p(f"{s.n_articles} articles, {s.n_outlets} outlets "
          f"({', '.join(s.outlets)}), {(s.first_published or '')[:16]} – {(s.last_published or '')[:16]}"),
        "",
    ]
    for a in stored["articles"]:
        lines.append(p(f"  {(a['published'] or '')[:16]}  {a['outlet']}  {a['title'] or a['id']}"))
    comp = stored.get("comparison")
    if not comp:
        lines.append("\n(findings not computed yet)")
        return "\n".join(lines)
    if comp.get("summary"):
        lines.append("")
        lines += [p(f"• {x['text_' + lang]}") for x in comp["summary"]]
    lines.append("")
    for f in comp["findings"]:
        lines.append(p(f"[{f['kind']}] {f['explanation_' + lang]} ({f['confidence']:.2f}, {f['status']})"))
        for e in f["evidence"]:
            outlet = stored.get("view", {}).get("outlets", {}).get(e["article"], e["article"])
            lines.append(p(f"    {outlet}: «{e['text']}»"))
    return "\n".join(lines)


def run_search(args: argparse.Namespace) -> int:
    from riwaya.store.prepare import match_keys

    with _store(args, read_only=True) as store:
        hits = store.search(match_keys(args.query), limit=args.limit)
        rows = [
            {
                "id": a.id,
                "source": a.source,
                "outlet": a.outlet,
                "title": a.title,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "story": store.article_story(a.id),
            }
            for a in hits
        ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        if not rows:
            print("no matches")
        for r in rows:
            print(printable(
                f"{r['story']}\t{(r['published'] or '')[:10]}\t{r['outlet']}\t{r['title'] or r['id']}"
            ))
    return 0


def run_follow(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.kind is None:
            for kind, target in store.follows():
                print(f"{kind}\t{target}")
            return 0
        if not args.target:
            raise RiwayaError(f"follow {args.kind}: name the {args.kind} to follow")
        if args.remove:
            if not store.unfollow(args.kind, args.target):
                raise RiwayaError(f"{args.kind} {args.target}: not followed")
            print(f"no longer following {args.kind} {args.target}")
            return 0
        if args.kind == "story" and store.story(args.target) is None:
            raise RiwayaError(f"{args.target}: no such story")
        store.follow(args.kind, args.target)
        print(f"following {args.kind} {args.target}")
    return 0


# --------------------------------------------------------------------------- serve
def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from riwaya.web.app import create_app, is_loopback

    token = args.token or os.environ.get("RIWAYA_TOKEN") or None
    if not is_loopback(args.host) and not token:
        raise RiwayaError(f"--host {args.host}: serving beyond localhost requires --token (or RIWAYA_TOKEN)")
    db = args.db or _db_default()
    app = create_app(db, token=token)  # also checks the store before anything listens
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
        return 0
    # several processes (each with its own page cache): the app is made again in each
    os.environ["RIWAYA_SERVE_DB"] = str(db)
    if token:
        os.environ["RIWAYA_TOKEN"] = token
    uvicorn.run("riwaya.web.app:app_from_env", factory=True, workers=args.workers, host=args.host,
                port=args.port, log_level="warning")
    return 0
