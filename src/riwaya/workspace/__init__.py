"""The newsroom workspace around a store: articles arrive, stories form over time, findings and
alerts follow.

- ``sources``: what ``riwaya ingest`` reads (paths and URLs, through :func:`riwaya.ingest.read`);
- ``prepare``: one article analysed and packed for the store (in worker processes);
- ``ingester``: dedup, copies, outlet templates, story assignment, storage, then findings;
- ``sample``: which articles of a large story are compared; ``views``: a story page's layout;
- ``alerts``: followed stories and entities gaining new findings.

Persistence (SQLite, schema, codec, queries) is :mod:`riwaya.store`'s alone.
"""
