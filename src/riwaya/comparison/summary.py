"""A few sentences built from the matters' verdicts, most important first, each citing only the
evidence of the finding it describes.

Contradictions first, each saying who asserts on whose word (the sourcing chain in full) and who
denies on record; then timing with the dates, differing figures and dates, what the outlets agree
on, naming, and what one outlet alone reports. Sentences are templates filled from the findings:
nothing here states what is true.
"""

from __future__ import annotations

from collections.abc import Sequence

from riwaya.comparison.context import excerpt
from riwaya.model import Analysis, Evidence, Finding, Matter, SummarySentence
from riwaya.report.wording import verb

MAX_SENTENCES = 8


def _names(ids: Sequence[str], analyses: dict[str, Analysis], sep: str) -> str:
    return sep.join(analyses[a].article.outlet for a in ids if a in analyses)


def _first(finding: Finding, articles: Sequence[str]) -> Evidence | None:
    return next((e for e in finding.evidence if e.article in articles), None)


def _claim(finding: Finding, claim_id: str | None) -> Evidence | None:
    return next((e for e in finding.evidence if claim_id and e.claim == claim_id), None)


def _contradiction(f: Finding, analyses: dict[str, Analysis]) -> SummarySentence | None:
    aff, neg = f.details.get("affirms", []), f.details.get("negates", [])
    # the claim the strongest collision denies, and that denial
    a_ev = _claim(f, f.details.get("disputed")) or _first(f, aff)
    n_ev = _claim(f, f.details.get("denial")) or _first(f, neg)
    if not a_ev or not n_ev:
        return None
    basis = f.details.get("basis", {})
    a_basis, n_basis = basis.get("affirms", ["", ""]), basis.get("negates", ["", ""])
    aff_ar, neg_ar = _names(aff, analyses, " و"), _names(neg, analyses, " و")
    matter = f.details.get("matter", "")
    ar = (f"موضع خلاف{' بشأن ' + matter if matter else ''}: {verb('يورد', aff_ar)} {aff_ar} "
          f"«{excerpt(a_ev.text)}»{' استنادًا إلى ' + a_basis[0] if a_basis[0] else ''}؛ "
          f"{'و' + verb('ينفي', neg_ar)} {neg_ar} ذلك أو {verb('يستبعده', neg_ar)}"
          f"{' على لسان ' + n_basis[0] if n_basis[0] else ''}: «{excerpt(n_ev.text)}». الخلاف غير محسوم.")
    en = (f"Disputed: {_names(aff, analyses, ' and ')} report “{excerpt(a_ev.text)}”"
          f"{' on the word of ' + a_basis[1] if a_basis[1] else ''}; {_names(neg, analyses, ' and ')} "
          f"deny or rule it out{' (' + n_basis[1] + ')' if n_basis[1] else ''}: “{excerpt(n_ev.text)}”. "
          "Unresolved.")
    return SummarySentence(ar, en, [f.id], [a_ev, n_ev])


def _agreement(f: Finding, analyses: dict[str, Analysis]) -> SummarySentence:
    ev = [e for a in f.articles if (e := _first(f, [a]))]
    names = _names(f.articles, analyses, " و")
    return SummarySentence(
        f"{verb('يتفق', names)} {names} على: «{excerpt(ev[0].text)}».",
        f"{_names(f.articles, analyses, ' and ')} agree on: “{excerpt(ev[0].text)}”.", [f.id], ev)


def _unique(f: Finding, analyses: dict[str, Analysis]) -> SummarySentence:
    name = _names(f.articles, analyses, "")
    figures = list(dict.fromkeys(f.details.get("figures") or []))[:4]
    first = excerpt(f.evidence[0].text, 60)
    what_ar = ("أرقام منها " + "، ".join(figures)) if figures else f"«{first}»"
    what_en = ("figures such as " + ", ".join(figures)) if figures else f"“{first}”"
    ar = f"{verb('ينفرد', name)} {name} بذكر {what_ar}."
    en = f"Only {name} reports {what_en}."
    return SummarySentence(ar, en, [f.id], f.evidence[:3])


def summarize(findings: Sequence[Finding], matters: Sequence[Matter], analyses: dict[str, Analysis],
              *, max_sentences: int = MAX_SENTENCES) -> list[SummarySentence]:
    """Summary sentences for one story (both languages), from its findings and matters."""
    by_kind: dict[str, list[Finding]] = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)
    out: list[SummarySentence] = []
    for f in by_kind.get("contradiction", [])[:2]:
        if (s := _contradiction(f, analyses)) is not None:
            out.append(s)
    for kind, n in (("timing", 2), ("numeric_discrepancy", 2), ("date_discrepancy", 1)):
        for f in by_kind.get(kind, [])[:n]:
            out.append(SummarySentence(f.explanation_ar, f.explanation_en, [f.id], f.evidence[:2]))
    for f in by_kind.get("agreement", [])[:2]:
        out.append(_agreement(f, analyses))
    for f in by_kind.get("naming", [])[:1]:
        out.append(SummarySentence(f.explanation_ar, f.explanation_en, [f.id], f.evidence[:2]))
    for f in by_kind.get("unique", []):
        out.append(_unique(f, analyses))
    return out[:max_sentences]
