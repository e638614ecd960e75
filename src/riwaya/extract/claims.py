"""Claims: the checkable statements of an article, each with its attribution and annotations.

Every content sentence gives one claim, or several when it holds several reported statements
(``… فأكد …, لكنه استبعد …``: split where a new top-level reporting cue starts). A claim carries the
chain of the quote covering it (unattributed otherwise), the entities, quantities, dates and cues
inside it, its polarity (negative when a negation or ruling-out cue governs the main predicate),
modality and a check-worthiness score (model batches of a few articles' claims).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice, pairwise

from riwaya.extract.quotes import copy_source
from riwaya.model import Analysis, Claim, Quote
from riwaya.models.checkworthy import scores

# the words that open a clause before a new reporting statement (… فأكد …، لكنه استبعد …)
_HOSTS = [c + "لكن" + e for c in ("", "و") for e in ("", "ه", "ها", "هم")] + ["كما", "ثم", "بينما", "فيما"]
_HOST = re.compile(rf"(?:\b|(?<=\s))(?:{'|'.join(sorted(_HOSTS, key=len, reverse=True))})\s*$")
_HOST_LONGEST = max(map(len, _HOSTS))
MIN_WORDS = 4
_WORD = re.compile(r"\w+")


def _enough_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds at least :data:`MIN_WORDS` words (runs of ``\\w``).

    Counts maximal runs one after the other, in time linear in the span: a single pattern
    ``\\w+(?:\\W+\\w+){3}`` retried at every position of one long word is quadratic.
    """
    return sum(1 for _ in islice(_WORD.finditer(text, start, end), MIN_WORDS)) == MIN_WORDS


def _top_level(quotes: list[Quote]) -> list[Quote]:
    """Quotes not nested in another quote's content in the same sentence."""
    return [q for q in quotes if q.cue_start is None
            or not any(o is not q and o.content_start <= q.cue_start < o.content_end
                       for o in quotes if o.cue_start is not None)]


def _clauses(text: str, start: int, end: int, quotes: list[Quote]) -> list[tuple[int, int]]:
    """The sentence cut before each top-level reporting statement after the first."""
    cuts = []
    for q in sorted(_top_level(quotes), key=lambda q: q.start)[1:] if len(quotes) > 1 else ():
        cut = q.start
        m = _HOST.search(text, _host_from(text, start, cut), cut)
        if m:
            cut = m.start()
        if start < cut < end:
            cuts.append(cut)
    bounds = [start, *sorted(set(cuts)), end]
    out = []
    for s, e in pairwise(bounds):
        while s < e and (text[s].isspace() or text[s] in "،,"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in "،,.:؛;"):
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _host_from(text: str, start: int, cut: int) -> int:
    """Where a ``_HOST`` match ending at ``cut`` may start: its word ends where the spaces
    before ``cut`` begin (the search need not try the whole sentence before)."""
    end = cut
    while end > start and text[end - 1].isspace():
        end -= 1
    return max(start, end - _HOST_LONGEST)


def _covering(quotes: list[tuple[int, Quote]], s: int, e: int) -> int | None:
    """Index (in the analysis) of the innermost of the sentence's ``(index, quote)`` whose content
    lies in the clause ``[s, e)``."""
    best, best_key = None, None
    for i, q in quotes:
        if q.content_start < e and s < q.content_end and q.start < e:
            k = (len(q.chain), q.content_start)
            if best_key is None or k > best_key:
                best, best_key = i, k
    return best


def annotate(analysis: Analysis) -> None:
    """Fill ``analysis.claims``."""
    annotate_many([analysis])


SCORE_CHARS = 12000  # characters of claim text scored together (measured: 5-20k fastest)


def annotate_many(analyses: list[Analysis]) -> None:
    """:func:`annotate` each analysis (same results), their claims' check-worthiness scored in
    model batches of about :data:`SCORE_CHARS` characters (a text's score does not depend on the
    batch it is scored in; batches of a few articles keep the model's arrays in the CPU cache)."""
    pending: list[Claim] = []
    size = 0
    for analysis in analyses:
        analysis.claims = _claims(analysis)
        pending += analysis.claims
        size += sum(len(c.text) for c in analysis.claims)
        if size >= SCORE_CHARS:
            _score(pending)
            pending, size = [], 0
    _score(pending)


def _score(claims: list[Claim]) -> None:
    if claims:
        for claim, p in zip(claims, scores([c.text for c in claims]), strict=True):
            claim.checkworthy = round(p, 4)


