"""The engine (issue 20): ``riwaya analyze --engine dask`` and ``--format parquet`` give what the
one-process path gives; a killed worker loses and duplicates nothing; a re-run skips what is done.

Dask tests skip (with the reason) where ``dask``/``distributed`` are not installed; they share one
small ``LocalCluster`` through ``--scheduler`` except the CLI test, which starts its own.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import threading
import time
from datetime import datetime
from itertools import islice
from pathlib import Path

import pytest

from riwaya.cli import main
from riwaya.engine import AnalyzeOptions, analyze_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

N_FILES, PER_FILE = 3, 12  # 36 articles in three Parquet files


@pytest.fixture(scope="module")
def rows(corpus_path) -> list[dict]:
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        out = [json.loads(line) for line in islice(f, N_FILES * PER_FILE)]
    while len(out) < N_FILES * PER_FILE:  # the fixture corpus (five articles) where ../shared is absent
        row = out[len(out) % 5]
        out.append({**row, "id": f"{row['id']}-{len(out)}"})
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory, rows) -> Path:
    """Three Parquet files of 12 articles in row groups of 5, 5, 2 (partitions of about 6 rows: 3 a file)."""
    folder = tmp_path_factory.mktemp("archive")
    for k in range(N_FILES):
        part = [{**r, "published": datetime.fromisoformat(r["published"]) if r.get("published") else None}
                for r in rows[k * PER_FILE:(k + 1) * PER_FILE]]
        pq.write_table(pa.Table.from_pylist(part), folder / f"month-{k + 1:02d}.parquet", row_group_size=5)
    return folder


@pytest.fixture(scope="module")
def baseline(archive, tmp_path_factory) -> bytes:
    """The one-process path's JSON Lines."""
    out = tmp_path_factory.mktemp("baseline") / "one.jsonl"
    assert main(["analyze", str(archive), "--format", "jsonl", "-q", "-o", str(out)]) == 0
    return out.read_bytes()


def by_id(data: bytes) -> list[bytes]:
    lines = data.splitlines(keepends=True)
    return sorted(lines, key=lambda line: json.loads(line)["document"]["article"]["id"])


def ids(data: bytes) -> list[str]:
    return [json.loads(line)["document"]["article"]["id"] for line in data.splitlines()]


def opts(archive: Path, out: Path, **kw) -> AnalyzeOptions:
    return AnalyzeOptions(inputs=(str(archive),), output=str(out), partition_rows=6, **kw)


# --------------------------------------------------------------------------- no Dask needed
def test_partitioned_local_run_is_the_one_process_output(archive, baseline, tmp_path):
    out = tmp_path / "p.jsonl"
    summary = analyze_files(opts(archive, out, format="jsonl"))
    assert summary.partitions == 9 and summary.articles == 36 and summary.skipped == 0  # cut at row groups
    assert out.read_bytes() == baseline  # parts joined in input order: the very same bytes
    assert not (tmp_path / ".p.jsonl.parts").exists()  # the parts are gone once the output is whole


def test_parquet_dataset_reads_in_pandas_and_duckdb(archive, baseline, tmp_path):
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "ds"
    summary = analyze_files(opts(archive, out, format="parquet"))
    assert len(summary.files) == 9 and all(p.is_file() for p in summary.files)
    frame = pd.read_parquet(out)
    assert sorted(frame["id"]) == sorted(ids(baseline))
    expected = {d["document"]["article"]["id"]: d for d in map(json.loads, baseline.splitlines())}
    for _, row in frame.iterrows():  # nested columns hold what the JSON holds
        want = expected[row["id"]]
        assert [e["id"] for e in row["entities"]] == [e["id"] for e in want["entities"]]
        assert len(row["quotes"]) == len(want["quotes"]) and len(row["claims"]) == len(want["claims"])
        assert len(row["quantities"]) == len(want["quantities"]) and len(row["dates"]) == len(want["dates"])
    con = duckdb.connect()
    n, with_entities = con.execute(
        f"select count(*), count(*) filter (where len(entities) > 0) from read_parquet('{out}/*.parquet')"
    ).fetchone()
    assert n == 36 and with_entities > 0
    names = con.execute(f"select unnest(entities).type from read_parquet('{out}/*.parquet') limit 3")
    names = names.fetchall()
    assert names and all(isinstance(x, str) for (x,) in names)


