"""A few sentences built around the findings, each citing the findings and evidence it rests on.

What the outlets agree on, what is disputed and on whose word, what only one reports, and how
they differ in timing and naming. Sentences are templates filled from the findings: nothing here
states what is true.
"""

from __future__ import annotations

from collections.abc import Sequence

from riwaya.compare.findings import SOURCE_AR, SOURCE_EN, distinct_names, named_kinds
from riwaya.compare.wording import verb
from riwaya.model import Analysis, Evidence, Finding, Source, SummarySentence

EXCERPT = 80


def _excerpt(text: str, n: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _names(ids: Sequence[str], analyses: dict[str, Analysis], sep: str) -> str:
    return sep.join(analyses[a].article.outlet for a in ids if a in analyses)


def _first(finding: Finding, article: str) -> Evidence | None:
    return next((e for e in finding.evidence if e.article == article), None)


def summarize(findings: Sequence[Finding], analyses: dict[str, Analysis],
              *, max_sentences: int = 8) -> list[SummarySentence]:
    """Summary sentences for one story's findings (both languages)."""
    by_kind: dict[str, list[Finding]] = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)
    out: list[SummarySentence] = []

    for f in by_kind.get("agreement", [])[:2]:
        ev = [e for a in f.articles if (e := _first(f, a))]
        names = _names(f.articles, analyses, ' و')
        out.append(SummarySentence(
            f"{verb('يتفق', names)} {names} على: «{_excerpt(ev[0].text)}».",
            f"{_names(f.articles, analyses, ' and ')} agree on: “{_excerpt(ev[0].text)}”.",
            [f.id], ev))

    contrasts = by_kind.get("sourcing_contrast", [])
    for f in by_kind.get("contradiction", [])[:2]:
        aff, neg = f.details.get("affirms", []), f.details.get("negates", [])
        a_ev = next((e for a in aff if (e := _first(f, a))), None)
        n_ev = next((e for a in neg if (e := _first(f, a))), None)
        if not a_ev or not n_ev:
            continue
        ids, ev = [f.id], [a_ev, n_ev]
        aff_ar, neg_ar = _names(aff, analyses, ' و'), _names(neg, analyses, ' و')
        src_ar = src_en = ""
        for c in contrasts:
            if set(c.articles) <= set(f.articles):
                srcs = c.details.get("sources", {})
                a_kinds = named_kinds(s["kind"] for a in aff for s in srcs.get(a, []))
                named = sorted((s for a in neg for s in srcs.get(a, [])),  # people before bodies
                               key=lambda s: s["kind"] != "named_person")
                n_names = distinct_names(Source(s["kind"], s["text"]) for s in named)
                if a_kinds:
                    src_ar = " استنادًا إلى " + "، ".join(SOURCE_AR[k] for k in a_kinds)
                    src_en = " on the word of " + ", ".join(SOURCE_EN[k] for k in a_kinds)
                if n_names:
                    src_ar += "، بينما يستبعد ذلك متحدثون بأسمائهم (" + "، ".join(n_names[:3]) + ")"
                    src_en += ", while named sources rule it out (" + ", ".join(n_names[:3]) + ")"
                ids.append(c.id)
                break
        out.append(SummarySentence(
            f"موضع خلاف: {verb('يورد', aff_ar)} {aff_ar} «{_excerpt(a_ev.text)}»{src_ar}؛ "
            f"و{verb('يقول', neg_ar)} {neg_ar}: «{_excerpt(n_ev.text)}». الخلاف غير محسوم.",
            f"Disputed: {_names(aff, analyses, ' and ')} report “{_excerpt(a_ev.text)}”{src_en}; "
            f"{_names(neg, analyses, ' and ')} say: “{_excerpt(n_ev.text)}”. Unresolved.",
            ids, ev))

    for kind in ("numeric_discrepancy", "date_discrepancy"):
        for f in by_kind.get(kind, [])[:2]:
            out.append(SummarySentence(f.explanation_ar, f.explanation_en, [f.id], f.evidence[:2]))

    for f in by_kind.get("timing", [])[:1]:
        out.append(SummarySentence(f.explanation_ar, f.explanation_en, [f.id], f.evidence[:2]))

    for f in by_kind.get("naming", [])[:1]:
        out.append(SummarySentence(f.explanation_ar, f.explanation_en, [f.id], f.evidence[:2]))

    for f in by_kind.get("unique", []):
        name = _names(f.articles, analyses, "")
        figures = f.details.get("figures") or [q for item in f.details.get("items", [])
                                               for q in item.get("quantities", [])]
        fig = list(dict.fromkeys(figures))[:4]
        ar = f"{verb('ينفرد', name)} {name} بذكر " + (("أرقام منها " + "، ".join(fig)) if fig else
                                       f"«{_excerpt(f.evidence[0].text, 60)}»") + "."
        en = f"Only {name} reports " + (("figures such as " + ", ".join(fig)) if fig else
                                        f"“{_excerpt(f.evidence[0].text, 60)}”") + "."
        out.append(SummarySentence(ar, en, [f.id], f.evidence[:3]))

    return out[:max_sentences]
