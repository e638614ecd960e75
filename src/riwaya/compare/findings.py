"""Findings: one function per kind, each from aligned claims to :class:`~riwaya.model.Finding`.

Every finding rests on evidence spans that slice the original articles exactly, explains itself
in one line of Arabic and English, and carries a confidence. Disputes stay ``unresolved``:
riwaya shows who says what on whose word, never which side is true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from riwaya.compare.align import (
    WEAK_SOURCES,
    Alignment,
    ClaimInfo,
    concepts,
    fold,
    quantity_key,
)
from riwaya.compare.wording import feminine, has_arabic, verb
from riwaya.model import Analysis, Article, DateExpr, Evidence, Finding, Quantity, Source
from riwaya.resources import load_json

MAX_EVIDENCE_PER_SIDE = 4

SOURCE_AR = {"named_person": "مصدر مسمّى", "organization": "جهة رسمية", "media": "تقارير إعلامية",
             "anonymous": "مصادر مجهولة", "unattributed": "دون نسبة"}
SOURCE_EN = {"named_person": "a named person", "organization": "an institution",
             "media": "media reports", "anonymous": "anonymous sources", "unattributed": "no source"}


@dataclass(slots=True)
class StoryContext:
    """What the finding functions read: the story's analyses, claims and alignments."""

    analyses: dict[str, Analysis]
    infos: dict[str, list[ClaimInfo]]
    alignments: list[Alignment]
    groups: dict[str, list[list[ClaimInfo]]] = field(default_factory=dict)  # matters, by kind

    def article(self, article_id: str) -> Article:
        return self.analyses[article_id].article


def evidence(info: ClaimInfo) -> Evidence:
    c = info.claim
    return Evidence(info.article, c.start, c.end, info.analysis.article.text[c.start:c.end], info.claim_id)


def span_evidence(analysis: Analysis, start: int, end: int, claim: str | None = None) -> Evidence:
    return Evidence(analysis.article.id, start, end, analysis.article.text[start:end], claim)


def _clip(x: float) -> float:
    return round(max(0.05, min(0.99, x)), 2)


def _count_ar(n: int) -> str:
    """``n`` items (أمر) counted in Arabic, after a preposition: أمر واحد، أمرين، 3 أمور، 11 أمرًا."""
    if n == 1:
        return "أمر واحد"
    if n == 2:
        return "أمرين"
    return f"{n} أمور" if n <= 10 else f"{n} أمرًا"


