"""What the finding kinds read: a story's analyses, claims, alignments and matters."""

from __future__ import annotations

from dataclasses import dataclass, field

from riwaya.comparison.align import Alignment, quantity_key
from riwaya.comparison.matters import MatterGroup
from riwaya.comparison.views import ClaimView
from riwaya.model import Analysis, Evidence, Finding, Quantity, shorten

MAX_EVIDENCE_PER_SIDE = 6


@dataclass(slots=True)
class StoryContext:
    """One story under comparison; kinds add their findings to ``findings`` and each matter's
    verdict to ``verdicts``."""

    analyses: dict[str, Analysis]
    views: dict[str, list[ClaimView]]
    alignments: list[Alignment]
    matters: list[MatterGroup]
    findings: list[Finding] = field(default_factory=list)
    verdicts: dict[str, Finding] = field(default_factory=dict)  # matter id -> its verdict

    def outlet(self, article_id: str) -> str:
        return self.analyses[article_id].article.outlet

    def same_outlet(self, a: str, b: str) -> bool:
        """Whether two articles are one outlet's reports: how outlets differ (contradictions,
        figures, dates, sourcing) is not read between them, an outlet's later report being its
        own follow-up."""
        return self.outlet(a) == self.outlet(b)

    def outlets(self, article_ids: list[str], sep: str = "، ") -> str:
        return sep.join(self.outlet(a) for a in article_ids)

    def day(self, article_id: str) -> str | None:
        return self.analyses[article_id].day

    def gives(self, article_id: str, q: Quantity) -> bool:
        """Whether the article gives ``q``'s value (within 2%) for what ``q`` counts, or with no
        unit (``ما يقارب 400 ألف``), anywhere."""
        if q.value is None:
            return False
        k, v = quantity_key(q), q.value
        return any(x.value is not None and abs(x.value - v) <= 0.02 * max(abs(x.value), abs(v))
                   and (not x.unit or quantity_key(x) == k) for x in self.analyses[article_id].quantities)

    def open_matters(self) -> list[MatterGroup]:
        """The matters several outlets report whose verdict leaves room for a note on differing
        figures or dates: none yet, or agreement (not a contradiction; not a change over time,
        where a later toll updates an earlier one)."""
        return [g for g in self.matters if g.shared
                and (g.id not in self.verdicts or self.verdicts[g.id].kind == "agreement")]


def claim_evidence(view: ClaimView) -> Evidence:
    """The claim's span, page furniture at either end left out."""
    c = view.claim
    start, end = _trim(view, c.start, c.end)
    return Evidence(view.article, start, end, view.analysis.article.text[start:end], view.claim_id)


def span_evidence(view: ClaimView, start: int, end: int) -> Evidence:
    return Evidence(view.article, start, end, view.analysis.article.text[start:end], view.claim_id)


def _trim(view: ClaimView, start: int, end: int) -> tuple[int, int]:
    """The longest stretch of ``[start, end)`` outside page furniture."""
    spans = [(s, e) for s, e in view.analysis.document.furniture if s < end and start < e]
    if not spans:
        return start, end
    pieces, cur = [], start
    for s, e in sorted(spans):
        if s > cur:
            pieces.append((cur, s))
        cur = max(cur, e)
    if cur < end:
        pieces.append((cur, end))
    if not pieces:
        return start, end
    s, e = max(pieces, key=lambda p: p[1] - p[0])
    text = view.analysis.article.text
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, end)


def excerpt(text: str, n: int = 90) -> str:
    """``text`` on one line, cut at a word boundary to at most ``n`` characters."""
    return shorten(text, n)


def clip(x: float) -> float:
    """A confidence in [0.05, 0.99], two decimals."""
    return round(max(0.05, min(0.99, x)), 2)
