"""Who a set of claims rests on, in words: chains of sourcing and named speakers.

``basis`` describes what claims rest on, chains in full (``موقع أخبار الحدث ← صحيفة TTU ← مصادر
ليبية لم تكشف عن هويتها``), speakers by their fullest name, people before bodies, and one
relaying through another said so (``الرئيس باراك أوباما عبر جون كيري``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from riwaya.comparison.views import ClaimView
from riwaya.model import Source
from riwaya.report.wording import label

MAX_NAMES = 6


def chain_text(chain: Sequence[Source], lang: str = "ar") -> str:
    """A sourcing chain, outermost first: ``موقع أخبار الحدث ← صحيفة TTU ← مصادر لم تكشف عن هويتها``."""
    return " ← ".join(s.text or label("source", s.kind, lang) for s in chain)


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


def speakers(views: Iterable[ClaimView], lang: str = "ar") -> list[str]:
    """The on-record speakers of ``views``: people first, then bodies; a speaker reached through
    another named as such («الرئيس باراك أوباما عبر جون كيري»)."""
    via = " عبر " if lang == "ar" else " via "
    ultimate: list[Source] = []
    relayer: dict[str, str] = {}
    for v in views:
        chain = [s for s in v.claim.chain if s.kind in ("named_person", "organization")]
        if not chain:
            continue
        last = chain[-1]
        ultimate.append(last)
        if len(chain) > 1 and chain[-2].text and last.text:
            relayer.setdefault(last.text, chain[-2].text)
    ordered = sorted(ultimate, key=lambda s: s.kind != "named_person")
    names = distinct_names(ordered)
    return [n + (via + relayer[n] if n in relayer else "") for n in names][:MAX_NAMES]


def weak_chains(views: Iterable[ClaimView], lang: str = "ar") -> list[str]:
    """The distinct chains of claims resting on media or unnamed sources, longest first."""
    chains: dict[str, int] = {}
    for v in views:
        if v.claim.chain and v.weak:
            text = chain_text(v.claim.chain, lang)
            chains.setdefault(text, len(v.claim.chain))
    ordered = sorted(chains, key=lambda t: -chains[t])
    kept = [t for i, t in enumerate(ordered) if not any(t in o for o in ordered[:i])]
    return kept


def basis(views: Sequence[ClaimView]) -> tuple[str, str]:
    """What ``views`` rest on, in Arabic and in English: named speakers where any are on record,
    else the chains of media and unnamed sources, else the kinds of source (``دون نسبة``)."""
    named_ar, named_en = speakers(views, "ar"), speakers(views, "en")
    if named_ar:
        return "، ".join(named_ar), ", ".join(named_en)
    chains_ar, chains_en = weak_chains(views, "ar"), weak_chains(views, "en")
    if chains_ar:
        return "؛ ".join(chains_ar[:3]), "; ".join(chains_en[:3])
    kinds = list(dict.fromkeys(v.source.kind for v in views))
    kinds = [k for k in kinds if k != "unattributed"] or kinds
    return ("، ".join(label("source", k, "ar") for k in kinds),
            ", ".join(label("source", k, "en") for k in kinds))
