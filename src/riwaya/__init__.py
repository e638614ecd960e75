"""riwaya (رواية, "an account"): compare how news outlets report the same story, claim by claim.

Python API, mirroring the CLI::

    import riwaya
    articles = riwaya.read(["a.html", "feed.xml", "dump.jsonl.gz"])
    analyses = [riwaya.analyze(a) for a in articles]
    comparison = riwaya.compare(["a.txt", "b.txt"])
    riwaya.analyze_files(riwaya.engine.AnalyzeOptions(inputs=("archive/",), output="out/",
                                                      format="parquet", engine="dask"))
"""

from __future__ import annotations

# The one place the version is written (pyproject.toml reads it from here): no package metadata
# to look up at start-up.
__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "analyze_files", "compare", "read"]


def __getattr__(name: str):
    # Lazy: `import riwaya` stays cheap, heavy stages load on first use.
    if name == "read":
        from riwaya.ingest import read

        return read
    if name == "analyze":
        from riwaya.api import analyze

        return analyze
    if name == "analyze_files":
        from riwaya.engine import analyze_files

        return analyze_files
    if name == "compare":
        from riwaya.api import compare

        return compare
    raise AttributeError(name)