def _claims(analysis: Analysis) -> list[Claim]:
    """The claims of an analysis, check-worthiness not scored yet."""
    doc, text = analysis.document, analysis.document.text
    art_id = analysis.article.id
    by_sentence: dict[int, list[tuple[int, Quote]]] = {}
    for i, q in enumerate(analysis.quotes):
        if q.sentence is not None:
            by_sentence.setdefault(q.sentence, []).append((i, q))
    source_spans = [(s.start, s.end) for q in analysis.quotes for s in q.chain
                    if s.start is not None and s.end is not None]
    in_sources = {i for i, c in enumerate(analysis.cues)  # a source's own words are no claim's cue
                  if any(a <= c.start < b for a, b in source_spans)} if source_spans else set()
    index = {name: _by_start(getattr(analysis, name))
             for name in ("mentions", "quantities", "dates", "cues")}

    claims: list[Claim] = []
    for si, sent in enumerate(doc.sentences):
        if not sent.content:
            continue
        quotes = by_sentence.get(si, [])
        for s, e in (c for ps, pe in _outside(doc.furniture, sent.start, sent.end)
                     for c in _clauses(text, ps, pe, [q for _, q in quotes])):
            if not _enough_words(text, s, e):
                continue
            qi = _covering(quotes, s, e)
            quote = analysis.quotes[qi] if qi is not None else None
            claim = Claim(f"{art_id}:c{len(claims)}", s, e, text[s:e], si)
            if quote is not None:
                claim.quote, claim.chain = qi, list(map(copy_source, quote.chain))
            _fill(analysis, claim, quote, in_sources, index)
            claims.append(claim)
    return claims


def _outside(furniture: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` less the page furniture in it: a headline glued to a site's menu and a
    lead gives the headline and the lead apart."""
    pieces, cur = [], start
    for s, e in furniture:
        if e <= cur or s >= end:
            continue
        if s > cur:
            pieces.append((cur, s))
        cur = max(cur, e)
    if cur < end:
        pieces.append((cur, end))
    return pieces


def _by_start(items: list) -> tuple[list[int], list[int] | None]:
    """Starts in order and the item indices they belong to (for range queries by bisection);
    None for the indices when the items already come in order of their starts (the usual case)."""
    starts = [x.start for x in items]
    if all(a <= b for a, b in pairwise(starts)):
        return starts, None
    order = sorted(range(len(items)), key=starts.__getitem__)
    return [starts[i] for i in order], order


def _within(index: tuple[list[int], list[int] | None], s: int, e: int) -> list[int]:
    """Indices (ascending) of the items starting in ``[s, e)``."""
    starts, order = index
    if not starts:
        return []
    lo, hi = bisect_left(starts, s), bisect_left(starts, e)
    return list(range(lo, hi)) if order is None else sorted(order[lo:hi])


def _fill(analysis: Analysis, claim: Claim, quote: Quote | None, in_sources: set[int],
          index: dict[str, tuple[list[int], list[int] | None]]) -> None:
    s, e = claim.start, claim.end
    mentions = analysis.mentions
    claim.entities = sorted({m.entity for i in _within(index["mentions"], s, e)
                             if (m := mentions[i]).entity})
    claim.quantities = _within(index["quantities"], s, e)
    claim.dates = _within(index["dates"], s, e)
    claim.cues = [i for i in _within(index["cues"], s, e) if i not in in_sources]
    if not claim.cues:  # (most claims: positive, and asserted or reported)
        claim.polarity, claim.hedged = "positive", False
        claim.modality = "reported" if quote is not None else "asserted"
        return
    cues = [analysis.cues[i] for i in claim.cues]
    body_start = quote.content_start if quote is not None else s
    body = max(1, (quote.content_end if quote is not None else e) - body_start)
    kinds = {c.kind for c in cues}
    main = [c for c in cues if c.kind in ("negation", "ruling_out")
            and (c.kind == "ruling_out" or c.start - body_start < max(25, body * 0.4))
            and (quote is None or c.kind == "ruling_out" or c.start >= body_start
                 or c.start == quote.cue_start)]  # a denying reporting verb (نفى) negates its content
    claim.polarity = "negative" if main else "positive"
    claim.hedged = "hedge" in kinds
    if "ruling_out" in kinds:
        claim.modality = "ruled_out"
    elif claim.hedged:
        claim.modality = "hedged"
    elif "future" in kinds:
        claim.modality = "future"
    elif quote is not None:
        claim.modality = "reported"
    else:
        claim.modality = "asserted"
