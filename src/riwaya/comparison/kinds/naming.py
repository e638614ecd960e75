"""Naming: the same referent named differently by the outlets where the choice carries a stance
(داعش / تنظيم الدولة / الدولة الإسلامية), from ``data/compare_naming.json``, matched on the
text layer's keys."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from riwaya.comparison.context import StoryContext, clip
from riwaya.comparison.kinds import Kind
from riwaya.model import Analysis, Evidence, Finding
from riwaya.report.wording import say
from riwaya.resources import load_json
from riwaya.text.normalize import key


@cache
def _groups() -> dict[str, dict]:
    return {g["id"]: g for g in load_json("compare_naming.json")["groups"]}


@cache
def _index() -> dict[str, list[tuple[str, int, tuple[str, ...]]]]:
    """(group, variant, form keys) by the form's first key, longest forms first."""
    index: dict[str, list[tuple[str, int, tuple[str, ...]]]] = defaultdict(list)
    for gid, group in _groups().items():
        for vi, variant in enumerate(group["variants"]):
            for form in variant["forms"]:
                keys = tuple(key(w) for w in form.split())
                index[keys[0]].append((gid, vi, keys))
    for rows in index.values():
        rows.sort(key=lambda r: -len(r[2]))
    return dict(index)


def name_uses(analysis: Analysis) -> list[tuple[str, int, int, int, bool]]:
    """Stance-carrying names in one article: (group, variant, start, end, arabic_script)."""
    doc = analysis.document
    keys = [t.key for t in doc.tokens]
    index = _index()
    out, i, n = [], 0, len(keys)
    while i < n:
        hit = None
        for gid, vi, form in index.get(keys[i], ()):
            k = len(form)
            if tuple(keys[i:i + k]) == form:
                hit = (gid, vi, k)
                break
        if hit:
            gid, vi, k = hit
            start, end = doc.tokens[i].start, doc.tokens[i + k - 1].end
            out.append((gid, vi, start, end, not doc.text[start].isascii()))
            i += k
        else:
            i += 1
    return out


def find(ctx: StoryContext) -> list[Finding]:
    uses = {aid: name_uses(an) for aid, an in ctx.analyses.items()}
    out = []
    for gid, group in _groups().items():
        dominant: dict[str, int] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        counts_by: dict[str, dict[int, int]] = {}
        for aid, found in uses.items():
            mine = [u for u in found if u[0] == gid]
            own = [u for u in mine if u[4]] or mine  # prefer the outlet's own Arabic wording
            if not own:
                continue
            counts: dict[int, int] = defaultdict(int)
            for u in own:
                counts[u[1]] += 1
            best = max(counts, key=lambda v: (counts[v], -v))
            dominant[aid] = best
            counts_by[aid] = dict(counts)
            spans[aid] = [(u[2], u[3]) for u in own if u[1] == best][:3]
        if len(set(dominant.values())) < 2:
            continue
        aids = sorted(dominant)
        text = {a: ctx.analyses[a].article.text for a in aids}
        ev = [Evidence(a, s, e, text[a][s:e]) for a in aids for s, e in spans[a]]
        parts_ar, parts_en = [], []
        for a in aids:
            v = group["variants"][dominant[a]]
            word = text[a][spans[a][0][0]:spans[a][0][1]]
            parts_ar.append(f"{ctx.outlet(a)}: «{word}» ({v['note_ar']})")
            parts_en.append(f"{ctx.outlet(a)}: “{word}” ({v['note_en']})")
        out.append(Finding(
            id="", kind="naming", articles=aids, evidence=ev,
            explanation_ar=say("naming", "ar", label=group["label_ar"], parts="؛ ".join(parts_ar)),
            explanation_en=say("naming", "en", label_en=group["label_en"], parts_en="; ".join(parts_en)),
            confidence=clip(0.6 + 0.1 * min(3, min(sum(c.values()) for c in counts_by.values()))),
            status="framing",
            details={"group": gid, "variants": {a: dominant[a] for a in aids},
                     "counts": {a: {str(k): v for k, v in counts_by[a].items()} for a in aids}},
        ))
    return out


KIND: Kind = Kind("naming", find=find)
