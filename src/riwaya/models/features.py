"""Arabic-aware features of a pair of texts, shared by the stance and similarity models.

Words are compared on matching keys (:func:`riwaya.text.normalize.key`: folded, clitics split
off), so ``والانتخابات`` and ``الانتخابات`` meet. The devices that make Arabic news contradict
itself — negation, ruling-out, opposite words, changed numbers and dates, hedging — are counted
from small lexicons in ``riwaya/data`` (loaded once).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from riwaya.resources import load_lines

if TYPE_CHECKING:
    from riwaya.models.wordvectors import Vectors

_WORD = re.compile(r"[0-9\u0660-\u0669\u06F0-\u06F9]+(?:[.,٫٬][0-9\u0660-\u0669\u06F0-\u06F9]+)*|[^\W\d_]+",
                   re.UNICODE)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_FOLD = str.maketrans("أإآٱىةـ", "اااايه\u200b")
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640\u200b]")
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")


@cache
def _normalizer() -> Callable[[str], str]:
    """The project's matching-key function (the text layer's), with a plain fold as fallback."""
    try:
        from riwaya.text.normalize import key
    except ImportError:  # the text layer's normaliser not landed: fold only
        def key(word: str) -> str:
            return _DIACRITICS.sub("", word.translate(_FOLD)).lower()
    return key


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """Matching key of one word; numbers become ASCII digits."""
    if word[0].isdigit():
        return word.translate(_DIGITS).replace(",", "")
    k = _normalizer()(word)
    return k or word.lower()


def fold(text: str) -> str:
    """Diacritics and letter variants folded (for character n-grams; not for display)."""
    return _DIACRITICS.sub("", text.translate(_FOLD)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def keys(text: str) -> list[str]:
    """Matching keys of the words of ``text``, in order."""
    return [word_key(w) for w in _WORD.findall(text)]


@cache
def _keyset(name: str) -> frozenset[str]:
    out = set()
    for line in load_lines(name):
        out.add(line)
        out.add(" ".join(word_key(w) for w in words(line)))
    return frozenset(out)


def stopwords() -> frozenset[str]:
    return _keyset("text_stopwords.txt")


def negations() -> frozenset[str]:
    return _keyset("stance_negation.txt")


def ruling_out() -> frozenset[str]:
    return _keyset("stance_ruling_out.txt")


def hedges() -> frozenset[str]:
    return _keyset("stance_hedges.txt")


@cache
def date_words() -> frozenset[str]:
    out = set()
    for line in load_lines("stance_dates.txt"):
        f = fold(line)
        out.update({f, word_key(line), f.removeprefix("ال")})
    return frozenset(out)


@cache
def antonyms() -> frozenset[tuple[str, str]]:
    """Opposite word pairs on keys, both orders."""
    out = set()
    for line in load_lines("stance_antonyms.tsv"):
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        x, y = (" ".join(keys(p)) for p in parts)
        out.update({(x, y), (y, x)})
    return frozenset(out)


def _count(ks: list[str], lexicon: frozenset[str]) -> int:
    """Lexicon entries in ``ks``; a two-word entry counts once, not again for its words."""
    n, i = 0, 0
    while i < len(ks):
        if i + 1 < len(ks) and f"{ks[i]} {ks[i + 1]}" in lexicon:
            n, i = n + 1, i + 2
        else:
            n, i = n + (ks[i] in lexicon), i + 1
    return n


def _strip_article(f: str) -> str:
    for p in _PREFIXES:
        if f.startswith(p) and len(f) - len(p) >= 3:
            return f[len(p):]
    return f


@dataclass(slots=True)
class Side:
    """One text of a pair, read once: keys, content keys, numbers, dates and device counts."""

    text: str
    keys: list[str]
    content: set[str]
    numbers: set[str]
    dates: set[str]
    negation: int
    ruling_out: int
    hedge: int

    @classmethod
    def read(cls, text: str) -> Side:
        ks = keys(text)
        stop = stopwords()
        nums = {k for k in ks if k[:1].isdigit()}
        dw = date_words()
        dates = {k for k in nums if _YEAR.match(k)}
        for w in words(text):
            f = fold(w)
            if f in dw or _strip_article(f) in dw:
                dates.add(_strip_article(f))
        return cls(text, ks, {k for k in ks if k not in stop and not k[:1].isdigit()},
                   nums, dates, _count(ks, negations()), _count(ks, ruling_out()),
                   _count(ks, hedges()))


def antonym_pairs(a: Side, b: Side) -> list[tuple[str, str]]:
    """Opposite words across the pair: one in ``a`` only, its opposite in ``b`` only."""
    ant = antonyms()
    sa, sb = {_base(k) for k in a.keys}, {_base(k) for k in b.keys}
    only_a, only_b = sa - sb, sb - sa
    # two-word entries ("اطلاق سراح") are matched on adjacent keys
    only_a |= {f"{_base(x)} {_base(y)}" for x, y in pairwise(a.keys)}
    only_b |= {f"{_base(x)} {_base(y)}" for x, y in pairwise(b.keys)}
    out = [(x, y) for x in only_a for y in only_b if (x, y) in ant]
    if out:
        return out
    # other forms of the same words: suffixes (رفضت → رفض) and the imperfect prefix (تنخفض → نخفض)
    opposite = _antonym_forms()
    forms_b: dict[str, str] = {}
    for y in sorted(only_b):
        if " " not in y:
            for f in _forms(y):
                forms_b.setdefault(f, y)
    for x in sorted(only_a):
        if " " in x:
            continue
        for f in _forms(x):
            hit = next((forms_b[g] for g in opposite.get(f, ()) if g in forms_b), None)
            if hit is not None:
                out.append((x, hit))
                break
    return out


@lru_cache(maxsize=200_000)
def _forms(k: str) -> tuple[str, ...]:
    """Looser forms of a key for opposite-word matching: its stem, without the imperfect prefix."""
    from riwaya.text.normalize import stem

    out = {k, _base(k), stem(k) or k}
    for f in list(out):
        if len(f) >= 4 and f[0] in "يتن":
            out.add(f[1:])
    return tuple(sorted(out))


@cache
def _antonym_forms() -> dict[str, frozenset[str]]:
    """Each looser form of a one-word opposite entry → the forms of its opposites."""
    out: dict[str, set[str]] = {}
    for x, y in antonyms():
        if " " in x or " " in y:
            continue
        for f in _forms(x):
            out.setdefault(f, set()).update(_forms(y))
    shared = {f for f, opp in out.items() if f in opp}  # a form that is its own opposite says nothing
    return {f: frozenset(opp - shared - {f}) for f, opp in out.items() if f not in shared}


def _base(k: str) -> str:
    """A key without the accusative alif (انخفاضا → انخفاض)."""
    return k[:-1] if len(k) > 4 and k.endswith("ا") else k


def char_ngrams(text: str, n: int = 3) -> set[str]:
    f = " ".join(fold(w) for w in words(text))
    return {f[i:i + n] for i in range(len(f) - n + 1)}


def jaccard(x: set, y: set) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


DENSE_NAMES = [
    "jaccard", "cover_a", "cover_b", "char3_jaccard", "len_a", "len_b", "len_ratio",
    "only_a", "only_b", "substitution",
    "neg_a", "neg_b", "neg_diff", "neg_parity",
    "rule_a", "rule_b", "rule_diff",
    "hedge_a", "hedge_b", "hedge_diff",
    "antonyms",
    "num_a", "num_b", "num_shared", "num_mismatch", "num_one_side",
    "date_mismatch", "date_one_side",
    "clitic_split",
    "soft_a", "soft_b", "new_a", "new_b", "new_both", "min_soft_b",
    "bigram_jaccard", "order_discordance", "first_same", "last_same",
]


def dense_features(a: Side, b: Side) -> list[float]:
    """Hand features of a pair, in the order of :data:`DENSE_NAMES`."""
    ca, cb = a.content, b.content
    inter = len(ca & cb)
    only_a, only_b = len(ca - cb), len(cb - ca)
    la, lb = len(a.keys), len(b.keys)
    num_shared = len(a.numbers & b.numbers)
    num_mismatch = float(bool(a.numbers and b.numbers and a.numbers != b.numbers))
    date_mismatch = float(bool(a.dates and b.dates and not (a.dates & b.dates)))
    clitic = sum(len(w) == 1 for w in words(a.text)) / max(la, 1)
    return [
        jaccard(ca, cb), inter / max(len(ca), 1), inter / max(len(cb), 1),
        jaccard(char_ngrams(a.text), char_ngrams(b.text)),
        float(la), float(lb), min(la, lb) / max(la, lb, 1),
        float(only_a), float(only_b), float(only_a == 1 and only_b == 1),
        float(a.negation), float(b.negation), float(abs(a.negation - b.negation)),
        float((a.negation % 2) != (b.negation % 2)),
        float(a.ruling_out), float(b.ruling_out), float(abs(a.ruling_out - b.ruling_out)),
        float(a.hedge), float(b.hedge), float(abs(a.hedge - b.hedge)),
        float(len(antonym_pairs(a, b))),
        float(len(a.numbers)), float(len(b.numbers)), float(num_shared), num_mismatch,
        float(bool(a.numbers) != bool(b.numbers)),
        date_mismatch, float(bool(a.dates) != bool(b.dates)),
        clitic,
        *_soft_alignment(a, b),
        *_order(a, b),
    ]


def _order(a: Side, b: Side) -> list[float]:
    """Word order: shared key bigrams, how far the shared words are reordered (0 same, 1 reversed),
    and whether the first and last content words agree."""
    bi_a, bi_b = set(pairwise(a.keys)), set(pairwise(b.keys))
    shared = a.content & b.content
    pos_a = {k: i for i, k in enumerate(a.keys) if k in shared}
    pos_b = {k: i for i, k in enumerate(b.keys) if k in shared}
    seq = [pos_b[k] for k in sorted(pos_a, key=pos_a.__getitem__)]
    n = len(seq)
    discordant = sum(seq[i] > seq[j] for i in range(n) for j in range(i + 1, n))
    first_a = [k for k in a.keys if k in a.content]
    first_b = [k for k in b.keys if k in b.content]
    return [jaccard(bi_a, bi_b), discordant / (n * (n - 1) / 2) if n > 1 else 0.0,
            float(bool(first_a and first_b) and first_a[0] == first_b[0]),
            float(bool(first_a and first_b) and first_a[-1] == first_b[-1])]


@lru_cache(maxsize=200_000)
def _grams(k: str) -> frozenset[str]:
    w = f"#{_strip_article(k)}#"
    return frozenset(w[i:i + 3] for i in range(len(w) - 2)) if len(w) > 3 else frozenset({w})


def _best(k: str, others: list[str]) -> float:
    g = _grams(k)
    best = 0.0
    for o in others:
        h = _grams(o)
        s = 2 * len(g & h) / (len(g) + len(h))
        if s > best:
            best = s
    return best


def _soft_alignment(a: Side, b: Side) -> list[float]:
    """How well each content word of one side is matched by some word of the other (char trigrams)."""
    ca, cb = sorted(a.content), sorted(b.content)
    sim_a = [1.0 if k in b.content else _best(k, cb) for k in ca]
    sim_b = [1.0 if k in a.content else _best(k, ca) for k in cb]
    new_a = sum(s < 0.45 for s in sim_a)
    new_b = sum(s < 0.45 for s in sim_b)
    return [sum(sim_a) / max(len(sim_a), 1), sum(sim_b) / max(len(sim_b), 1),
            float(new_a), float(new_b), float(new_a > 0 and new_b > 0), min(sim_b, default=1.0)]


def diff_tokens(a: Side, b: Side) -> list[str]:
    """Sparse tokens of what changed: ``A:w`` only in a, ``B:w`` only in b, ``X:w|v`` swaps."""
    sa, sb = set(a.keys), set(b.keys)
    only_a = sorted(sa - sb)
    only_b = sorted(sb - sa)
    out = [f"A:{w}" for w in only_a] + [f"B:{w}" for w in only_b]
    if len(only_a) <= 3 and len(only_b) <= 3:
        out += [f"X:{x}|{y}" for x in only_a for y in only_b]
    if not only_a and not only_b:
        out.append("SAME")
    return out


def explain_pair(a: str, b: str) -> list[str]:
    """Which contradiction devices fire between two statements (names, most telling first)."""
    sa, sb = Side.read(a), Side.read(b)
    out = []
    if (sa.negation % 2) != (sb.negation % 2):
        out.append("negation_mismatch")
    if (sa.ruling_out > 0) != (sb.ruling_out > 0):
        out.append("ruling_out")
    if antonym_pairs(sa, sb):
        out.append("antonym")
    counts_a, counts_b = sa.numbers - sa.dates, sb.numbers - sb.dates
    if counts_a and counts_b and counts_a != counts_b:
        out.append("number_mismatch")
    if sa.dates and sb.dates and not (sa.dates & sb.dates):
        out.append("date_mismatch")
    if _changed_entity(sa, sb):
        out.append("changed_entity")
    if (sa.hedge > 0) != (sb.hedge > 0):
        out.append("hedging")
    return out


def _changed_entity(a: Side, b: Side) -> bool:
    """One name swapped for another: a content word replaced, neither a number, date or opposite."""
    only_a, only_b = a.content - b.content, b.content - a.content
    if not only_a or not only_b or len(only_a) > 3 or len(only_b) > 3:
        return False
    if antonym_pairs(a, b) or len(a.content & b.content) < 2:
        return False
    common = stopwords() | negations() | hedges() | ruling_out()
    names_a = [w for w in only_a if w not in common and w not in a.dates and len(w) > 2]
    names_b = [w for w in only_b if w not in common and w not in b.dates and len(w) > 2]
    return bool(names_a and names_b) and bool(_looks_like_name(names_a) and _looks_like_name(names_b))


def _looks_like_name(ws: list[str]) -> bool:
    """A proper name or a nisba of one (الإماراتية, الهندية), by a frequency list when present."""
    common = common_words()
    return any(w not in common or w.endswith(("ي", "يه", "يون", "يين")) for w in ws)


@cache
def common_words() -> frozenset[str]:
    """Frequent ordinary words (not names), from ``compare_common_words.txt`` when shipped."""
    try:
        return frozenset(load_lines("compare_common_words.txt"))
    except FileNotFoundError:
        return frozenset()


# --------------------------------------------------------------------------- word vectors
VECTOR_DIFF_DIMS = 96
VECTOR_NAMES = [
    "vec_sentence_cos", "vec_idf_sentence_cos",
    "vec_a2b_mean", "vec_a2b_min", "vec_a2b_max", "vec_b2a_mean", "vec_b2a_min", "vec_b2a_max",
    "vec_b2all_min", "vec_b2all_mean", "vec_changed_cos",
    "oov_only_a", "oov_only_b", "idf_only_a", "idf_only_b", "idf_shared", "idf_cover_b",
    "b_subset_a", "a_subset_b",
    *[f"vec_diff_{i}" for i in range(VECTOR_DIFF_DIMS)],
]


def vector_features(a: Side, b: Side, v: Vectors | None = None) -> list[float]:
    """Soft alignment by word vectors and idf mass of the changed words (:data:`VECTOR_NAMES`).

    For each content word only in one text: its best cosine to the words only in the other
    (a synonym, an opposite or an unrelated replacement) and to all words of the other; the
    sentences' mean-vector cosines; and the difference of the changed words' mean vectors.
    ``v``: the vectors to use (default the shipped ones); all zero when there are none.
    """
    return pair_vector_features(a, b, v)[0]


def pair_vector_features(a: Side, b: Side, v: Vectors | None = None) -> tuple[list[float], np.ndarray]:
    """:func:`vector_features` and :func:`sentence_vector_features` of a pair, sharing the work."""
    if v is None:
        from riwaya.models.wordvectors import vectors

        v = vectors()
    ca, cb = a.content, b.content
    only_a, only_b, shared = sorted(ca - cb), sorted(cb - ca), ca & cb
    if v is None:
        return [0.0] * len(VECTOR_NAMES), np.zeros(6 * VECTOR_DIFF_DIMS, dtype=np.float32)

    def idf(ks) -> float:
        return float(sum(v.weight[v.index[k]] if k in v.index else v.unknown_weight for k in ks))

    va, u, wa = v.text(tuple(sorted(ca)))
    vb, w, wb = v.text(tuple(sorted(cb)))
    oa, ob = v.rows(only_a), v.rows(only_b)
    out = [_cos(u, w) if len(va) and len(vb) else 0.0, _cos(wa, wb) if len(va) and len(vb) else 0.0]
    if len(oa) and len(ob):
        sims = oa @ ob.T
        a2b, b2a = sims.max(1), sims.max(0)
        out += [float(a2b.mean()), float(a2b.min()), float(a2b.max()),
                float(b2a.mean()), float(b2a.min()), float(b2a.max())]
    else:
        out += [1.0] * 6
    if len(ob) and len(va):
        b2all = (ob @ va.T).max(1)
        out += [float(b2all.min()), float(b2all.mean())]
    else:
        out += [1.0, 1.0]
    mean_a = oa.mean(0) if len(oa) else np.zeros(v.matrix.shape[1], np.float32)
    mean_b = ob.mean(0) if len(ob) else np.zeros(v.matrix.shape[1], np.float32)
    out.append(_cos(mean_a, mean_b) if len(oa) and len(ob) else 0.0)
    # summed in a fixed order: float32 sums over a set's (hash-seeded) order differ between processes
    idf_a, idf_b, idf_s = idf(only_a), idf(only_b), idf(sorted(shared))
    out += [float(len(only_a) - len(oa)), float(len(only_b) - len(ob)), idf_a, idf_b, idf_s,
            idf_s / max(idf_s + idf_b, 1e-6), float(not only_b), float(not only_a)]
    out += (mean_a - mean_b)[:VECTOR_DIFF_DIMS].tolist()
    sentence = np.concatenate([u * w, np.abs(u - w), mean_a, mean_b, mean_a * mean_b,
                               np.abs(mean_a - mean_b)])
    return out, sentence


def _cos(x: np.ndarray, y: np.ndarray) -> float:
    d = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / d if d > 0 else 0.0


def sentence_vector_features(a: Side, b: Side, v: Vectors | None = None) -> np.ndarray:
    """Interactions of mean vectors: both texts' (``u·v``, ``|u−v|``) and the changed words'
    (``p``, ``q``, ``p·q``, ``|p−q|``), 6 × the vector size; zeros without vectors."""
    return pair_vector_features(a, b, v)[1]
