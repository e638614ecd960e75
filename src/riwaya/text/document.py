"""The text layer's one entry point: ``build_document(article) -> Document``."""

from __future__ import annotations

import gc
from bisect import bisect_left

from riwaya.model import Article, Document, Sentence
from riwaya.text import furniture as _furniture
from riwaya.text import sentences as _sentences
from riwaya.text.boilerplate import MAX_LEN, is_boilerplate
from riwaya.text.segments import segments
from riwaya.text.tokenize import tokenize

NOT_SEARCHED = frozenset({"punct", "symbol"})  # token kinds search leaves out
MAX_SENTENCE = 60  # a boilerplate sentence inside a longer line ("شارك") is short
FURNITURE_SHARE = 0.6  # a sentence whose words are mostly page furniture is no content
# Characters of one article that are analysed: five times the longest article of the corpus.
# Beyond it (a runaway page, a whole archive pasted as one article) the text is cut at the last
# paragraph or space before the limit, so time and memory per article stay bounded.
MAX_CHARS = 100_000


def analysed_end(text: str, limit: int = MAX_CHARS) -> int | None:
    """Where the analysis of ``text`` stops (None: it covers the whole text)."""
    if len(text) <= limit:
        return None
    floor = limit * 9 // 10
    for sep in ("\n", " "):
        cut = text.rfind(sep, floor, limit)
        if cut > 0:
            return cut
    return limit


def build_document(article: Article) -> Document:
    """Sentences, tokens and language segments of ``article.text``, all as spans into it
    (of its first :data:`MAX_CHARS` characters only, for a longer text: see ``analysed_to``)."""
    # Hundreds of small objects and no reference cycles: pausing the cyclic collector while
    # they are made saves it from re-scanning them generation after generation (~30% faster).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _build(article)
    finally:
        if paused:
            gc.enable()


def match_keys(text: str) -> list[str]:
    """The matching keys of a text's tokens (diacritics, alef forms, clitics folded).

    The same function keys stored articles and search queries, so both match alike.
    """
    doc = build_document(Article(id="_", text=text))
    return [t.key for t in doc.tokens if t.key and t.kind not in NOT_SEARCHED]


def _lines(text: str, starts: list[int]) -> list[tuple[int, int, int, int]]:
    """Each line's span and token range: ``(start, end, first token, end token)``."""
    out = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end > start:
            out.append((start, end, bisect_left(starts, start), bisect_left(starts, end)))
        start = end + 1
    return out


def _mostly(spans: list[tuple[int, int]], tokens, t0: int, t1: int) -> bool:
    """Most of the words of tokens ``t0:t1`` lie in ``spans``."""
    words = [t for t in tokens[t0:t1] if t.kind not in ("punct", "symbol")]
    if not words:
        return False
    inside = sum(1 for t in words if any(s <= t.start and t.end <= e for s, e in spans))
    return inside >= FURNITURE_SHARE * len(words)


def _build(article: Article) -> Document:
    text = article.text or ""
    cut = analysed_end(text)
    if cut is not None:
        text = text[:cut]  # every span below is still a span into article.text
    tok = tokenize(text)
    furniture = _furniture.spans(text, tok.tokens, _lines(text, tok.starts))
    sents: list[Sentence] = []
    line_paragraph, line_is_boilerplate = -1, False
    t1 = 0
    for s, e, paragraph in _sentences.split(text, tok.tokens, tok.terminals):
        t0, t1 = _sentences.token_range(tok.starts, s, e, t1)
        if paragraph != line_paragraph:  # a whole boilerplate line marks all its sentences
            line_paragraph = paragraph
            line_is_boilerplate = False
            ls, le = text.rfind("\n", 0, s) + 1, text.find("\n", e)
            le = len(text) if le < 0 else le
            if le - ls <= MAX_LEN:
                line_is_boilerplate = is_boilerplate(text[ls:le])
        content = not (line_is_boilerplate or (e - s <= MAX_SENTENCE and is_boilerplate(text[s:e])))
        if content and furniture and _mostly(furniture, tok.tokens, t0, t1):
            content = False
        sents.append(Sentence(s, e, paragraph, t0, t1, content))
    return Document(article, sents, tok.tokens, segments(text, tok.tokens, tok.latin), furniture,
                    analysed_to=cut)
