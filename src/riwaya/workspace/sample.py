"""Which articles of a large story are compared: chosen from light metadata, before any decoding."""

from __future__ import annotations

from riwaya.model import Analysis
from riwaya.store.base import Store
from riwaya.store.records import StoryMember as Member

# Larger stories are compared on their most recent articles, one per outlet first.
MAX_COMPARED = 24


def story_sample(store: Store, story: str, limit: int = MAX_COMPARED) -> tuple[list[Analysis], int]:
    """The analyses of up to ``limit`` of a story's articles (:func:`pick_compared`), oldest
    first, and the story's article count: only the chosen ones are decoded."""
    members = store.story_members(story)
    if len(members) <= limit:
        return store.story_analyses(story), len(members)
    return store.article_analyses(pick_compared(members, limit)), len(members)


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
