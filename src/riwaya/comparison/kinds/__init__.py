"""Finding kinds: one module each, registered here.

A *verdict* kind judges one matter (``judge(group, ctx) -> Finding | None``): the verdict kinds
are tried on each matter several outlets report, in the order of :data:`VERDICTS`, and the first
that finds gives the matter its one verdict. A *note* kind reads the whole story (``find(ctx) ->
list[Finding]``) once the verdicts are in: differing figures and dates, sourcing contrasts and
naming annotate matters, unique lists what one outlet alone reports. A kind declares the kinds
whose findings it reads (``after``), and :func:`_check` makes sure they run before it. Adding a
kind is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riwaya.comparison.context import StoryContext
    from riwaya.comparison.matters import MatterGroup
    from riwaya.model import Finding


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    judge: Callable[[MatterGroup, StoryContext], Finding | None] | None = None  # a matter's verdict
    find: Callable[[StoryContext], list[Finding]] | None = None  # notes over the whole story
    after: tuple[str, ...] = ()  # kinds whose findings it reads


def _check(verdicts: list[Kind], notes: list[Kind]) -> None:
    seen: set[str] = set()
    for kind in (*verdicts, *notes):
        if (kind.judge is None) == (kind in verdicts):
            raise ValueError(f"kind {kind.name}: verdicts judge matters, notes find over the story")
        missing = [a for a in kind.after if a not in seen]
        if missing:
            raise ValueError(f"kind {kind.name} reads {missing}, which do not run before it")
        seen.add(kind.name)


from riwaya.comparison.kinds import (  # noqa: E402
    agreement,
    contradiction,
    dates,
    figures,
    naming,
    sourcing,
    timing,
    unique,
)

# A matter's verdict: the first of these that finds (a contradiction before a change of stage,
# before agreement). Differing figures and dates are notes on a matter: outlets may agree on an
# event and give it different tolls or days.
VERDICTS: list[Kind] = [contradiction.KIND, timing.KIND, agreement.KIND]
NOTES: list[Kind] = [agreement.ON_TIMING, figures.KIND, dates.KIND, sourcing.KIND, naming.KIND, unique.KIND]
_check(VERDICTS, NOTES)
