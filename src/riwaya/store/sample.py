"""Which articles of a large story are compared: chosen from light metadata, before any decoding."""

from __future__ import annotations

# Larger stories are compared on their most recent articles, one per outlet first.
MAX_COMPARED = 24


def pick_compared(members: list[tuple[str, str | None, str | None]], limit: int = MAX_COMPARED) -> list[str]:
    """Ids of up to ``limit`` of a story's ``(id, outlet, published ISO)`` members: the newest of
    each outlet first, then the newest; oldest first."""
    if len(members) <= limit:
        return [m[0] for m in members]
    newest = sorted(members, key=lambda m: m[2] or "", reverse=True)
    chosen: dict[str, tuple[str, str | None, str | None]] = {}
    for m in newest:
        chosen.setdefault(m[1] or m[0], m)
    picked = list(chosen.values())[:limit]
    ids = {m[0] for m in picked}
    picked += [m for m in newest if m[0] not in ids][: limit - len(picked)]
    return [m[0] for m in sorted(picked, key=lambda m: m[2] or "")]
