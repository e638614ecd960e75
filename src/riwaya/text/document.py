"""First cut of the text layer (to be refined): regex tokens, punctuation sentences."""

from __future__ import annotations

import re

from riwaya.model import Article, Document, Segment, Sentence, Token

_TOKEN = re.compile(r"\d+(?:[.,٫٬]\d+)*%?|[\u0660-\u0669]+(?:[٫٬][\u0660-\u0669]+)*٪?|\w+|[^\w\s]",
                    re.UNICODE)
_SENT_END = re.compile(r"[.!?؟]+[\"'»”]?(?=\s|$)|\n+")
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")


def _key(word: str) -> str:
    w = _DIACRITICS.sub("", word)
    return w.translate(str.maketrans("أإآٱىة", "اااايه")).lower()


def build_document(article: Article) -> Document:
    text = article.text
    tokens = [Token(m.start(), m.end(), "word", _key(m.group())) for m in _TOKEN.finditer(text)]
    sentences: list[Sentence] = []
    start, ti, paragraph = 0, 0, 0
    bounds = [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
    for end in bounds:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            t0 = ti
            while ti < len(tokens) and tokens[ti].start < e:
                ti += 1
            sentences.append(Sentence(s, e, paragraph, t0, ti))
        if "\n" in text[start:end]:
            paragraph += 1
        start = end
    return Document(article, sentences, tokens, [Segment(0, len(text), "ar")])
