"""The newsroom workspace: ``ingest``, ``stories``, ``story``, ``search``, ``follow``, ``serve``."""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from riwaya.commands.options import (
    add_command,
    add_db_option,
    add_input_options,
    add_output_option,
    db_default,
    int_in,
    seconds,
)
from riwaya.commands.progress import Progress
from riwaya.errors import RiwayaError, printable
from riwaya.report.wording import count_en

WORKSPACE_EPILOG = """\
the workspace store is --db, else $RIWAYA_DB, else riwaya.db in the current folder; a
postgresql://user@host/database URL keeps it on a PostgreSQL server (pip install 'riwaya[postgres]')."""


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "ingest", help="add articles to the workspace; stories and findings update",
        description="Store articles from files, folders, JSON Lines, feed files and feed or page URLs; "
        "each joins a story (or opens one). When all are stored, the findings of the stories that "
        "changed are recomputed, once each. Running it again skips what is already stored, so an "
        "interrupted run resumes.",
        epilog="examples:\n"
        "  riwaya ingest feeds/*.xml https://example.org/rss --db desk.db\n"
        "  riwaya ingest https://example.org/rss --db desk.db --watch --interval 900 --alerts alerts.jsonl\n"
        "  riwaya ingest archive.jsonl.gz --db desk.db --no-findings && riwaya recompute --db desk.db\n\n"
        "exit status: 0 when every article was stored, 1 when some failed (listed), 130 when "
        "interrupted (run again to continue).\n\n" + WORKSPACE_EPILOG,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="a file, folder, glob pattern, feed file, or the URL of a feed or page")
    add_db_option(p)
    p.add_argument("--watch", action="store_true", help="keep polling the sources every --interval")
    p.add_argument("--interval", type=seconds, default=600, metavar="SECONDS",
                   help="between polls with --watch")
    p.add_argument("--alerts", metavar="FILE",
                   help="append alerts here as JSON Lines (with --watch, default: the store's path + "
                        ".alerts.jsonl)")
    p.add_argument("--webhook", metavar="URL", help="POST each alert here as JSON")
    p.add_argument("--workers", type=int_in(1, 256), default=os.cpu_count() or 1, metavar="N",
                   help="analysis processes (default: the number of CPUs)")
    p.add_argument("--batch", type=int_in(1, 100_000), default=1000, metavar="N",
                   help="articles read ahead of the one being stored")
    p.add_argument("--no-findings", action="store_true",
                   help="store articles and stories only; recompute findings later with `riwaya recompute`")
    p.add_argument("--timeout", type=seconds, default=20.0, metavar="SECONDS",
                   help="to fetch one URL, whole response included (default: 20)")
    add_input_options(p, overrides=False, strict=False, fetched=True)
    p.add_argument("--max-polls", type=int, default=0, help=argparse.SUPPRESS)
    p.set_defaults(func=run_ingest)

    r = add_command(
        sub, "recompute",
        help="recompute the findings of stories marked for it (after `ingest --no-findings`)",
        description="Recompute the findings of every story marked for it (by `ingest --no-findings`, or "
        "by an interrupted run), once each; with --all, of every story.",
        epilog="example:\n  riwaya ingest archive.jsonl.gz --db desk.db --no-findings\n"
        "  riwaya recompute --db desk.db\n\n" + WORKSPACE_EPILOG,
    )
    add_db_option(r)
    r.add_argument("--all", action="store_true", help="every story, not only those marked")
    r.add_argument("--workers", type=int_in(1, 256), default=os.cpu_count() or 1, metavar="N",
                   help="comparison processes (default: the number of CPUs)")
    r.set_defaults(func=run_recompute)

    s = add_command(
        sub, "stories", help="list the workspace's stories",
        description="List the workspace's stories (two or more articles, unless --all): id, last "
        "publication date, articles and outlets, label, and the count of each kind of finding.",
        epilog="examples:\n  riwaya stories --sort contested --limit 10\n"
        "  riwaya stories --entity ليبيا --since 2016-02-01 --format json\n\n" + WORKSPACE_EPILOG,
    )
    add_db_option(s)
    s.add_argument("--since", metavar="DATE", help="last reported on or after DATE (YYYY-MM-DD)")
    s.add_argument("--entity", metavar="NAME", help="stories naming this entity (id or name)")
    s.add_argument("--outlet", metavar="NAME", help="stories this outlet reported")
    s.add_argument("--sort", choices=["newest", "contested", "largest"], default="newest",
                   help="latest activity first, most contested matters first, or most reports first (stories "
                        "several outlets report always before those of one outlet)")
    s.add_argument("--all", action="store_true", help="include single-article stories")
    s.add_argument("--limit", type=int_in(1, 100_000), default=30, metavar="N", help="list at most N stories")
    s.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    s.set_defaults(func=run_stories)

    o = add_command(
        sub, "story", help="one story's comparison, from the store",
        description="Show one story's comparison as stored: its articles, summary and findings with "
        "their evidence. A story marked for recompute is recomputed first.",
        epilog="examples:\n  riwaya story s-0001 --db desk.db\n"
        "  riwaya story s-0001 --db desk.db --format html -o story.html\n\n" + WORKSPACE_EPILOG,
    )
    o.add_argument("id", metavar="ID", help="the story's id (as `riwaya stories` lists it)")
    add_db_option(o)
    o.add_argument("--format", choices=["text", "json", "html"], default="text", help="output format")
    o.add_argument("--lang", choices=["ar", "en"], default="ar", help="language of the explanations")
    add_output_option(o)
    o.set_defaults(func=run_story)

    q = add_command(
        sub, "search", help="full-text search (diacritics, alef forms, clitics ignored)",
        description="Search the stored articles' text the way people type Arabic: diacritics, alef "
        "and ya forms, the article and clitics are ignored («بليبيا» finds «ليبيا»). Prints each "
        "article's story, date, outlet and title.",
        epilog="example:\n  riwaya search 'ليبيا' --db desk.db --limit 5\n\n" + WORKSPACE_EPILOG,
    )
    q.add_argument("query", metavar="QUERY", help="words to find (every one must occur)")
    add_db_option(q)
    q.add_argument("--limit", type=int_in(1, 10_000), default=20, metavar="N", help="show at most N articles")
    q.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    q.set_defaults(func=run_search)

    f = add_command(
        sub, "follow", help="follow a story or an entity (alerts on new contradictions or figures)",
        description="Follow a story or an entity: `ingest --watch` then raises an alert when it gains "
        "a new contradiction or a new figure. Without arguments, list what is followed.",
        epilog="examples:\n  riwaya follow story s-0001\n  riwaya follow entity ليبيا\n"
        "  riwaya follow story s-0001 --remove\n  riwaya follow\n\n" + WORKSPACE_EPILOG,
    )
    f.add_argument("kind", nargs="?", choices=["story", "entity"], metavar="KIND",
                   help="what to follow: story or entity (omit both to list what is followed)")
    f.add_argument("target", nargs="?", metavar="ID_OR_NAME",
                   help="the story's id, or the entity's id or name")
    f.add_argument("--remove", action="store_true", help="stop following")
    add_db_option(f)
    f.set_defaults(func=run_follow)

    w = add_command(
        sub, "serve", help="the web app (read-only): stories, comparisons, entities, outlets, search",
        description="Serve the workspace as a read-only web app (right-to-left, no JavaScript) with a "
        "JSON API under /api described at /openapi.json. Prints its address when it is ready; Ctrl-C "
        "stops it.",
        epilog="examples:\n  riwaya serve --db desk.db\n"
        "  RIWAYA_TOKEN=s3cret riwaya serve --db desk.db --host 0.0.0.0 --port 8080\n\n" + WORKSPACE_EPILOG,
    )
    add_db_option(w)
    w.add_argument("--host", default="127.0.0.1", help="address to listen on")
    w.add_argument("--port", type=int_in(0, 65_535), default=8000,
                   help="port to listen on; 0 picks a free one")
    w.add_argument("--token", default=None,
                   help="a token every request must carry; required beyond localhost (or set RIWAYA_TOKEN)")
    w.add_argument("--workers", type=int_in(1, 64), default=1, metavar="N",
                   help="server processes (default: 1); more answer more readers at once on more cores")
    w.set_defaults(func=run_serve)


