"""Matters: what a story's claims are about, each outlet's position on each.

The claims of every article in a story are grouped by average-linkage clustering on how strongly
they speak about the same thing (:func:`riwaya.comparison.align.score_pair`, within an article and
across articles alike), so that a claim belongs to exactly one matter. A matter reported by one
outlet is unique to it. An outlet's position on a matter is read from its claims there: it
denies when a claim's denial governs what the matter is about, relays when it only reports
that others report it (media reports it then sets on-record denials against), anticipates,
hedges, or asserts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from riwaya.comparison import pairs
from riwaya.comparison.align import Alignment, Weights, score_pair
from riwaya.comparison.views import ClaimView, event_label
from riwaya.model import Position, PositionKind
from riwaya.resources import load_json
from riwaya.text.normalize import key

LINK = 0.24  # average similarity from which two groups of claims are one matter
SAME_KIND = 0.3  # the similarity of two claims telling one kind of event in one place
MAX_CLAIMS = 80  # per article: a long page's later claims rarely open a matter of its own
ALIGNED = 0.3  # ... unless they align this strongly with another outlet's claim


@dataclass(slots=True)
class MatterGroup:
    """A matter while the comparison works on it: its claims per article and their pairs."""

    id: str
    claims: dict[str, list[ClaimView]]  # article -> its claims here, in text order
    alignments: list[Alignment] = field(default_factory=list)  # cross-article pairs, best first
    positions: dict[str, PositionKind] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        return list(self.claims)

    @property
    def shared(self) -> bool:
        return len(self.claims) >= 2

    def views(self) -> list[ClaimView]:
        return [v for vs in self.claims.values() for v in vs]

    def strength(self) -> float:
        return max((al.score for al in self.alignments), default=0.0)


@cache
def _relay_keys() -> tuple[frozenset[str], frozenset[str]]:
    data = load_json("compare_relay.json")
    return (frozenset(key(w.split()[0]) for w in data["verbs"]),
            frozenset(key(w.split()[0]) for w in data["nouns"]))


def relays_reports(view: ClaimView) -> bool:
    """The claim only says that reports exist («تتحدث تقارير إعلامية عن استعدادات …»)."""
    verbs, nouns = _relay_keys()
    doc = view.analysis.document
    if view.span is not None:
        keys = {t.key for t in doc.tokens[view.span[0]:view.span[1]]}
    else:
        keys = {t.key for t in doc.tokens if view.claim.start <= t.start < view.claim.end}
    return bool(keys & verbs) and (bool(keys & nouns) or any(s.kind == "media" for s in view.claim.chain))


def _denies_of_person(denial: ClaimView, claim: ClaimView) -> bool:
    """``denial`` denies an event ``claim`` tells, of a person both name."""
    return (denial.stance == "denies" and claim.stance != "denies" and bool(denial.denied & claim.events)
            and any(e.startswith("PERS:") for e in denial.entities & claim.entities))


def build(views_by_article: dict[str, list[ClaimView]], w: Weights,
          alignments: Sequence[Alignment]) -> list[MatterGroup]:
    """The story's matters, those several outlets report first (most strongly aligned first)."""
    views = _kept(views_by_article, alignments)
    if not views:
        return []
    sim = _similarities([v.about for v in views], w)
    labels = _denied_of_person(views, _same_kind_and_place(views, _average_linkage(sim, LINK)))
    groups: dict[int, list[ClaimView]] = defaultdict(list)
    for v, lab in zip(views, labels, strict=True):
        groups[lab].append(v)
    index = {v.key: lab for v, lab in zip(views, labels, strict=True)}
    by_group: dict[int, list[Alignment]] = defaultdict(list)
    for al in alignments:
        la, lb = index.get(al.a.key), index.get(al.b.key)
        if la is not None and la == lb:
            by_group[la].append(al)
    out = []
    for lab, members in groups.items():
        claims: dict[str, list[ClaimView]] = defaultdict(list)
        for v in sorted(members, key=lambda v: (v.article, v.claim.start)):
            claims[v.article].append(v)
        group = MatterGroup("", dict(claims), sorted(by_group.get(lab, []), key=lambda al: -al.score))
        group.positions = {a: position(vs, group) for a, vs in group.claims.items()}
        out.append(group)
    out.sort(key=lambda g: (not g.shared, -g.strength(), -len(g.views()),
                            min(v.claim.start for v in g.views())))
    for k, g in enumerate(out, 1):
        g.id = f"M{k}"
    return out


