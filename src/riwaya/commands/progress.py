"""The progress line of long commands (``ingest``, ``recompute``, ``analyze``) on stderr.

Until the first article is done it says the language models are loading (the first seconds of a
run); with a total (counted from the inputs in the background, :mod:`riwaya.commands.estimate`)
it shows a bar and the time left. Silent where stderr is not a terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any


def _TimeLeft() -> Any:
    """A progress column: ``12:30 left`` where the total is known, nothing where it is not."""
    from rich.progress import TimeRemainingColumn
    from rich.text import Text

    class TimeLeft(TimeRemainingColumn):
        def render(self, task: Any) -> Text:
            if task.total is None or not task.completed:
                return Text("")
            shown = super().render(task)
            return Text(f"{shown.plain} left", style=shown.style)

    return TimeLeft()


class Progress:
    """A rich progress line on stderr (silent when stderr is not a terminal): until the first
    article is done it says the models are loading; with a known total (``set_total``, from a
    count of the inputs) it shows a bar and the time left."""

    LOADING = "articles: loading the language models…"

    def __init__(self, console: Any = None) -> None:
        self.enabled = console is not None or sys.stderr.isatty()
        self._console = console
        self._progress: Any = None
        self._task: Any = None
        self._total: int | None = None
        self._phase_total: int | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.fields[count]} {task.description}"),
                BarColumn(bar_width=24),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                _TimeLeft(),
                console=self._console or Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        self._start = time.perf_counter()
        self._n = 0
        self._unit = "articles"
        return self

    def phase(self, name: str, total: int | None) -> None:
        """Count something else from now on: ``articles``, then ``findings`` (stories)."""
        with self._lock:
            self._unit = "articles" if name == "articles" else "stories"
            self._start, self._n = time.perf_counter(), 0
            if name == "articles" and total is None:
                total = self._total
            self._phase_total = total
            if self._progress is not None:
                if self._task is not None:
                    self._progress.remove_task(self._task)
                label = self.LOADING if name == "articles" else "stories' findings"
                self._task = self._progress.add_task(label, total=total, rate="", count=self._count())

    def set_total(self, total: int) -> None:
        """The number of input records, once counted: the article phase gets a bar and an ETA."""
        with self._lock:
            self._total = total
            if self._unit == "articles":
                self._phase_total = total
                if self._progress is not None and self._task is not None:
                    self._progress.update(self._task, total=total, count=self._count())

    def advance(self, n: int) -> None:
        with self._lock:
            self._n += n
            if self._progress is not None and self._task is not None:
                rate = self._n / max(time.perf_counter() - self._start, 1e-6)
                label = "articles" if self._unit == "articles" else "stories' findings"
                self._progress.update(self._task, advance=n, description=label, count=self._count(),
                                      rate=f"{rate:,.1f} {self._unit}/s")

    def _count(self) -> str:
        return f"{self._n:,} / {self._phase_total:,}" if self._phase_total else f"{self._n:,}"

    def print(self, line: str) -> None:
        """A line on stderr above the progress line (or plainly, without one)."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def pause(self) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
                self._progress = None
                self._task = None

    def __exit__(self, *exc: object) -> None:
        self.pause()