def _store(args: argparse.Namespace, read_only: bool = False):
    from riwaya.store import open_store

    return open_store(args.db or db_default(), read_only=read_only)


# --------------------------------------------------------------------------- ingest
def run_ingest(args: argparse.Namespace) -> int:
    from riwaya.ingest.fetch import Fetcher
    from riwaya.workspace.alerts import Alerts
    from riwaya.workspace.ingester import Ingester, IngestSummary, Interrupted
    from riwaya.workspace.sources import iter_sources

    if args.interval <= 0:
        raise RiwayaError("--interval must be positive")
    from riwaya.store.postgres import is_url

    db = args.db or db_default()
    beside = "riwaya" if is_url(db) else db  # a server's store: the log in the current folder
    alert_log = args.alerts or (f"{beside}.alerts.jsonl" if args.watch else None)
    alerts = Alerts(alert_log, args.webhook) if (alert_log or args.webhook) else None
    fetcher = Fetcher(timeout=args.timeout, max_bytes=args.max_size)
    polls, total = 0, IngestSummary()
    terminate = signal.signal(signal.SIGTERM, _terminated)  # as Ctrl-C: a clean stop, workers too
    try:
        with (
            _store(args) as store,
            Progress() as progress,
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
            if progress.enabled:
                from riwaya.commands.estimate import count_in_background

                count_in_background(args.sources, progress.set_total)
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
    from riwaya.workspace.ingester import Ingester, IngestSummary, Interrupted

    summary = IngestSummary()
    terminate = signal.signal(signal.SIGTERM, _terminated)
    try:
        with _store(args) as store, Progress() as progress:
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
        print(f"recompute: interrupted after {count_en(done, 'story', 'stories')}; run again to continue",
              file=sys.stderr)
        term = isinstance(stop, _Terminated) or getattr(stop, "signum", None) == signal.SIGTERM
        return 143 if term else 130
    finally:
        signal.signal(signal.SIGTERM, terminate)
    print(f"recompute: {count_en(summary.recomputed, 'story', 'stories')} in "
          f"{summary.findings_seconds:.1f} s; {left} left marked")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM outside the article loop (store opening, between polls): stop as for Ctrl-C."""


def _terminated(signum: int, frame: Any) -> None:
    raise _Terminated


def _merge(total: Any, s: Any) -> None:
    total.new += s.new
    total.copies += s.copies
    total.duplicate += s.duplicate
    total.failed += s.failed
    total.stories |= s.stories
    total.alerts += s.alerts
    total.alerts_pending = s.alerts_pending


def _print_summary(summary: Any, watch: bool) -> None:
    stamp = time.strftime("%H:%M:%S ") if watch else ""
    print(f"{stamp}ingest: {summary.line()}")
    print(
        f"  time: articles {summary.store_seconds:.1f} s (copies and story grouping "
        f"{summary.grouping_seconds:.1f} s), findings {summary.findings_seconds:.1f} s",
        file=sys.stderr,
    )
    for origin, reason in summary.failed[:20]:
        print(f"  failed: {printable(origin)}: {printable(reason)}")
    if len(summary.failed) > 20:
        print(f"  … and {len(summary.failed) - 20} more failures")
    sys.stdout.flush()


# --------------------------------------------------------------------------- browsing
def run_stories(args: argparse.Namespace) -> int:
    from riwaya.model import to_dict

    filters = {"since": args.since, "entity": args.entity, "outlet": args.outlet,
               "min_articles": 1 if args.all else 2}
    with _store(args, read_only=True) as store:
        rows = store.list_stories(sort=args.sort, limit=args.limit, **filters)
        total = store.count_stories(**filters) if len(rows) == args.limit else len(rows)
    if args.format == "json":
        print(json.dumps([to_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no stories match" + ("" if args.all else
                                    " (stories of two or more articles; --all lists every one)"))
        return 0
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()))
        when = (r.last_activity or r.last_published or "")[:10]
        size = count_en(r.n_articles, "article")
        if r.n_reports and r.n_reports < r.n_articles:  # copies of one report counted once
            size = f"{count_en(r.n_reports, 'report')} ({size})"
        alone = " (one outlet only)" if r.single_outlet else ""
        print(printable(f"{r.id}\t{when}\t{size} / {count_en(r.n_outlets, 'outlet')}{alone}\t{r.label}"))
        print(printable(f"\toutlets: {', '.join(r.outlets)}") + (f"\tfindings: {counts}" if counts else ""))
    shown = f"{len(rows)} of {count_en(total, 'story', 'stories')}" if total > len(rows) else \
        count_en(total, "story", "stories")
    more = f"; --limit {total} lists them all" if total > len(rows) else ""
    print(f"({shown}, {args.sort} first{more})")
    return 0


def run_story(args: argparse.Namespace) -> int:
    from riwaya.commands.output import open_output

    _no_such_story(args)
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


def _no_such_story(args: argparse.Namespace, target: str | None = None) -> None:
    """An id that is no story is an error; one that is an article's says so and names its story
    (ids are easy to confuse: `riwaya search` lists both)."""
    story = target or args.id
    with _store(args, read_only=True) as store:
        if store.story(story) is not None:
            return
        if store.article(story) is not None:
            of = store.article_story(story)
            hint = f" of story {of} (riwaya story {of})" if of else " that belongs to no story"
            raise RiwayaError(f"{story}: no such story; it is an article{hint}")
    raise RiwayaError(f"{story}: no such story (`riwaya stories` lists them)")


def _refresh_story(args: argparse.Namespace) -> None:
    """A story marked for recompute (new articles since its findings) is recomputed, stored and
    then shown; where the store cannot be written, its last stored findings are shown."""
    import sqlite3

    from riwaya.workspace.ingester import Ingester

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

    render: Callable[..., str] | None
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
    return render(Comparison(store.story_analyses(story, copies=True), [sc],
                             copies=store.story_copies(story)), fmt, lang)


def _story_text(stored: dict, lang: str) -> str:
    s = stored["summary"]
    first, last = _minute(s.first_published), _minute(s.last_published)
    span = (f", {first}" + (f" – {last}" if last and last != first else "")) if first else ""
    p = printable
    lines = [
        p(f"{s.id}: {s.label}"),
        p(f"{count_en(s.n_articles, 'article')}"
          + (f" ({count_en(s.n_reports, 'report')})" if s.n_reports and s.n_reports < s.n_articles else "")
          + f", {count_en(s.n_outlets, 'outlet')} ({', '.join(s.outlets)}){span}"
          + (" — one outlet only" if s.single_outlet else "")),
        "",
    ]
    carried = stored.get("carried_by", {})
    for a in stored["articles"]:
        if a.get("copy_of"):
            continue
        when = _minute(a["published"]) or "undated"
        lines.append(p(f"  {when:<16}  {a['outlet']}  {a['title'] or a['id']}"))
        if carried.get(a["id"]):
            names = ", ".join(c["outlet"] for c in carried[a["id"]])
            lines.append(p(f"  {'':<16}  also carried by: {names}"))
    comp = stored.get("comparison")
    if not comp:
        single = (s.n_reports or s.n_articles) < 2
        lines.append("\n(one report: nothing to compare)" if single else "\n(findings not computed yet)")
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


def _minute(iso: str | None) -> str:
    """``2016-02-02T12:30:00+00:00`` → ``2016-02-02 12:30``; nothing for no time."""
    return (iso or "").replace("T", " ")[:16]


def run_search(args: argparse.Namespace) -> int:
    from riwaya.text import match_keys

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
                f"{r['story'] or '-'}\t{(r['published'] or '')[:10]}\t{r['outlet']}\t{r['title'] or r['id']}"
            ))
        if len(rows) == args.limit:
            print(f"(the first {count_en(len(rows), 'match', 'matches')}; --limit N shows more)")
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
            _no_such_story(args, args.target)
        store.follow(args.kind, args.target)
        print(f"following {args.kind} {args.target}")
    return 0


# --------------------------------------------------------------------------- serve
def run_serve(args: argparse.Namespace) -> int:
    """Bind first (a port in use is a one-line error, not a traceback), then print the address
    and serve until Ctrl-C."""
    import socket

    import uvicorn

    from riwaya.web.app import create_app, is_loopback

    token = args.token or os.environ.get("RIWAYA_TOKEN") or None
    if not is_loopback(args.host) and not token:
        raise RiwayaError(f"--host {args.host}: serving beyond localhost requires --token (or RIWAYA_TOKEN)")
    from riwaya.store.postgres import is_url, redact

    db = args.db or db_default()
    app = create_app(db, token=token)  # also checks the store before anything listens
    shown_db = redact(db) if is_url(db) else db
    if args.workers > 1:  # several processes (each with its own page cache): the app is made in each
        os.environ["RIWAYA_SERVE_DB"] = str(db)
        if token:
            os.environ["RIWAYA_TOKEN"] = token
        print(f"riwaya: serving {shown_db} at http://{args.host}:{args.port}/ with {args.workers} workers "
              "(read-only; Ctrl-C stops)", flush=True)
        uvicorn.run("riwaya.web.app:app_from_env", factory=True, workers=args.workers, host=args.host,
                    port=args.port, log_level="warning")
        return 0
    try:
        family = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except (OSError, socket.gaierror) as exc:
        raise RiwayaError(f"--host {args.host}: cannot listen there ({exc.strerror or exc})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise RiwayaError(f"port {args.port} on {args.host} is in use: stop what holds it, or pick "
                              "another with --port (0: any free port)") from None
        raise RiwayaError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})") from None
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"riwaya: serving {shown_db} at http://{shown}:{port}/ (read-only; Ctrl-C stops)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0