def _similarities(views: list[ClaimView], w: Weights) -> np.ndarray:
    """How strongly each two claims speak about one matter (symmetric, zero diagonal)."""
    n = len(views)
    if pairs.worth(n * (n - 1) // 2):
        try:
            return _similarities_together(views, w)
        except pairs.Inexact:
            pass
    sim = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = views[i], views[j]
            sim[i, j] = sim[j, i] = _similarity(a, b, score_pair(a, b, w).score)
    return sim


def _similarity(a: ClaimView, b: ClaimView, s: float) -> float:
    """Two claims' similarity from their :func:`score_pair` score."""
    if a.article == b.article:
        s *= 0.85  # an article's neighbouring claims share its topic words
    if a.families & b.families and a.places & b.places:
        s = max(s, SAME_KIND)  # the troops sent and the intervention ruled out, in Libya
    elif _denies_of_person(a, b) or _denies_of_person(b, a):
        s = max(s, SAME_KIND)  # «قتل البغدادي» and «البغدادي ما زال على قيد الحياة»
    return s


def _similarities_together(views: list[ClaimView], w: Weights) -> np.ndarray:
    """:func:`_similarities` with the pairs scored together (:mod:`riwaya.comparison.pairs`):
    pairs sharing nothing stay 0, as the loop leaves them."""
    n = len(views)
    scorer = pairs.PairScorer(views, w, families=True)
    rows, cols, products = scorer.candidates()
    scores = scorer.scores(rows, cols, products)
    article = {a: k for k, a in enumerate(dict.fromkeys(v.article for v in views))}
    of = np.array([article[v.article] for v in views])
    scores = np.where(of[rows] == of[cols], scores * 0.85, scores)
    denial = np.array([v.stance == "denies" for v in views])
    families = np.asarray(products["families"][rows, cols]).ravel() if len(rows) else np.zeros(0)
    ents = np.asarray(products["ents"][rows, cols]).ravel() if len(rows) else np.zeros(0)
    # the rules that raise a pair to SAME_KIND need a shared event family, or a shared name and a denial
    for k in np.flatnonzero((families > 0) | ((ents > 0) & (denial[rows] | denial[cols]))).tolist():
        a, b = views[rows[k]], views[cols[k]]
        same_kind = a.families & b.families and a.places & b.places
        if same_kind or _denies_of_person(a, b) or _denies_of_person(b, a):
            scores[k] = max(scores[k], SAME_KIND)
    sim = np.zeros((n, n))
    sim[rows, cols] = scores
    sim[cols, rows] = scores
    return sim


def _kept(views_by_article: dict[str, list[ClaimView]], alignments: Sequence[Alignment]) -> list[ClaimView]:
    """Each article's first :data:`MAX_CLAIMS` claims, and its later claims that align with
    another outlet's (a long page's later paragraph may tell the stage the other reports)."""
    aligned = {v.key for al in alignments if al.score >= ALIGNED for v in (al.a, al.b)}
    return [v for vs in views_by_article.values()
            for i, v in enumerate(vs) if i < MAX_CLAIMS or v.key in aligned]


def _signature(members: list[ClaimView]) -> tuple[str, Counter] | None:
    """A group's commonest family of events, when most of its claims with events tell it, and
    the places its claims name."""
    families = Counter(f for v in members for f in sorted(v.about.families))
    places = Counter(p for v in members for p in sorted(v.about.places))
    if not families or not places:
        return None
    family, n = _top(families)
    if n * 2 < sum(1 for v in members if v.about.families):
        return None
    return family, places


def _same_kind_and_place(views: list[ClaimView], labels: list[int]) -> list[int]:
    """Labels with the groups that tell one kind of event in one place merged (one group's
    commonest place named in the other): the troops landed in one paragraph and the
    intervention ruled out in another are one matter."""
    groups: dict[int, list[ClaimView]] = defaultdict(list)
    for v, lab in zip(views, labels, strict=True):
        groups[lab].append(v)
    kept: list[tuple[int, str, Counter]] = []
    rename: dict[int, int] = {}
    for lab, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        sig = _signature(members)
        if sig is None:
            continue
        family, places = sig
        for other, other_family, other_places in kept:
            if family == other_family and set(places) & set(other_places):
                rename[lab] = other
                other_places.update(places)
                break
        else:
            kept.append((lab, family, places))
    return [rename.get(lab, lab) for lab in labels]


def _denied_of_person(views: list[ClaimView], labels: list[int]) -> list[int]:
    """Labels with a denial's group merged with the groups where another outlet tells the event it
    denies of the same person: «البغدادي ما زال على قيد الحياة» stands against the headline
    «روسيا ترجح مقتل البغدادي», not only against the closest sentence in wording."""
    edges = [(labels[i], labels[j]) for i, d in enumerate(views) if d.stance == "denies" and d.denied
             for j, c in enumerate(views)
             if c.article != d.article and labels[j] != labels[i] and _denies_of_person(d, c)]
    if not edges:
        return labels
    from riwaya.linkage import components

    ids = sorted(set(labels))
    at = {lab: k for k, lab in enumerate(ids)}
    merged = {ids[k]: ids[comp[0]] for comp in components(len(ids), ((at[a], at[b]) for a, b in edges))
              for k in comp}
    return [merged[lab] for lab in labels]


def _average_linkage(sim: np.ndarray, threshold: float) -> list[int]:
    """Cluster labels: groups merged while their average similarity is at least ``threshold``."""
    n = len(sim)
    if n == 1:
        return [0]
    from riwaya.linkage import fcluster, linkage, squareform

    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def position(views: list[ClaimView], group: MatterGroup | None = None) -> PositionKind:
    """One outlet's position on a matter from its claims there."""
    stances = Counter(v.stance for v in views)
    denials = [v for v in views if v.stance == "denies"]
    positive = [v for v in views if v.stance != "denies"]
    relayed = [v for v in positive if relays_reports(v)]
    # an outlet denies a matter when denials are most of what it says of it (reports it relays
    # in order to set the denials against them do not count)
    if denials and len(denials) * 2 >= len(views) - len(relayed):
        return "denies"
    if positive and len(relayed) == len(positive):
        return "relays"
    if stances["asserts"]:
        return "asserts"
    if stances["anticipates"]:
        return "anticipates"
    if stances["hedges"]:
        return "hedges"
    return "denies" if denials else "asserts"


def positions_of(group: MatterGroup) -> list[Position]:
    """The model's :class:`Position` of every outlet on the matter."""
    out = []
    for article, views in group.claims.items():
        out.append(Position(
            article=article, stance=group.positions[article],
            claims=[v.claim_id or v.claim.id for v in views],
            sources=[list(v.claim.chain) for v in views],
            quantities=list(dict.fromkeys(q.text for v in views for q in v.quantities
                                          if q.value is not None)),
            dates=list(dict.fromkeys(d.value for v in views for d in v.dates if d.value)),
        ))
    return out


def _top(counts: Counter) -> tuple[str, int]:
    """The commonest item, ties broken by the item itself (the same in every process)."""
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))