def test_a_rerun_skips_what_is_done_and_redoes_only_what_is_missing(archive, tmp_path):
    out = tmp_path / "ds"
    first = analyze_files(opts(archive, out, format="parquet"))
    stamps = {p.name: p.stat().st_mtime_ns for p in first.files}
    second = analyze_files(opts(archive, out, format="parquet"))
    assert second.resumed == second.partitions == 9 and second.articles == 36
    assert {p.name: p.stat().st_mtime_ns for p in second.files} == stamps  # nothing rewritten
    first.files[2].unlink()  # as if the run had stopped before that part
    third = analyze_files(opts(archive, out, format="parquet"))
    assert third.resumed == 8 and third.articles == 36
    assert {p.name: p.stat().st_mtime_ns for p in third.files if p.name != first.files[2].name} == \
           {k: v for k, v in stamps.items() if k != first.files[2].name}
    assert pq.read_table(out).num_rows == 36


def test_partitions_weigh_their_rows_so_the_largest_are_run_first(archive):
    from riwaya.engine.partitions import plan

    parts = plan(opts(archive, archive / "out.jsonl", format="jsonl"), fail=pytest.fail)
    by_file: dict[str, list] = {}
    for p in parts:
        by_file.setdefault(p.pieces[0].path, []).append(p)
    for file_parts in by_file.values():  # rows 0-5, 5-10 and 10-12 of each file
        assert [p.records for p in file_parts] == [5, 5, 2]
        assert all(p.bytes > 0 for p in file_parts)
        assert file_parts[2].bytes < min(file_parts[0].bytes, file_parts[1].bytes)


def _trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_local_cluster_workers_keep_glibcs_own_memory_trimming(monkeypatch):
    """Dask's nanny would start workers with MALLOC_TRIM_THRESHOLD_=65536, which slows the
    analysis by about a sixth; riwaya's LocalCluster leaves it out unless the caller sets it."""
    pytest.importorskip("distributed", reason="--engine dask needs dask and distributed")
    from riwaya.engine.cluster import dask_client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_client(workers=1) as client:
        assert set(client.run(_trim_threshold).values()) == {None}
    assert _trim_threshold() is None  # nor leaked into this process's environment


# --------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="--engine dask needs dask and distributed "
                                                            "(pip install 'riwaya[cluster]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as c:
        yield c


def test_cli_dask_engine_is_byte_identical(archive, baseline, tmp_path, capsys):
    pytest.importorskip("distributed", reason="--engine dask needs dask and distributed")
    out = tmp_path / "dask.jsonl"
    code = main(["analyze", str(archive), "--engine", "dask", "--workers", "2", "--format", "jsonl",
                 "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert "Dask dashboard: http" in err
    assert by_id(out.read_bytes()) == by_id(baseline)
    assert out.read_bytes() == baseline  # and in the same order


def test_api_dask_on_a_scheduler_parquet_and_jsonl(archive, baseline, cluster, tmp_path):
    out = tmp_path / "d.jsonl"
    address = cluster.scheduler_address
    summary = analyze_files(opts(archive, out, format="jsonl", engine="dask", scheduler=address))
    assert summary.partitions == 9 and summary.articles == 36
    assert out.read_bytes() == baseline
    assert summary.dashboard and summary.dashboard.startswith("http")
    ds = tmp_path / "ds"
    analyze_files(opts(archive, ds, format="parquet", engine="dask", scheduler=address))
    assert sorted(pq.read_table(ds).column("id").to_pylist()) == sorted(ids(baseline))


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(archive, baseline, cluster, tmp_path):
    from distributed import Client

    out = tmp_path / "killed.jsonl"
    options = AnalyzeOptions(inputs=(str(archive),), output=str(out), partition_rows=2, format="jsonl",
                             engine="dask", scheduler=cluster.scheduler_address)
    result: dict = {}

    def run() -> None:
        try:
            result["summary"] = analyze_files(options)
        except BaseException as exc:  # reported by the assertion below
            result["error"] = exc

    killed = []
    with Client(cluster.scheduler_address) as client:
        job = threading.Thread(target=run)
        job.start()
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline and job.is_alive():
            busy = [w for w, tasks in client.processing().items()
                    if any("riwaya-part" in str(t) for t in tasks)]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)  # kill -9 of the worker process while it runs a partition
                killed.append(busy[0])
            time.sleep(0.05)
        job.join(180)
        assert killed, "no worker was seen running a partition"
        assert not job.is_alive() and "error" not in result, result.get("error")
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker
    summary = result["summary"]
    assert summary.articles == 36 and summary.partitions > 9 and summary.skipped == 0
    data = out.read_bytes()
    assert sorted(ids(data)) == sorted(ids(baseline)) and len(set(ids(data))) == 36  # none lost, none twice
    assert data == baseline
