"""Load benchmark: concurrent clients against `riwaya serve` on 127.0.0.1, p50/p95 per page kind.

Starts the server on a free local port over ``--db``, then ``--clients`` threads each make
``--requests`` requests (a bounded loop), drawn in turn from: the story list (its sorts and first
pages), story pages (the largest stories and a sample of the rest, HTML and JSON), and searches
(entity names and frequent words of the store). Prints p50/p95/max latency per kind, errors, and
whether the targets hold: story list and story pages p95 <= 300 ms, search p95 <= 500 ms, no
errors. Only 127.0.0.1 is ever contacted.

    .venv/bin/python benchmarks/bench_load.py --db corpus.db                # 20 clients x 60 requests
    .venv/bin/python benchmarks/bench_load.py --db corpus.db --clients 1    # one client, same mix
"""

from __future__ import annotations

import argparse
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"list": 300.0, "story": 300.0, "search": 500.0}  # p95, ms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(db: Path, seed: int) -> dict[str, list[str]]:
    """The URLs of each kind, from the store itself."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        largest = [r[0] for r in c.execute(
            "SELECT id FROM stories WHERE n_articles > 1 ORDER BY n_articles DESC LIMIT 10")]
        rest = [r[0] for r in c.execute("SELECT id FROM stories WHERE n_articles > 1")]
        names = [r[0] for r in c.execute(
            "SELECT text FROM mentions GROUP BY text ORDER BY COUNT(*) DESC LIMIT 60")]
        n_stories = c.execute("SELECT COUNT(*) FROM stories WHERE n_articles > 1").fetchone()[0]
    stories = largest + rng.sample(rest, min(40, len(rest)))
    pages = max(1, n_stories // 50)
    lists = ["/", "/?sort=contested", "/?sort=largest", "/?page=2", f"/?page={min(pages, 5)}",
             "/api/stories", "/api/stories?sort=contested"]
    story_urls = [u for s in stories for u in (f"/story/{quote(s, safe='')}",
                                               f"/api/stories/{quote(s, safe='')}")]
    fixed = ["ليبيا", "وزير الخارجية", "النفط", "الرياض", "مجلس الأمن"]
    queries = [*rng.sample(names, min(30, len(names))), *fixed]
    search = [f"/search?q={quote(q)}" for q in queries] + [f"/api/search?q={quote(q)}" for q in queries[:10]]
    return {"list": lists, "story": story_urls, "search": search}


def run_clients(base: str, urls: dict[str, list[str]], clients: int, requests: int, seed: int):
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    kinds = ["list", "story", "search"]

    def client(i: int) -> None:
        rng = random.Random(seed + i)
        with httpx.Client(base_url=base, timeout=60) as http:
            for n in range(requests):  # bounded
                kind = kinds[(i + n) % 3]
                url = rng.choice(urls[kind])
                t0 = time.perf_counter()
                try:
                    r = http.get(url)
                    ok = r.status_code == 200
                    why = f"{r.status_code} {url}"
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__} {url}"
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    times[kind].append(ms)
                    if not ok:
                        errors.append(why)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - start


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=60, help="requests per client (a bounded loop)")
    ap.add_argument("--warmup", type=int, default=1, help="passes over every URL before timing (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--server-workers", type=int, default=1, help="`riwaya serve --workers`")
    args = ap.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.requests <= 10_000:
        ap.error("--clients 1-200, --requests 1-10000")
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as c:
        n_articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_stories = c.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        dirty = c.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cli = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())"]
    more = ["--workers", str(args.server_workers)] if args.server_workers > 1 else []
    server = subprocess.Popen([*cli, "serve", "--db", str(args.db), "--host", "127.0.0.1",
                               "--port", str(port), *more])
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("bench_load: the server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        urls = targets(args.db, args.seed)
        print(f"store: {args.db} ({n_articles:,} articles, {n_stories:,} stories, "
              f"{dirty:,} awaiting findings); "
              f"{sum(map(len, urls.values()))} URLs: {len(urls['list'])} list, {len(urls['story'])} story, "
              f"{len(urls['search'])} search")
        if args.warmup:
            t0 = time.perf_counter()
            with httpx.Client(base_url=base, timeout=120) as http:
                for kind in urls:
                    for url in urls[kind] * args.warmup:
                        http.get(url)
            print(f"warm-up: every URL once, one client, {time.perf_counter() - t0:.1f} s")
        times, errors, wall = run_clients(base, urls, args.clients, args.requests, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in times.values())
    print(f"{args.clients} clients x {args.requests} requests ({args.server_workers} server process"
          f"{'es' * (args.server_workers > 1)}, {'warm' if args.warmup else 'cold'} cache): "
          f"{total:,} requests in {wall:.1f} s "
          f"({total / wall:.1f}/s), {len(errors)} errors")
    met = not errors
    for kind in ("list", "story", "search"):
        v = sorted(times[kind])
        ok = p95(v) <= TARGETS[kind]
        met &= ok
        print(f"  {kind:<7} n={len(v):4d}  p50 {statistics.median(v):7.1f} ms  p95 {p95(v):7.1f} ms"
              f"  max {v[-1]:7.1f} ms  (target p95 <= {TARGETS[kind]:.0f} ms: {'met' if ok else 'NOT met'})")
    for e in errors[:10]:
        print(f"  error: {e}")
    print("targets " + ("met" if met else "NOT met"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