def matter_label(group: MatterGroup, ctx, lang: str = "ar") -> str:
    """A short name for the matter: its commonest event class and the names it is about, those
    several outlets name first («نشر القوات: ليبيا، بريطانيا»), else the opening words of its
    first claim."""
    views = group.views()
    events = Counter(e for v in views for e in sorted(v.events))
    entities = Counter(e for v in views for e in sorted(v.entities))
    outlets = Counter(e for vs in group.claims.values() for e in {x for v in vs for x in v.entities})
    names: list[str] = []  # what several outlets name first (one outlet's speaker is not the matter)
    for eid, _ in sorted(entities.items(), key=lambda kv: (-outlets[kv[0]], -kv[1], kv[0])):
        if group.shared and outlets[eid] < 2:
            break
        name = _entity_name(eid, ctx, lang)
        if name and name not in names:
            names.append(name)
        if len(names) == 2:
            break
    if events:
        top = event_label(_top(events)[0], lang)
        return f"{top}: {'، '.join(names) if lang == 'ar' else ', '.join(names)}" if names else top
    words = views[0].claim.text.split()
    return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


def _entity_name(entity_id: str, ctx, lang: str) -> str | None:
    for analysis in ctx.analyses.values():
        for ent in analysis.entities:
            if ent.id == entity_id:
                name = ent.name_ar if lang == "ar" else (ent.name_en or ent.name_ar)
                return name or (ent.names[0] if ent.names else None)
    return None
