"""Every command as a new user meets it: its ``--help``, its mistakes, its messages and exit codes.

Runs on the project's own fixture articles (tests/fixtures/news), so a clone alone runs it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from _workspace import fill
from riwaya.cli import build_parser, main
from riwaya.commands.options import MAX_SIZE, HelpFormatter


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


COMMANDS = _commands()


def test_every_command_is_checked() -> None:
    assert set(COMMANDS) >= {"analyze", "compare", "predict", "eval", "train", "ingest", "recompute",
                             "stories", "story", "search", "follow", "serve"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_a_description_positional_help_and_defaults(name: str) -> None:
    parser = COMMANDS[name]
    text = parser.format_help()
    assert parser.description and len(parser.description) > 40, name
    assert parser.description.split()[0] in text
    formatter = HelpFormatter(parser.prog)
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        if not action.option_strings:  # a positional: described, shown in upper case
            assert action.help, f"{name} {action.dest}"
            shown = action.metavar or action.dest
            assert shown == shown.upper(), f"{name}: {shown}"
        elif action.default not in (None, False, argparse.SUPPRESS, []):
            assert "default" in (formatter._get_help_string(action) or ""), f"{name} {action.option_strings}"


def test_serve_help_shows_its_host_and_port_defaults(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 127.0.0.1)" in out and "(default: 8000)" in out


@pytest.mark.parametrize("command", [["analyze", "a.txt"], ["compare", "a.txt", "b.txt"],
                                     ["ingest", "feed.xml"]])
def test_every_reading_command_takes_the_same_size_limit(command: list[str]) -> None:
    parser = build_parser()
    assert parser.parse_args([*command, "--max-size", "50M"]).max_size == 50_000_000
    assert parser.parse_args([*command, "--max-size", "500k"]).max_size == 500_000
    assert parser.parse_args(command).max_size == MAX_SIZE


def test_the_size_default_is_the_readers() -> None:
    from riwaya.ingest import MAX_BYTES

    assert MAX_SIZE == MAX_BYTES


def test_a_mistyped_option_is_reported_under_its_command_with_the_close_one(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["compare", "a.txt", "b.txt", "--fromat", "html"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("usage: riwaya compare")
    assert "riwaya compare: error: unrecognized arguments: --fromat html (did you mean --format?)" in err
    with pytest.raises(SystemExit):
        main(["stories", "--fromat=json"])
    assert "riwaya stories: error:" in capsys.readouterr().err


def test_a_mistyped_command_suggests_the_close_one(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["comapre", "a.txt"])
    assert exc.value.code == 2
    assert "unknown command 'comapre' (did you mean compare?)" in capsys.readouterr().err


def test_compare_exits_3_when_no_two_articles_report_the_same_story(news_paths, capsys) -> None:
    from conftest import ROOT

    flood, cinema = news_paths[0], news_paths[-1]
    books = ROOT / "examples" / "fair_books.txt"
    assert main(["compare", str(flood), str(cinema), str(books), "--format", "json"]) == 3
    captured = capsys.readouterr()
    assert '"stories": []' in captured.out  # the report is still written: all set aside
    assert "no two of the 3 articles report the same story" in captured.err


def test_compare_two_articles_given_alone_are_compared(news_paths, capsys) -> None:
    """However unrelated, two articles given alone are compared, with the probability that they
    report the same story."""
    flood, cinema = news_paths[0], news_paths[-1]
    assert main(["compare", str(flood), str(cinema), "--format", "json"]) == 0
    (story,) = json.loads(capsys.readouterr().out)["stories"]
    assert story["confidence"] < 0.5


def test_compare_help_documents_its_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    out = capsys.readouterr().out
    assert re.search(r"3 when no two of three or more articles report the same story", " ".join(out.split()))


# --------------------------------------------------------------------------- workspace commands
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(request, tmp_path_factory, news_paths) -> str:
    """A workspace of the fixture articles as read from text files (no dates, no sources): the
    flood reports one story, the festival another; a SQLite file, then a PostgreSQL database."""
    from riwaya.ingest import read
    from riwaya.store import open_store

    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("desk") / "desk.db")
    else:
        db = request.getfixturevalue("postgres").new_database()
    articles = list(read([str(p) for p in news_paths]))
    articles[-1].meta["story"] = "s-festival"
    with open_store(db) as store:
        fill(store, articles)
    return db


def test_stories_says_how_many_it_shows_of_how_many(desk, capsys) -> None:
    assert main(["stories", "--db", str(desk), "--all", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "(1 of 2 stories, newest first; --limit 2 lists them all)" in out
    assert main(["stories", "--db", str(desk), "--all"]) == 0
    out = capsys.readouterr().out
    assert "(2 stories, newest first)" in out
    assert "1 article / 1 outlet (one outlet only)\t" in out and "3 articles / 3 outlets\t" in out
    assert "outlets\t" in out and "1 outlets" not in out and "1 articles" not in out


def test_story_without_dates_has_no_dangling_range_and_labels_by_headline(desk, capsys) -> None:
    assert main(["story", "s-festival", "--db", str(desk)]) == 0
    out = capsys.readouterr().out
    first, second = out.splitlines()[:2]
    assert first == "s-festival: مهرجان قرطاج للسينما يفتتح دورته بمشاركة 40 فيلما"
    assert second == "1 article, 1 outlet (مجلة الشاشة) — one outlet only"
    assert ",  –" not in out and "undated" in out


def test_story_given_an_article_id_names_the_article_s_story(desk, capsys) -> None:
    from riwaya.store import open_store

    with open_store(desk, read_only=True) as store:
        article = store.story("s-festival")["articles"][0]["id"]
    assert main(["story", article, "--db", str(desk)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"riwaya: error: {article}: no such story; it is an article of story s-festival "
                   "(riwaya story s-festival)")
    assert main(["follow", "story", article, "--db", str(desk)]) == 2
    assert "it is an article of story s-festival" in capsys.readouterr().err
    assert main(["story", "nothing", "--db", str(desk)]) == 2
    assert "nothing: no such story (`riwaya stories` lists them)" in capsys.readouterr().err


def test_serve_prints_its_address_and_a_port_in_use_is_one_line(desk, capsys) -> None:
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen(1)
    port = held.getsockname()[1]
    try:
        assert main(["serve", "--db", str(desk), "--port", str(port)]) == 2
    finally:
        held.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port} on 127.0.0.1 is in use" in err and "Errno" not in err

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "riwaya.cli", "serve", "--db", str(desk), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        m = re.fullmatch(
            r"riwaya: serving (\S+) at (http://127\.0\.0\.1:\d+/) \(read-only; Ctrl-C stops\)\n", line
        )
        assert m and m.group(1) == desk, line
        deadline = time.monotonic() + 20
        while True:
            try:
                assert httpx.get(m.group(2) + "healthz", timeout=2).json()["ok"]
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)


# --------------------------------------------------------------------------- ingest progress
def test_the_inputs_are_counted_where_their_size_is_known(news_paths, mini_data, tmp_path) -> None:
    from riwaya.commands.estimate import count_records

    assert count_records([str(p) for p in news_paths]) == 4
    assert count_records([str(news_paths[0].parent)]) == 4
    assert count_records([str(mini_data / "corpus" / "mini.jsonl.gz"), str(news_paths[0])]) == 6
    assert count_records([str(news_paths[0]), "https://example.org/rss"]) is None
    assert count_records(["-"]) is None
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss/>", encoding="utf-8")
    assert count_records([str(feed)]) is None


def test_ingest_progress_says_the_models_load_then_counts_to_a_total() -> None:
    from rich.console import Console

    from riwaya.commands.progress import Progress

    console = Console(file=io.StringIO(), force_terminal=True, width=150)
    with Progress(console) as progress:
        progress.phase("articles", None)
        (task,) = progress._progress.tasks
        assert "loading the language models" in task.description
        progress.set_total(40)
        progress.advance(10)
        (task,) = progress._progress.tasks
        assert task.description == "articles" and task.total == 40 and task.fields["count"] == "10 / 40"
        shown = progress._progress.make_tasks_table([task])
        rendered = Console(file=io.StringIO(), width=150, force_terminal=False)
        rendered.print(shown)
        assert "left" in rendered.file.getvalue()
        progress.phase("findings", 3)
        (task,) = progress._progress.tasks
        assert task.description == "stories' findings" and task.total == 3
