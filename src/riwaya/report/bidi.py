"""Right-to-left text for terminals that do not do it themselves.

Terminals differ: some (GNOME Terminal/VTE, Konsole, mlterm, iTerm2) apply the Unicode
bidirectional algorithm and Arabic shaping to what they are given in logical order; many others
(xterm, the Linux console, most IDE terminals) print characters left to right as they come. For
the first, riwaya prints logical order (``--bidi logical``, the default, also what files and pipes
get). For the second, ``--bidi visual`` pre-shapes Arabic letters into their contextual
presentation forms and reorders each display line right to left here: a simplified bidi
algorithm for a right-to-left paragraph (Arabic runs reversed, Latin words and numbers kept left
to right, brackets mirrored). No third-party code: the presentation forms come from the Unicode
database in :mod:`unicodedata`.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import cache

_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_LTR = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9_\u00C0-\u024F.,:%/'’\-+]*"
                  r"(?:[ ]+[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.,:%/'’\-+]*)*")
_TRANSPARENT = re.compile(r"[\u064B-\u065F\u0670]")
_LAM, _ALEFS = "\u0644", "\u0622\u0623\u0625\u0627"


@cache
def _forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """``{letter: {isolated|final|initial|medial: glyph}}`` and lam-alef ligatures by alef."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for cp in (*range(0xFB50, 0xFDFF), *range(0xFE70, 0xFEFF)):
        dec = unicodedata.decomposition(chr(cp)).split()
        if len(dec) < 2 or not dec[0].startswith("<"):
            continue
        form, bases = dec[0].strip("<>"), "".join(chr(int(h, 16)) for h in dec[1:])
        if form not in ("isolated", "final", "initial", "medial"):
            continue
        if len(bases) == 1:
            forms.setdefault(bases, {}).setdefault(form, chr(cp))
        elif len(bases) == 2 and bases[0] == _LAM and bases[1] in _ALEFS:
            ligatures.setdefault(bases[1], {}).setdefault(form, chr(cp))
    return forms, ligatures


def _dual(ch: str) -> bool:
    f = _forms()[0].get(ch, {})
    return "initial" in f or "medial" in f or ch == "\u0640"


def _joins(ch: str) -> bool:
    return ch in _forms()[0] or ch == "\u0640"


def _adjacent(text: str, i: int, j: int) -> bool:
    """Only diacritics lie between positions ``i`` < ``j``."""
    return all(_TRANSPARENT.match(ch) for ch in text[i + 1:j])


def shape(text: str) -> str:
    """Arabic letters replaced by their contextual presentation forms (lam-alef ligatures too)."""
    forms, ligatures = _forms()
    letters = [(i, ch) for i, ch in enumerate(text) if not _TRANSPARENT.match(ch)]
    out = list(text)
    ligated: set[int] = set()  # alefs folded into a lam-alef ligature
    for k, (i, ch) in enumerate(letters):
        if i in ligated or ch not in forms:
            continue
        prev = letters[k - 1] if k else None
        nxt = letters[k + 1] if k + 1 < len(letters) else None
        joins_prev = (prev is not None and prev[0] not in ligated and _dual(prev[1])
                      and _adjacent(text, prev[0], i))
        if ch == _LAM and nxt and nxt[1] in ligatures and _adjacent(text, i, nxt[0]):
            out[i] = ligatures[nxt[1]].get("final" if joins_prev else "isolated", ch)
            out[nxt[0]] = ""
            ligated.add(nxt[0])
            continue
        joins_next = (_dual(ch) and nxt is not None and _joins(nxt[1]) and _adjacent(text, i, nxt[0]))
        f = forms[ch]
        if joins_prev and joins_next and "medial" in f:
            out[i] = f["medial"]
        elif joins_prev and "final" in f:
            out[i] = f["final"]
        elif joins_next and "initial" in f:
            out[i] = f["initial"]
        else:
            out[i] = f.get("isolated", ch)
    return "".join(out)


def reorder(line: str) -> str:
    """One display line of a right-to-left paragraph, in visual (left-to-right) order."""
    pieces: list[str] = []
    pos = 0
    for m in _LTR.finditer(line):
        if m.start() > pos:
            pieces.append(line[pos:m.start()][::-1].translate(_MIRROR))
        pieces.append(m.group())
        pos = m.end()
    if pos < len(line):
        pieces.append(line[pos:][::-1].translate(_MIRROR))
    return "".join(reversed(pieces))


def has_rtl(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text)


def visual(text: str, width: int | None = None) -> str:
    """``text`` ready for a terminal without bidi support: wrapped to ``width`` (in logical
    order, so lines break where a reader expects), then each line shaped and reordered."""
    if not has_rtl(text):
        return text
    lines: list[str] = []
    for para in text.split("\n"):
        wrapped = textwrap.wrap(para, width) if width and para else [para]
        lines.extend(reorder(shape(line)) for line in wrapped or [""])
    return "\n".join(lines)
