"""Title mentions: ``وزير الخارجية الأميركي`` bound to the person the same title introduced.

A title is a title word (وزير، الرئيس، الملك، ...) followed by up to three definite modifiers
(``الخارجية``, ``الأميركي``). When a title stands right before a person's name, it is remembered;
a later title alone refers to that person when it matches the whole remembered title, or its title
word and last modifier (``الوزير الأميركي``) with only one person introduced so far.
"""

from __future__ import annotations

from collections.abc import Container
from itertools import compress

from riwaya.model import Document, Entity, Mention
from riwaya.text.normalize import analyze

TITLE_WORDS = frozenset(analyze(w)[0] for w in (
    "وزير", "وزيرة", "رئيس", "رئيسة", "الملك", "الأمير", "المستشار", "السفير", "المبعوث",
    "الأمين", "نائب", "المتحدث", "الناطق", "قائد", "زعيم"))
MAX_MODIFIERS = 3


def _title_at(doc: Document, i: int, stop: int, starts: Container[int]) -> int:
    """End token (exclusive) of a title starting at token ``i`` (a title word), or ``i + 1``."""
    j = i + 1
    while j < stop and j - i <= MAX_MODIFIERS and doc.tokens[j].start not in starts:
        word = doc.text[doc.tokens[j].start:doc.tokens[j].end]
        if not analyze(word)[2].endswith("ال"):
            break
        j += 1
    return j


def link_titles(doc: Document, mentions: list[Mention], entities: list[Entity],
                keys: list[str] | None = None, at: list[int] | None = None) -> list[Mention]:
    """New title mentions (already attached to their entities); ``keys``: the tokens' keys
    (:func:`analyze`), ``at``: the indices of the title words among them, when the caller has
    them."""
    if keys is None:
        keys = [analyze(doc.text[t.start:t.end])[0] for t in doc.tokens]
    if at is None:  # the title words
        at = list(compress(range(len(keys)), map(TITLE_WORDS.__contains__, keys)))
    if not at:
        return []
    by_tok_start = {m.start: m for m in mentions}
    starts = by_tok_start.keys()
    ents = {e.id: e for e in entities}
    remembered: dict[tuple[str, ...], str] = {}
    short: dict[tuple[str, str], set[str]] = {}
    out: list[Mention] = []
    k = 0
    for si, s in enumerate(doc.sentences):
        i = s.token_start
        while k < len(at) and at[k] < s.token_end:
            if at[k] < i:  # before the sentence, or inside the title just read
                k += 1
                continue
            i = at[k]
            j = _title_at(doc, i, s.token_end, starts)
            title = tuple(keys[i:j])
            sig = (title[0], title[-1]) if len(title) > 1 else None
            nxt = by_tok_start.get(doc.tokens[j].start) if j < s.token_end else None
            if nxt is None and j < s.token_end:  # a proclitic-free name may start inside the token
                tok = doc.tokens[j]
                nxt = next((m for m in mentions if tok.start <= m.start < tok.end), None)
            if nxt is not None and nxt.type == "PERS" and nxt.entity:
                remembered[title] = nxt.entity
                if sig:
                    short.setdefault(sig, set()).add(nxt.entity)
            else:
                target = remembered.get(title)
                if target is None and sig and len(short.get(sig, ())) == 1:
                    target = next(iter(short[sig]))
                if target is not None and target in ents:
                    a, b = doc.tokens[i], doc.tokens[j - 1]
                    word = doc.text[a.start:a.end]
                    start = a.start + (1 if analyze(word)[2][:1] in ("و", "ف", "ب", "ل", "ك")
                                       and not analyze(word)[2].startswith("ال") else 0)
                    m = Mention(start, b.end, doc.text[start:b.end], "PERS", target, si, "title")
                    ents[target].mentions.append(m)
                    if m.text not in ents[target].names:
                        ents[target].names.append(m.text)
                    out.append(m)
            i = j
    return out