def _excerpt(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _components(edges: Iterable[Alignment]) -> list[list[Alignment]]:
    """Group alignments whose claims touch into connected components (largest first)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = list(edges)
    for al in edges:
        parent[find((al.a.article, al.a.index))] = find((al.b.article, al.b.index))
    groups: dict[tuple[str, int], list[Alignment]] = defaultdict(list)
    for al in edges:
        groups[find((al.a.article, al.a.index))].append(al)
    return sorted(groups.values(), key=lambda g: (-max(al.score for al in g), -len(g)))


def _stars(edges: Sequence[Alignment], ratio: float = 0.85) -> list[list[Alignment]]:
    """Tight groups: the best remaining pair, plus pairs nearly as good sharing one of its claims
    (one-to-many), each claim used once."""
    used: set[tuple[str, int]] = set()
    out = []
    ordered = sorted(edges, key=lambda al: -al.score)
    for al in ordered:
        ka, kb = (al.a.article, al.a.index), (al.b.article, al.b.index)
        if ka in used or kb in used:
            continue
        group = [al]
        for other in ordered:
            if other is al or other.score < ratio * al.score:
                continue
            oa, ob = (other.a.article, other.a.index), (other.b.article, other.b.index)
            if (oa in (ka, kb)) != (ob in (ka, kb)) and not ({oa, ob} - {ka, kb}) & used:
                group.append(other)
        for g in group:
            used.update({(g.a.article, g.a.index), (g.b.article, g.b.index)})
        out.append(group)
    return out


def _claims_of(component: Sequence[Alignment]) -> dict[str, list[ClaimInfo]]:
    """The claims of a component per article, most connected and best scoring first."""
    weight: dict[tuple[str, int], float] = defaultdict(float)
    info: dict[tuple[str, int], ClaimInfo] = {}
    for al in component:
        for c in (al.a, al.b):
            weight[(c.article, c.index)] += al.score
            info[(c.article, c.index)] = c
    out: dict[str, list[ClaimInfo]] = defaultdict(list)
    for key in sorted(weight, key=lambda k: -weight[k]):
        out[key[0]].append(info[key])
    return dict(out)


def _side_evidence(claims: dict[str, list[ClaimInfo]]) -> list[Evidence]:
    ev = []
    for infos in claims.values():
        ev.extend(evidence(i) for i in sorted(infos[:MAX_EVIDENCE_PER_SIDE], key=lambda i: i.claim.start))
    return ev


def _anchored(al: Alignment) -> bool:
    """The pair shares something besides event words: an entity, or two other content words."""
    table, _ = concepts()
    event_words = frozenset().union(*table.values())
    return bool(al.entities) or len(al.keys - event_words) >= 2


def _model_prob(component: Sequence[Alignment], label: str) -> float | None:
    probs = [al.stance.get(label, 0.0) for al in component if al.stance]
    return max(probs) if probs else None


CONTRADICTION_MIN = 0.2  # alignment score from which opposite claims may be a contradiction
AGREEMENT_MIN = 0.33  # and same-stance claims an agreement


def reads_stance(al: Alignment) -> bool:
    """Whether a finding may read this pair's model stance: opposite claims that could be a
    contradiction, same-stance ones that could be an agreement (the pair model judges only these)."""
    return al.score >= (CONTRADICTION_MIN if al.opposite else AGREEMENT_MIN)


# --------------------------------------------------------------------------- contradiction
def contradictions(ctx: StoryContext) -> list[Finding]:
    """Aligned claims of different outlets with opposite stance on a contestable matter."""
    _, contestable = concepts()
    edges = [al for al in ctx.alignments if al.opposite and al.concepts & contestable
             and al.score >= CONTRADICTION_MIN and _anchored(al)]
    edges += [al for al in ctx.alignments
              if al.opposite and al not in edges and al.score >= 0.35
              and al.stance and al.stance.get("contradict", 0) >= 0.6]
    out = []
    groups = ctx.groups.setdefault("contradiction", [])
    for component in _components(edges):
        claims = _claims_of(component)
        stance = {}
        for art, infos in claims.items():
            neg = sum(1 for i in infos if i.negated)
            stance[art] = "negates" if neg * 2 >= len(infos) and neg else "affirms"
        affirm = [a for a, s in stance.items() if s == "affirms"]
        negate = [a for a, s in stance.items() if s == "negates"]
        if not affirm or not negate:
            # both outlets hold both stances: still a dispute, read per edge
            affirm = sorted({al.a.article if not al.a.negated else al.b.article for al in component})
            negate = sorted({al.b.article if not al.a.negated else al.a.article for al in component})
        best = max(al.score for al in component)
        model = _model_prob(component, "contradict")
        conf = 0.45 + 0.8 * best + (0.15 * (model - 0.4) if model is not None else 0.0)
        matter = sorted(set().union(*(al.concepts for al in component)) & contestable)
        aff_names = "، ".join(ctx.article(a).outlet for a in affirm)
        neg_names = "، ".join(ctx.article(a).outlet for a in negate)
        aff_en = ", ".join(ctx.article(a).outlet for a in affirm)
        neg_en = ", ".join(ctx.article(a).outlet for a in negate)
        out.append(Finding(
            id="", kind="contradiction", articles=sorted(claims), evidence=_side_evidence(claims),
            explanation_ar=f"تناقض: {verb('يورد', aff_names)} {aff_names} الأمر مؤكدًا أو قيد التحضير، "
                           f"بينما {verb('ينفيه', neg_names)} {neg_names} أو {verb('يستبعده', neg_names)}؛ "
                           f"المسألة غير محسومة.",
            explanation_en=f"Contradiction: {aff_en} report it as happening or being prepared, while "
                           f"{neg_en} deny or rule it out; unresolved.",
            confidence=_clip(conf),
            details={"affirms": affirm, "negates": negate, "matter": matter,
                     "pairs": [[al.a.claim_id, al.b.claim_id, round(al.score, 3)]
                               for al in component[:12]]},
        ))
        groups.append([c for infos in claims.values() for c in infos])
    return out


# --------------------------------------------------------------------------- agreement
def _substantive(al: Alignment) -> bool:
    """The pair reports the same thing: the same event (an event concept) about the same two
    named things, the same figure or date, or the pair model reads it as agreement. A shared
    place name and a common word or two are not the same report, nor are two statements that
    merely name the same people (Kerry on Tuesday said one thing here, another there)."""
    return bool((al.concepts and len(al.entities) >= 2) or al.same_quantity or al.same_date
                or (al.stance and al.stance.get("agree", 0.0) >= 0.3))


def agreements(ctx: StoryContext, *, threshold: float = AGREEMENT_MIN, limit: int = 6) -> list[Finding]:
    """The same claim in several outlets (same stance, strongly aligned)."""
    edges = [al for al in ctx.alignments if not al.opposite and al.score >= threshold
             and (len(al.entities) >= 2 or len(al.keys) >= 3) and _substantive(al)
             and not (al.stance and al.stance.get("contradict", 0) > 0.8)
             and not figure_conflicts(al)]  # different figures are a discrepancy, not agreement
    out = []
    groups = ctx.groups.setdefault("agreement", [])
    for component in _stars(edges)[:limit]:
        claims = _claims_of(component)
        if len(claims) < 2:
            continue
        best = max(al.score for al in component)
        model = _model_prob(component, "agree")
        conf = 0.35 + 0.9 * best + (0.15 * (model - 0.4) if model is not None else 0.0)
        names_ar = "، ".join(ctx.article(a).outlet for a in claims)
        names_en = ", ".join(ctx.article(a).outlet for a in claims)
        first = claims[next(iter(claims))][0]
        out.append(Finding(
            id="", kind="agreement", articles=sorted(claims), evidence=_side_evidence(claims),
            explanation_ar=f"اتفاق: {verb('يورد', names_ar)} {names_ar} الأمر نفسه: "
                           f"«{_excerpt(first.claim.text)}».",
            explanation_en=f"Agreement: {names_en} report the same thing.",
            confidence=_clip(conf), status="agreed",
            details={"shared_entities": sorted(set().union(*(al.entities for al in component))),
                     "shared_concepts": sorted(set().union(*(al.concepts for al in component)))},
        ))
        groups.append([c for infos in claims.values() for c in infos])
    return out


# --------------------------------------------------------------------------- timing
def _happened(info: ClaimInfo) -> bool:
    if info.future or info.hedged or info.negated:
        return False
    return any(d.tense == "past" for d in info.dates) or info.claim.modality in ("asserted", "reported")


def timing(ctx: StoryContext) -> list[Finding]:
    """One outlet anticipates an event (future) that another reports as having happened."""
    _, contestable = concepts()
    seen: set[tuple[str, str]] = set()
    best: dict[tuple[str, str], list[Alignment]] = defaultdict(list)
    for al in ctx.alignments:
        if al.score < 0.25 or al.opposite or not (al.concepts - contestable or al.same_date):
            continue
        for fut, past in ((al.a, al.b), (al.b, al.a)):
            dated = any(d.tense == "future" or d.relative for d in fut.dates)
            if fut.future and _happened(past) and len(al.entities) >= 1 and (dated or al.score >= 0.4):
                best[(fut.article, past.article)].append(al)
    out = []

    def strength(al: Alignment, fa: str) -> float:
        fut, past = (al.a, al.b) if al.a.article == fa else (al.b, al.a)
        return (al.score + 0.3 * any(d.tense == "future" or d.relative for d in fut.dates)
                + 0.2 * bool(past.dates))

    for (fa, pa), edges in best.items():
        edges.sort(key=lambda al: -strength(al, fa))
        top = edges[0]
        fut, past = (top.a, top.b) if top.a.article == fa else (top.b, top.a)
        if (fut.claim_id, past.claim_id) in seen:
            continue
        seen.add((fut.claim_id, past.claim_id))
        more = [al.b if al.a.article == fa else al.a for al in edges[1:3]]
        ev = [evidence(fut), evidence(past)] + [evidence(i) for i in more
                                                 if i.index != past.index]
        when = next((d.text for d in fut.dates if d.tense == "future" or d.relative), "")
        fn, pn = ctx.article(fa).outlet, ctx.article(pa).outlet
        out.append(Finding(
            id="", kind="timing", articles=[fa, pa], evidence=ev,
            explanation_ar=f"توقيت: {verb('يتحدث', fn)} {fn} عن الحدث بوصفه مرتقبًا"
                           f"{' (' + when + ')' if when else ''}، بينما {verb('يورده', pn)} {pn} "
                           f"بوصفه قد وقع.",
            explanation_en=f"Timing: {fn} anticipates the event"
                           f"{' (' + when + ')' if when else ''}, which {pn} "
                           f"reports as having happened.",
            confidence=_clip(0.4 + 0.9 * top.score), status="consistent",
            details={"anticipated_in": fa, "reported_in": pa, "when": when},
        ))
    return out


# --------------------------------------------------------------------------- numbers and dates
def _pair_evidence(al: Alignment, x: Quantity | DateExpr, y: Quantity | DateExpr) -> list[Evidence]:
    """The two differing spans (``x`` in ``al.a``, ``y`` in ``al.b``), then the two claims."""
    return [span_evidence(al.a.analysis, x.start, x.end, al.a.claim_id),
            span_evidence(al.b.analysis, y.start, y.end, al.b.claim_id), evidence(al.a), evidence(al.b)]


def figure_conflicts(al: Alignment) -> list[tuple[Quantity, Quantity]]:
    """Quantities of the same kind and unit the two claims give with different values
    (more than 2% apart, and no equal value of that unit on both sides)."""
    out = []
    for qa in al.a.quantities:
        for qb in al.b.quantities:
            if qa.value is None or qb.value is None or quantity_key(qa) != quantity_key(qb):
                continue
            if qa.kind in ("ordinal", "vague") or not qa.unit:
                continue
            if abs(qa.value - qb.value) <= 0.02 * max(abs(qa.value), abs(qb.value)):
                continue
            key = quantity_key(qa)
            if any(x.value == y.value and quantity_key(x) == key
                   for x in al.a.quantities for y in al.b.quantities):
                continue
            out.append((qa, qb))
    return out


def numeric_discrepancies(ctx: StoryContext, *, threshold: float = 0.25,
                          limit: int = 12) -> list[Finding]:
    """The same quantity (same unit, aligned claims) given with different values.

    One finding per pair of articles and unit, from their most strongly aligned claims; at most
    ``limit`` per story, strongest first (a long story can otherwise yield thousands).
    """
    best: dict[tuple[str, str, str], tuple[float, Alignment, Quantity, Quantity]] = {}
    for al in ctx.alignments:
        if al.score < threshold or not _anchored(al):
            continue
        for qa, qb in figure_conflicts(al):
            slot = (*sorted((al.a.article, al.b.article)), str(quantity_key(qa)))
            if slot not in best or al.score > best[slot][0]:
                best[slot] = (al.score, al, qa, qb)
    out = []
    for score, al, qa, qb in sorted(best.values(), key=lambda b: -b[0])[:limit]:
        a_name, b_name = ctx.article(al.a.article).outlet, ctx.article(al.b.article).outlet
        loose = qa.approximate or qb.approximate
        out.append(Finding(
            id="", kind="numeric_discrepancy", articles=[al.a.article, al.b.article],
            evidence=_pair_evidence(al, qa, qb),
            explanation_ar=f"تباين في الأرقام: {a_name} {verb('يذكر', a_name)} «{qa.text}» و{b_name} "
                           f"{verb('يذكر', b_name)} «{qb.text}» للأمر نفسه.",
            explanation_en=f"Different figures: {a_name} gives {qa.value:g} and {b_name} "
                           f"gives {qb.value:g} ({qa.unit}) for the same thing.",
            confidence=_clip(0.35 + 0.9 * score - (0.15 if loose else 0.0)),
            details={"unit": qa.unit, "values": {al.a.article: qa.value, al.b.article: qb.value},
                     "approximate": loose},
        ))
    return out


def date_discrepancies(ctx: StoryContext, *, threshold: float = 0.35) -> list[Finding]:
    """The same event dated differently by two outlets (both report it as past)."""
    out, seen = [], set()
    for al in ctx.alignments:
        if al.score < threshold or al.a.future or al.b.future or al.opposite:
            continue
        for da in al.a.dates:
            for db in al.b.dates:
                if not da.value or not db.value or da.granularity != db.granularity:
                    continue
                if da.value == db.value or da.tense == "future" or db.tense == "future":
                    continue
                if any(x.value == y.value for x in al.a.dates for y in al.b.dates if x.value):
                    continue
                sig = (al.a.article, al.b.article, da.value, db.value)
                if sig in seen:
                    continue
                seen.add(sig)
                a_name, b_name = ctx.article(al.a.article).outlet, ctx.article(al.b.article).outlet
                out.append(Finding(
                    id="", kind="date_discrepancy", articles=[al.a.article, al.b.article],
                    evidence=_pair_evidence(al, da, db),
                    explanation_ar=f"تباين في التاريخ: {a_name} {verb('يؤرخ', a_name)} الحدث بـ«{da.text}» "
                                   f"({da.value}) "
                                   f"و{b_name} بـ«{db.text}» ({db.value}).",
                    explanation_en=f"Different dates: {a_name} dates the event {da.value}, "
                                   f"{b_name} {db.value}.",
                    confidence=_clip(0.3 + 0.9 * al.score),
                    details={"values": {al.a.article: da.value, al.b.article: db.value}},
                ))
    return out


# --------------------------------------------------------------------------- sourcing
def _source_spans(info: ClaimInfo) -> list[Evidence]:
    """The spans naming the claim's sources, outermost to ultimate (each on its own: a speaker
    inherited from the sentence before and one quoted inside the claim are two spans, not the
    text between them), else the claim itself."""
    spans = dict.fromkeys((s.start, s.end) for s in info.claim.chain
                          if s.start is not None and s.end is not None and s.end > s.start)
    if spans:
        return [span_evidence(info.analysis, start, end, info.claim_id) for start, end in spans]
    return [evidence(info)]


def named_kinds(kinds: Iterable[str]) -> list[str]:
    """Source kinds in order of first use; "unattributed" only when nothing else is named."""
    kinds = list(dict.fromkeys(kinds))
    return [k for k in kinds if k != "unattributed"] or kinds


def _describe(sources: Sequence[Source]) -> tuple[str, str]:
    kinds = named_kinds(s.kind for s in sources)
    return "، ".join(SOURCE_AR[k] for k in kinds), ", ".join(SOURCE_EN[k] for k in kinds)


def sourcing_contrasts(ctx: StoryContext) -> list[Finding]:
    """A matter resting on anonymous or second-hand sourcing in one outlet, on record in another.

    Matters are the claim groups of the contradictions and agreements found before.
    """
    out, seen = [], set()
    for kind in ("contradiction", "agreement"):
        for group in ctx.groups.get(kind, []):
            by_article: dict[str, list[ClaimInfo]] = defaultdict(list)
            for info in group:
                by_article[info.article].append(info)
            weak = [a for a, infos in by_article.items()
                    if all(i.source.kind in WEAK_SOURCES or i.second_hand for i in infos)
                    and any(i.source.kind in ("anonymous", "media") or i.second_hand for i in infos)]
            strong = [a for a, infos in by_article.items() if any(i.on_record for i in infos)]
            for w in weak:
                for s in strong:
                    if w == s or (w, s) in seen:
                        continue
                    seen.add((w, s))
                    w_infos = by_article[w][:MAX_EVIDENCE_PER_SIDE]
                    s_infos = [i for i in by_article[s] if i.on_record][:MAX_EVIDENCE_PER_SIDE]
                    w_ar, w_en = _describe([x for i in w_infos for x in i.claim.chain] or
                                           [i.source for i in w_infos])
                    s_names = distinct_names(sorted((i.source for i in s_infos),  # people first
                                                    key=lambda x: x.kind != "named_person"))
                    s_ar = "، ".join(s_names[:4]) or "مصادر مسمّاة"
                    s_en = ", ".join(s_names[:4]) or "named sources"
                    wn, sn = ctx.article(w).outlet, ctx.article(s).outlet
                    out.append(Finding(
                        id="", kind="sourcing_contrast", articles=[w, s],
                        evidence=[e for i in (*w_infos, *s_infos) for e in _source_spans(i)],
                        explanation_ar=f"تباين في المصادر: {verb('يستند', wn)} {wn} في هذه المسألة إلى "
                                       f"{w_ar}، بينما {verb('ينقل', sn)} {sn} تصريحات منسوبة بالاسم "
                                       f"({s_ar}).",
                        explanation_en=f"Sourcing contrast: on this matter {wn} relies on {w_en}, while "
                                       f"{sn} quotes on-record sources ({s_en}).",
                        confidence=_clip(0.55 + 0.1 * min(len(w_infos), 3) + 0.05 * len(s_infos)),
                        details={"matter": kind,
                                 "sources": {
                                     w: [{"kind": x.kind, "text": x.text} for i in w_infos
                                         for x in (i.claim.chain or [i.source])],
                                     s: [{"kind": i.source.kind, "text": i.source.text} for i in s_infos]}},
                    ))
    return out


def distinct_names(sources: Iterable[Source]) -> list[str]:
    """The sources' names, each speaker once, by the fullest name: a name inside another
    (وزير الدفاع، العبيدي → وزير الدفاع سليم العبيدي) or of the same entity is dropped."""
    texts = [x.text for x in sources if x.text]
    entity = {x.text: x.entity for x in sources if x.text and x.entity}
    kept: list[str] = []
    for t in sorted(dict.fromkeys(texts), key=lambda t: (-len(t), texts.index(t))):
        if not any(t in k or (entity.get(t) and entity.get(t) == entity.get(k)) for k in kept):
            kept.append(t)
    return sorted(kept, key=texts.index)


# --------------------------------------------------------------------------- naming
@cache
def _naming_table() -> list[tuple[str, int, tuple[str, ...]]]:
    """(group id, variant index, folded words of one form), longest forms first."""
    rows = []
    for group in load_json("compare_naming.json")["groups"]:
        for vi, variant in enumerate(group["variants"]):
            for form in variant["forms"]:
                rows.append((group["id"], vi, tuple(fold(w) for w in form.split())))
    rows.sort(key=lambda r: -len(r[2]))
    return rows


@cache
def _naming_groups() -> dict[str, dict]:
    return {g["id"]: g for g in load_json("compare_naming.json")["groups"]}


def _strip(word: str) -> str:
    for p in ("وب", "وال", "فال", "بال", "لل", "و", "ف", "ب", "ل", "ك"):
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


@cache
def _naming_index() -> dict[str, list[tuple[str, int, tuple[str, ...]]]]:
    """The naming table by first word, longest forms first within each."""
    index: dict[str, list[tuple[str, int, tuple[str, ...]]]] = defaultdict(list)
    for row in _naming_table():
        index[row[2][0]].append(row)
    return dict(index)


def name_uses(analysis: Analysis) -> list[tuple[str, int, int, int, bool]]:
    """Stance-carrying names in one article: (group, variant, start, end, arabic_script)."""
    doc = analysis.document
    words = [fold(doc.text[t.start:t.end]) for t in doc.tokens]
    index = _naming_index()
    out, i, n = [], 0, len(words)
    while i < n:
        hit = None
        first, bare = words[i], _strip(words[i])
        rows = index.get(first, [])
        if bare != first and bare in index:  # the word with a proclitic (بداعش, لتنظيم ...)
            rows = sorted([*rows, *index[bare]], key=lambda r: -len(r[2]))
        for gid, vi, form in rows:
            k = len(form)
            if i + k <= n and all(words[i + j] == form[j] for j in range(1, k)):
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


def naming(ctx: StoryContext) -> list[Finding]:
    """The same referent named differently where the choice carries a stance."""
    uses = {aid: name_uses(an) for aid, an in ctx.analyses.items()}
    out = []
    groups = _naming_groups()
    for gid, group in groups.items():
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
        ev = [span_evidence(ctx.analyses[a], s, e) for a in aids for s, e in spans[a]]
        parts_ar, parts_en = [], []
        for a in aids:
            v = group["variants"][dominant[a]]
            word = ctx.analyses[a].article.text[spans[a][0][0]:spans[a][0][1]]
            parts_ar.append(f"{ctx.article(a).outlet}: «{word}» ({v['note_ar']})")
            parts_en.append(f"{ctx.article(a).outlet}: “{word}” ({v['note_en']})")
        out.append(Finding(
            id="", kind="naming", articles=aids, evidence=ev,
            explanation_ar=f"تسمية: {group['label_ar']} يُسمّى بأسماء مختلفة — " + "؛ ".join(parts_ar) + ".",
            explanation_en=f"Naming: {group['label_en']} is named differently — " + "; ".join(parts_en) + ".",
            confidence=_clip(0.6 + 0.1 * min(3, min(sum(c.values()) for c in counts_by.values()))),
            status="framing",
            details={"group": gid, "variants": {a: dominant[a] for a in aids},
                     "counts": {a: {str(k): v for k, v in counts_by[a].items()} for a in aids}},
        ))
    return out


# --------------------------------------------------------------------------- unique
def unique(ctx: StoryContext, *, per_article: int = 8) -> list[Finding]:
    """What only one outlet reports: its unmatched figures and claims naming what others do not."""
    best_score: dict[tuple[str, int], float] = defaultdict(float)
    for al in ctx.alignments:
        for c in (al.a, al.b):
            best_score[(c.article, c.index)] = max(best_score[(c.article, c.index)], al.score)
    # units counted in an aligned claim of another outlet: the figure is shared or disputed there
    aligned_units: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
    for al in ctx.alignments:
        if al.score >= 0.25:
            aligned_units[(al.a.article, al.a.index)].update(quantity_key(q) for q in al.b.quantities)
            aligned_units[(al.b.article, al.b.index)].update(quantity_key(q) for q in al.a.quantities)
    out = []
    for aid, infos in ctx.infos.items():
        others = [i for other, lst in ctx.infos.items() if other != aid for i in lst]
        if not others:
            continue
        other_q = {(quantity_key(q), q.value) for i in others for q in i.quantities}
        other_ents = {e for i in others for e in i.entities}
        other_keys = {k for i in others for k in i.keys}
        ranked = []
        for info in infos:
            if info.claim.end - info.claim.start < 20:
                continue
            own_q = [q for q in info.quantities if q.value is not None and q.kind != "ordinal"
                     and (quantity_key(q), q.value) not in other_q
                     and quantity_key(q) not in aligned_units[(aid, info.index)]]
            # a figure repeated in the same article counts once
            own_ents = info.entities - other_ents
            new_keys = info.keys - other_keys
            score = best_score.get((aid, info.index), 0.0)
            salience = (2.0 * len({(quantity_key(q), q.value) for q in own_q}) + 1.0 * min(len(own_ents), 3)
                        + 0.1 * min(len(new_keys), 8) - 1.0 * max(0.0, score - 0.45)
                        + (info.claim.checkworthy or 0.0))
            if own_q or (own_ents and score < 0.9):
                ranked.append((salience, info, own_q, own_ents))
        ranked.sort(key=lambda r: -r[0])
        picked = [r for r in ranked if r[0] >= 1.0][:per_article]
        if not picked:
            continue
        picked.sort(key=lambda r: r[1].claim.start)
        name = ctx.article(aid).outlet
        items = [{"claim": r[1].claim_id, "quantities": [q.text for q in r[2]],
                  "entities": sorted(r[3])} for r in picked]
        # one figure given twice (``1000 جندي`` … ``ألف جندي``; an English caption's ``10,000
        # airstrikes`` and ``بعشرة آلاف غارة``) is listed once, in its first Arabic wording
        firsts: dict[tuple[str, float], str] = {}
        for r in picked:
            for q in r[2]:
                seen = firsts.get((q.kind, q.value))
                if seen is None or (not has_arabic(seen) and has_arabic(q.text)):
                    firsts[(q.kind, q.value)] = q.text
        figures = list(dict.fromkeys(firsts.values()))
        fig_ar = ("، منها: " + "، ".join(figures)) if figures else ""
        fig_en = ("; figures: " + ", ".join(figures)) if figures else ""
        out.append(Finding(
            id="", kind="unique", articles=[aid], evidence=[evidence(r[1]) for r in picked],
            explanation_ar=f"{verb('ينفرد', name)} {name} بذكر {_count_ar(len(picked))} لا ترد في "
                           f"{'غيرها' if feminine(name) else 'غيره'}{fig_ar}.",
            explanation_en=f"Only {name} reports {len(picked)} items{fig_en}.",
            confidence=_clip(0.5 + 0.05 * len(picked)), status="single_source",
            details={"items": items, "figures": figures},
        ))
    return out
