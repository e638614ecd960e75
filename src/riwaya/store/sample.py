"""Which articles of a large story are compared: chosen from light metadata, before any decoding."""

from __future__ import annotations

from typing import NamedTuple

# Larger stories are compared on their most recent articles, one per outlet first.
MAX_COMPARED = 24


class Member(NamedTuple):
    """A story's article as the choice needs it."""

    id: str
    outlet: str | None
    published: str | None  # ISO time


def pick_compared(members: list[Member], limit: int = MAX_COMPARED) -> list[str]:
    """Ids of up to ``limit`` of a story's members (plain ``(id, outlet, published)`` tuples do
    too): the newest of each outlet first, then the newest; oldest first."""
    members = [Member(*m) for m in members]
    if len(members) <= limit:
        return [m.id for m in members]
    newest = sorted(members, key=lambda m: m.published or "", reverse=True)
    chosen: dict[str, Member] = {}
    for m in newest:
        chosen.setdefault(m.outlet or m.id, m)
    picked = list(chosen.values())[:limit]
    ids = {m.id for m in picked}
    picked += [m for m in newest if m.id not in ids][: limit - len(picked)]
    return [m.id for m in sorted(picked, key=lambda m: m.published or "")]
