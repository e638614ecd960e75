"""Stories of an archive and each story's findings: ``riwaya stories-archive``.

From a ``riwaya analyze --format jsonl`` file (gzipped or not), the analyses are grouped into
stories by :mod:`riwaya.engine.stories` (in this process, or as Dask tasks), then each story of
two or more articles is compared (:func:`~riwaya.comparison.compare.compare_story`, as the
workspace compares a story: no regrouping, at most ``MAX_COMPARED`` articles, the newest of each
outlet first) by one task, which reads its articles' lines from the file by their byte offsets:
only ids, offsets and findings travel, never the archive. The output is one JSON line per compared
story, in the stories' order (by their first article's time, then id), each line the story as the
JSON report gives it (``id``, ``articles``, ``confidence``, ``label``, ``findings``, ``summary``,
``matters``) plus ``compared`` (the articles compared). Both engines write the same bytes.

Python::

    from riwaya.engine.findings import StoriesOptions, archive_findings
    summary = archive_findings(StoriesOptions("analyses.jsonl", "stories.jsonl", engine="dask", workers=2))
"""

from __future__ import annotations

import contextlib
import gzip
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from riwaya.engine.options import Engine
from riwaya.engine.stories import Signed, signed
from riwaya.errors import RiwayaError
from riwaya.model import Analysis, Story

PARTITION_LINES = 1000  # analyses a partition (a task of the stories job)
STORIES_PER_TASK = 4  # stories compared by one task (a gzipped file is read once a task)
RETRIES = 2


@dataclass(frozen=True, slots=True)
class StoriesOptions:
    """One ``riwaya stories-archive`` run: ``analyses``, the JSON Lines of ``riwaya analyze``;
    ``output`` (None or ``-``: standard output, else a file replaced atomically); ``engine``,
    ``scheduler``, ``workers`` as for ``riwaya analyze``; ``window_days``: how far apart two
    articles of one story may be (None: the index's window)."""

    analyses: str
    output: str | None = None
    engine: Engine = "local"
    scheduler: str | None = None
    workers: int | None = None
    window_days: float | None = None
    partition_lines: int = PARTITION_LINES
    stories_per_task: int = STORIES_PER_TASK


@dataclass(slots=True)
class StoriesSummary:
    articles: int = 0
    stories: int = 0  # all, singletons included
    compared: int = 0  # stories of two or more articles: the output's lines
    findings: int = 0
    seconds: float = 0.0


Progress = Callable[[str, int, int | None], None]  # phase, done, total


def archive_findings(options: StoriesOptions, progress: Progress | None = None) -> StoriesSummary:
    """Group ``options.analyses`` into stories and write the findings of each story of two or more
    articles as one JSON line (see the module). Bad input raises :class:`RiwayaError` naming the
    file (and the line's byte offset); the output is then left as it was."""
    from riwaya.commands.output import open_output

    say = progress or (lambda phase, done, total: None)
    if options.scheduler and options.engine != "dask":
        raise RiwayaError("--scheduler needs --engine dask")
    if options.output not in (None, "-"):  # said before the work, not after it
        target = Path(options.output)
        if target.is_dir():
            raise RiwayaError(f"{target}: is a directory (give -o a file name)")
        if not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise RiwayaError(f"{target}: directory {target.parent} does not exist")
    start = time.perf_counter()
    path = options.analyses
    spans = _partitions(path, options.partition_lines)
    summary = StoriesSummary()
    with _engine(options) as run:
        say("reading", 0, None)
        indexes = run.map(partial(_index, path), spans)
        offsets: dict[str, int] = {}
        for ids in indexes:
            for aid, offset in ids:
                if aid in offsets:
                    raise RiwayaError(f"{path}: article id {aid!r} appears twice (analyse each article once)")
                offsets[aid] = offset
        summary.articles = len(offsets)
        if not offsets:
            raise RiwayaError(f"{path}: holds no analyses (give the output of riwaya analyze --format jsonl)")
        say("grouping", 0, None)
        stories = run.stories([partial(_load, path, s) for s in spans], options.window_days)
        summary.stories = len(stories)
        multi = [s for s in stories if len(s.articles) > 1]
        summary.compared = len(multi)
        tasks = [[(s, [offsets[a] for a in s.articles]) for s in multi[i:i + options.stories_per_task]]
                 for i in range(0, len(multi), options.stories_per_task)]
        done = 0
        say("comparing", 0, len(multi))
        with open_output(options.output) as out:
            for lines in run.ordered(partial(_compare_task, path), tasks):
                for line, n in lines:
                    out.write(line)
                    summary.findings += n
                done += len(lines)
                say("comparing", done, len(multi))
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


# --------------------------------------------------------------------------- reading the file
def _open_binary(path: str) -> IO[bytes]:
    try:
        f: IO[bytes] = open(path, "rb")  # noqa: SIM115 (returned open)
    except OSError as exc:
        raise RiwayaError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if f.read(2) == b"\x1f\x8b":
        f.close()
        return cast(IO[bytes], gzip.open(path, "rb"))
    f.seek(0)
    return f


def _partitions(path: str, lines: int) -> list[tuple[int, int]]:
    """The file cut into runs of ``lines`` lines: ``(byte offset, lines)`` each (one pass over the
    bytes, no parsing)."""
    if Path(path).is_dir():
        raise RiwayaError(f"{path}: is a folder (give the JSON Lines file of riwaya analyze --format jsonl)")
    spans, offset, n, first = [], 0, 0, 0
    try:
        with _open_binary(path) as f:
            for raw in f:
                if n == lines:
                    spans.append((first, n))
                    first, n = offset, 0
                offset += len(raw)
                n += 1
    except (OSError, EOFError) as exc:
        raise RiwayaError(f"{path}: cannot read ({exc})") from None
    if n:
        spans.append((first, n))
    return spans


def _lines(path: str, offset: int, count: int) -> Iterator[tuple[int, bytes]]:
    with _open_binary(path) as f:
        f.seek(offset)
        for _ in range(count):
            raw = f.readline()
            if not raw:
                return
            yield offset, raw
            offset += len(raw)


def _analysis(path: str, offset: int, raw: bytes) -> Analysis:
    from riwaya.store.codec import from_dict

    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
            raise ValueError("not an analysis (riwaya analyze --format jsonl writes one a line)")
        return from_dict(Analysis, data)
    except (ValueError, TypeError, KeyError) as exc:
        raise RiwayaError(f"{path}: byte {offset}: {str(exc)[:200]}") from None


def _index(path: str, span: tuple[int, int]) -> list[tuple[str, int]]:
    """The article id and byte offset of each line of a partition (JSON parsed, not rebuilt: a
    line that is no analysis raises here or when the partition is loaded)."""
    out = []
    for off, raw in _lines(path, *span):
        if not raw.strip():
            continue
        try:
            aid = json.loads(raw)["document"]["article"]["id"]
        except (ValueError, TypeError, KeyError):
            aid = None
        if not isinstance(aid, str):
            raise RiwayaError(f"{path}: byte {off}: not an analysis (riwaya analyze --format jsonl "
                              "writes one a line)")
        out.append((aid, off))
    return out


def _load(path: str, span: tuple[int, int]) -> list[Signed]:
    return [signed(_analysis(path, off, raw)) for off, raw in _lines(path, *span) if raw.strip()]


def _read_at(path: str, offsets: Sequence[int]) -> dict[int, Analysis]:
    """The analyses at these byte offsets (read in file order: a gzipped file once)."""
    out = {}
    with _open_binary(path) as f:
        for off in sorted(set(offsets)):
            f.seek(off)
            out[off] = _analysis(path, off, f.readline())
    return out


# --------------------------------------------------------------------------- comparing
def story_line(story: Story, analyses: list[Analysis]) -> tuple[str, int]:
    """One story's findings as a JSON line (the JSON report's story, plus the compared articles)
    and how many findings it holds."""
    from riwaya.comparison.compare import compare_story
    from riwaya.extract.entities import link_across
    from riwaya.model import story_label, to_dict
    from riwaya.workspace.ingester import compared_sample

    sample = compared_sample(analyses)
    header = Story(story.id, list(story.articles), story.confidence,
                   story_label([a.article for a in analyses]))
    link_across(sample)
    compared = Story(story.id, [a.article.id for a in sample], story.confidence, header.label)
    sc = compare_story(compared, sample)
    row = {**to_dict(header), "compared": compared.articles, "findings": to_dict(sc.findings),
           "summary": to_dict(sc.summary), "matters": to_dict(sc.matters)}
    return json.dumps(row, ensure_ascii=False) + "\n", len(sc.findings)


def _compare_task(path: str, stories: Sequence[tuple[Story, list[int]]]) -> list[tuple[str, int]]:
    """One task: its stories' analyses read by offset, each story compared into a line."""
    found = _read_at(path, [o for _, offs in stories for o in offs])
    return [story_line(story, [found[o] for o in offs]) for story, offs in stories]


# --------------------------------------------------------------------------- the two engines
class _Local:
    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return [fn(x) for x in items]

    def stories(self, loaders: Sequence[Callable[[], list[Signed]]], window: float | None) -> list[Story]:
        from riwaya.engine.stories import archive_stories

        return archive_stories([r for load in loaders for r in load()], window)

    def ordered(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        return (fn(x) for x in items)


class _Dask:
    def __init__(self, client: Any, distributed: Any):
        self.client, self.distributed = client, distributed

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        futures = self.client.map(fn, items, retries=RETRIES, pure=False)
        return list(self.client.gather(futures))

    def stories(self, loaders: Sequence[Callable[[], list[Signed]]], window: float | None) -> list[Story]:
        from riwaya.engine.stories import BUCKETS, distributed_stories

        buckets = max(1, min(BUCKETS, len(loaders) * 2))
        return distributed_stories(loaders, self.client, window, buckets=buckets, retries=RETRIES)

    def ordered(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        """Results in the items' order, each yielded once it and all before it are done (those done
        early wait on the client; the workers go on)."""
        futures = self.client.map(fn, items, retries=RETRIES, pure=False)
        try:
            for future in futures:
                yield future.result()
                future.release()
        except BaseException:
            self.client.cancel(futures)
            raise


@contextlib.contextmanager
def _engine(options: StoriesOptions) -> Iterator[_Local | _Dask]:
    if options.engine != "dask":
        yield _Local()
        return
    from riwaya.engine.cluster import dask_client, require_distributed

    distributed = require_distributed()
    with dask_client(options.scheduler, options.workers) as client:
        yield _Dask(client, distributed)
