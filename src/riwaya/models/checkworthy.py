"""Check-worthiness: is this statement one a fact-checker would triage first?

A char + word TF-IDF and logistic regression trained on CLEF CheckThat! 2022 task 1A (Arabic
tweets). The weights are plain arrays (vocabulary, idf, coefficients): ``checkworthy.npz`` +
``checkworthy.json`` in ``riwaya/weights``. :func:`scores` is what the claims stage calls with the
claim texts of a few articles at a time.

Scoring is numpy only (scikit-learn is imported for training alone, so analysing text never pays
its import): char n-grams are looked up in a prefix trie held in arrays
(8 bits a character), word n-grams in a dict; sublinear tf, idf and l2 norm as scikit-learn's
``TfidfVectorizer(analyzer="char_wb" | "word")`` computes them, so the decisions are the same.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from riwaya.models.estimators import logistic
from riwaya.models.io import save_npz
from riwaya.resources import WEIGHTS_DIR, derived, restore

DATA = {
    "train": ["checkworthy/checkthat2022-1a-train.jsonl"],
    "dev": ["checkworthy/checkthat2022-1a-dev.jsonl"],
}
NAME = "checkworthy"

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"@\w+")
_DIGITS = re.compile(r"[0-9\u0660-\u0669]+")
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "ء"), ("ئ", "ء"))
_TOKEN = re.compile(r"(?u)\b\w+\b")  # scikit-learn's token_pattern used in training

# Feature settings (tuned on dev; see the model card).
CHAR_NGRAMS = (2, 4)
WORD_NGRAMS = (1, 2)
MAX_CHAR = 20000
MAX_WORD = 5000
C = 0.5


def preprocess(text: str) -> str:
    """Tweets and news sentences alike: links, handles and digits as placeholders, letters folded."""
    if "http" in text or "www." in text:  # (the patterns' literal parts: a cheap test first)
        text = _URL.sub(" URL ", text)
    if "@" in text:
        text = _USER.sub(" USER ", text)
    text = _DIGITS.sub("0", text)
    text = _MARKS.sub("", text)
    for a, b in _FOLD:
        text = text.replace(a, b)
    return text.lower()


_DIGIT, _MARK, _CASED = 1, 2, 4  # character classes for preprocessed_codes


@cache
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point below U+10000: its class bits (a ``_DIGITS`` digit, a ``_MARKS`` mark, or
    a character ``str.lower`` changes other than A-Z) and what preprocess's folding and
    lower-casing make of it (itself for anything else)."""
    classes = np.zeros(0x10000, dtype=np.uint8)
    classes[[*range(0x30, 0x3A), *range(0x660, 0x66A)]] = _DIGIT
    classes[[*range(0x64B, 0x660), 0x670, 0x640]] = _MARK
    chars = [chr(c) for c in (*range(0x80, 0xD800), *range(0xE000, 0x10000))]
    changed = map(str.__ne__, chars, map(str.lower, chars))
    cased = [ord(ch) for ch, differs in zip(chars, changed, strict=True) if differs]
    classes[cased] |= _CASED
    folded = np.arange(0x10000, dtype=np.uint32)
    folded[[ord(a) for a, _ in _FOLD]] = [ord(b) for _, b in _FOLD]
    folded[0x41:0x5B] += 0x20
    return classes, folded


def preprocessed_codes(text: str) -> np.ndarray:
    """The code points of ``f" {preprocess(text)} "``, the usual case (no link, handle, astral
    or non-ASCII cased character) computed in numpy: each run of digits as one 0, marks
    removed, letters folded and lower-cased."""
    codes = np.frombuffer(f" {text} ".encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if "http" not in text and "www." not in text and "@" not in text and codes.max() < 0x10000:
        classes, folded = _bmp_tables()
        cls = classes[codes]
        if not (cls & _CASED).any():
            digit = (cls & _DIGIT).astype(bool)
            drop = cls == _MARK
            drop[1:] |= digit[1:] & digit[:-1]  # a digit after a digit: its run is one 0
            kept = ~drop
            out = folded[codes[kept]]
            out[digit[kept]] = ord("0")
            return out
    return np.frombuffer(f" {preprocess(text)} ".encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_CHAR = {"analyzer": "char_wb", "ngram_range": CHAR_NGRAMS}
_WORDS = {"analyzer": "word", "ngram_range": WORD_NGRAMS, "token_pattern": _TOKEN.pattern}


def _vocabulary(texts: list[str], settings: dict, limit: int) -> dict[str, int]:
    """The ``limit`` most frequent n-grams seen in two texts or more, ties taken in sorted
    order. (``max_features`` would break ties with numpy's unstable argsort, whose order
    depends on the CPU's vector instructions: the same data would give other vocabularies on
    other machines.)"""
    from sklearn.feature_extraction.text import CountVectorizer

    counter = CountVectorizer(min_df=2, **settings)
    counts = np.asarray(counter.fit_transform(texts).sum(axis=0)).ravel()
    terms = sorted(counter.vocabulary_, key=counter.vocabulary_.get)  # sorted: columns' order
    kept = sorted(terms[i] for i in np.argsort(-counts, kind="stable")[:limit])
    return {t: i for i, t in enumerate(kept)}


def _vectorizers(texts: list[str]):
    """The scikit-learn vectorizers the model is trained with (training only)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    char = TfidfVectorizer(sublinear_tf=True, vocabulary=_vocabulary(texts, _CHAR, MAX_CHAR),
                           dtype=np.float32, **_CHAR)
    word = TfidfVectorizer(sublinear_tf=True, vocabulary=_vocabulary(texts, _WORDS, MAX_WORD),
                           dtype=np.float32, **_WORDS)
    return char, word


def _tfidf_dot(docs: np.ndarray, feats: np.ndarray, counts: np.ndarray, n_docs: int,
               idf: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """``l2_normalise((1 + log tf) * idf) @ coef`` per document, from distinct (doc, feature)."""
    w = (1.0 + np.log(counts)) * idf[feats]
    norm = np.sqrt(np.bincount(docs, w * w, minlength=n_docs))
    dot = np.bincount(docs, w * coef[feats], minlength=n_docs)
    return np.divide(dot, norm, out=np.zeros(n_docs), where=norm > 0)


def _count(keys: np.ndarray, n_feats: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(doc, feature)`` pairs of the keys ``doc * n_feats + feature``, ordered by
    document then feature, and their counts.

    Sorting the keys (32-bit where they fit: a fast vectorised sort, no permutation gathered)
    puts each document's features in ascending order, so its sums (:func:`_tfidf_dot`) run in
    feature order.
    """
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    at = np.flatnonzero(first)
    pairs = keys[at].astype(np.int64)
    pair_docs = pairs // n_feats
    return pair_docs, pairs - pair_docs * n_feats, np.diff(at, append=len(keys))


_SEP = "\x1e"  # joins a batch's texts: whitespace to str.split and to \s, absent from real text
_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)  # two odd (invertible) bases of 64-bit word hashes
_M64 = (1 << 64) - 1
_MIX, _SLOT_BITS = np.uint64(0x9E3779B97F4A7C15), 16  # word-hash table: multiplier, 2**16 slots


def _word_hash(word: str, base: int) -> int:
    """``sum(ord(word[k]) * base**k) mod 2**64``: what :meth:`Model._run_hashes` computes."""
    h, p = 0, 1
    for ch in word:
        h, p = (h + ord(ch) * p) & _M64, (p * base) & _M64
    return h


_WORD_CHAR, _NOT_WORD = re.compile(r"\w"), re.compile(r"\W")


@cache
def _bmp_word_chars() -> np.ndarray:
    """Whether each code point below U+10000 is a regex ``\\w`` character."""
    kept = _NOT_WORD.sub("\x00", "".join(map(chr, range(0x10000))))  # \w keeps its code point
    return np.frombuffer(kept.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) != 0


def _word_chars(codes: np.ndarray) -> np.ndarray:
    """Whether each of ``codes`` is a ``\\w`` character (a word of ``_TOKEN`` is a run of them)."""
    flags = _bmp_word_chars()[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)  # rare: looked up one by one
    flags[astral] = [_WORD_CHAR.match(chr(c)) is not None for c in codes[astral].tolist()]
    return flags


class Model:
    """The shipped model: char and word vocabularies with idf, and a linear scorer.

    Char n-grams (2-4 characters inside space-padded words) are read off lookup tables indexed
    by character ids (8 bits a character), a prefix trie in arrays; words by their hashes (the runs
    of word characters hashed with prefix sums in numpy), word bigrams by word numbers.
    """

    def __init__(self, char_vocab: list[str], word_vocab: list[str], char_idf: np.ndarray,
                 word_idf: np.ndarray, coef: np.ndarray, intercept: float, threshold: float):
        alphabet = sorted({c for g in char_vocab for c in g} | {" "})
        self._unknown = len(alphabet) + 1  # a character no vocabulary n-gram holds
        if self._unknown > 255:
            raise ValueError("checkworthy: character vocabulary too large to pack")
        self._table = np.full(0x110000, self._unknown, dtype=np.uint8)
        self._table[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1, dtype=np.uint8)
        self._space = int(self._table[ord(" ")])
        # every whitespace character splits words as " " does (all lie below U+3001)
        self._table[[c for c in range(0x3001) if chr(c).isspace()]] = self._space
        self._build_tries(char_vocab)
        self._build_words(word_vocab)
        self._char_idf, self._word_idf = char_idf.astype(np.float64), word_idf.astype(np.float64)
        self._idf = np.concatenate((self._char_idf, self._word_idf))  # char features, then words
        self._coef = coef.astype(np.float64)
        self.intercept, self.threshold = intercept, threshold

    def _build_tries(self, char_vocab: list[str]) -> None:
        """Lookup tables for n-grams of 2, 3 and 4 characters (character ids < 256).

        A 2-gram indexes ``_t2`` (its feature, -1 if none) and ``_p2`` (its number as the prefix
        of longer vocabulary n-grams, 0 if none); a 3-gram is ``prefix * 256 + last`` into ``_t3``
        and ``_p3``, a 4-gram likewise into ``_t4``. Row 0 is the dead prefix: all misses.
        """
        p2: dict[int, int] = {}
        p3: dict[tuple[int, int], int] = {}
        t3: dict[int, int] = {}
        t4: dict[int, int] = {}
        feat = np.int16 if len(char_vocab) < 1 << 15 else np.int32  # small tables: fewer cache misses
        ids = {ch: int(self._table[ord(ch)]) for ch in {ch for g in char_vocab for ch in g}}
        t2: dict[int, int] = {}
        for f, gram in enumerate(char_vocab):
            c = [ids[ch] for ch in gram]
            if len(c) == 2:
                t2[c[0] << 8 | c[1]] = f
                continue
            i2 = p2.setdefault(c[0] << 8 | c[1], len(p2) + 1)
            if len(c) == 3:
                t3[i2 * 256 + c[2]] = f
            else:
                i3 = p3.setdefault((i2, c[2]), len(p3) + 1)
                t4[i3 * 256 + c[3]] = f
        self._t2 = np.full(1 << 16, -1, dtype=feat)
        self._t2[list(t2)] = list(t2.values())
        self._p2 = np.zeros(1 << 16, dtype=np.int32)
        self._p2[list(p2)] = list(p2.values())
        self._t3 = np.full((len(p2) + 1) * 256, -1, dtype=feat)
        self._t3[list(t3)] = list(t3.values())
        self._p3 = np.zeros((len(p2) + 1) * 256, dtype=np.int32)
        self._p3[[i2 * 256 + c for i2, c in p3]] = list(p3.values())
        self._t4 = np.full((len(p3) + 1) * 256, -1, dtype=feat)
        self._t4[list(t4)] = list(t4.values())

    def _char_keys(self, codes: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Keys ``doc * n_feats + feature`` (``base`` holds ``doc * n_feats`` at each position)
        of the char n-grams of the code points ``codes`` (the preprocessed texts joined by
        ``_SEP``, space-padded): char_wb n-grams are the windows holding no space inside (a
        padded word's own spaces sit at its ends)."""
        ids = self._table[codes].astype(np.int64)
        space = ids == self._space
        k2 = (ids[:-1] << 8) | ids[1:]
        f2, q2 = self._t2[k2], self._p2[k2]
        k3 = q2[:-1] * 256 + ids[2:]
        f3, q3 = self._t3[k3], self._p3[k3]
        f4 = self._t4[q3[:-1] * 256 + ids[3:]]
        inner = ~space
        ok2 = ~(space[:-1] & space[1:]) & (f2 >= 0)  # not two spaces
        ok3 = inner[1:-1] & (f3 >= 0)  # no space inside
        ok4 = inner[1:-2] & inner[2:-1] & (f4 >= 0)
        owner2 = np.where(space[:-1], base[1:], base[:-1])  # a 2-gram's doc is its letter's
        unsigned = np.dtype(f2.dtype.str.replace("i", "u"))  # a miss (-1) is masked out anyway
        return np.concatenate(((owner2 + f2.view(unsigned))[ok2], (base[1:-1] + f3.view(unsigned))[ok3],
                               (base[1:-2] + f4.view(unsigned))[ok4]))

    def _build_words(self, word_vocab: list[str]) -> None:
        """Words of the vocabulary's 1- and 2-grams numbered (0: any other word); a unigram's
        feature by word number, a bigram's by the sorted codes ``first * n + second``."""
        words = sorted({w for gram in word_vocab for w in gram.split(" ")})
        self._word_ids = {w: i for i, w in enumerate(words, start=1)}
        self._n_words = len(words) + 1
        # the words by their two 64-bit hashes (sorted by the first), to read a text's words
        # off its code points in numpy (two texts' words agreeing on 128 bits of hash are equal)
        hashes = [(_word_hash(w, _BASES[0]), _word_hash(w, _BASES[1]), i) for w, i in
                  self._word_ids.items()]
        hashes.sort()
        self._hash1, self._hash2, self._hash_ids = (np.array(col, dtype=np.uint64 if k < 2 else np.int64)
                                                    for k, col in enumerate(zip(*hashes, strict=True)))
        if len(np.unique(self._hash1)) != len(self._hash1):
            raise ValueError("checkworthy: two vocabulary words share a hash")
        # a direct-mapped table over the first hash (mixed, top _SLOT_BITS bits): slot -> index
        # of the one vocabulary word there, -1 for none, -2 for several (binary search then)
        slots = (self._hash1 * _MIX) >> np.uint64(64 - _SLOT_BITS)
        self._slots = np.full(1 << _SLOT_BITS, -1, dtype=np.int32)
        self._slots[slots] = np.arange(len(slots), dtype=np.int32)
        shared, counts = np.unique(slots, return_counts=True)
        self._slots[shared[counts > 1]] = -2
        self._powers: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._unigram = np.full(self._n_words, -1, dtype=np.int64)
        codes, feats = [], []
        for f, gram in enumerate(word_vocab):
            parts = gram.split(" ")
            if len(parts) == 1:
                self._unigram[self._word_ids[gram]] = f
            else:
                codes.append(self._word_ids[parts[0]] * self._n_words + self._word_ids[parts[1]])
                feats.append(f)
        order = np.argsort(codes)
        self._bigram_codes = np.asarray(codes, dtype=np.int64)[order]
        self._bigram_feats = np.asarray(feats, dtype=np.int64)[order]

    def _run_hashes(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    base: int) -> np.ndarray:
        """``sum(codes[s + k] * base**k) mod 2**64`` of each run ``[s, e)``, by prefix sums."""
        n = len(codes) + 1
        powers = self._powers.get(base)
        if powers is None or len(powers[0]) < n:  # base**i and base**-i, kept for longer texts
            size = max(n, 1 << 14, 2 * len(powers[0]) if powers else 0)
            up = np.full(size, base, dtype=np.uint64)
            down = np.full(size, pow(base, -1, 1 << 64), dtype=np.uint64)
            up[0] = down[0] = 1
            powers = self._powers[base] = (np.cumprod(up), np.cumprod(down))
        up, down = powers
        prefix = np.zeros(n, dtype=np.uint64)
        np.cumsum(codes * up[:n - 1], out=prefix[1:])  # wraps modulo 2**64, as the hashes do
        return (prefix[ends] - prefix[starts]) * down[starts]

    def _word_index(self, hashes: np.ndarray) -> np.ndarray:
        """For each first hash, the index of the vocabulary word with that hash where there is
        one (any valid index elsewhere): a slot of the table, or a binary search for the few
        hashes whose slot several words share."""
        at = self._slots[(hashes * _MIX) >> np.uint64(64 - _SLOT_BITS)]
        shared = np.flatnonzero(at == -2)
        np.maximum(at, 0, out=at)
        if len(shared) and len(self._hash1):
            at[shared] = np.minimum(np.searchsorted(self._hash1, hashes[shared]), len(self._hash1) - 1)
        return at

    def _word_feats(self, codes: np.ndarray, docs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Documents and features (numbered from 0) of the word 1- and 2-grams of the code points
        ``codes`` (the batch's texts joined by ``_SEP``): its words are the runs of ``\\w``
        characters (``_TOKEN``), each looked up by its hashes. ``docs``: the document of each
        position (the running count of ``_SEP``), when the caller has it."""
        word = np.concatenate(([False], _word_chars(codes), [False]))
        edges = np.flatnonzero(word[1:] != word[:-1])
        starts, ends = edges[::2], edges[1::2]
        doc = (np.cumsum(codes == ord(_SEP)) if docs is None else docs)[starts]
        wide = codes.astype(np.uint64)
        first = self._run_hashes(wide, starts, ends, _BASES[0])
        at = self._word_index(first)
        known = (self._hash1[at] == first) & (
            self._hash2[at] == self._run_hashes(wide, starts, ends, _BASES[1]))
        ids = np.where(known, self._hash_ids[at], 0)
        uni = self._unigram[ids]
        code = ids[:-1] * self._n_words + ids[1:]
        pair = (doc[:-1] == doc[1:]) & (ids[:-1] > 0) & (ids[1:] > 0)
        pos = np.minimum(np.searchsorted(self._bigram_codes, code[pair]),
                         max(len(self._bigram_codes) - 1, 0))
        known = self._bigram_codes[pos] == code[pair] if len(self._bigram_codes) else pos < 0
        feats = np.concatenate((uni[uni >= 0], self._bigram_feats[pos[known]]))
        return np.concatenate((doc[uni >= 0], doc[:-1][pair][known])), feats

    def decision(self, texts: list[str]) -> np.ndarray:
        # the whole batch preprocessed at once (the vectorizers' own lowercasing is
        # preprocess's last step: str.lower is idempotent)
        codes = preprocessed_codes(_SEP.join(t.replace(_SEP, " ") for t in texts))
        n_docs, n_char, n_feats = len(texts), len(self._char_idf), len(self._idf)
        # one count and one weighting for both vectors: a word feature is numbered after the char
        # ones and summed in its own bin (n_docs + doc), as each vector has its own l2 norm
        wide: Any = np.uint32 if n_docs * n_feats < 1 << 32 else np.uint64  # numpy's stubs: a scalar type
        doc_at = np.cumsum(codes == ord(_SEP), dtype=wide)  # the document of each position
        word_docs, word_feats = self._word_feats(codes, doc_at)
        base = doc_at * wide(n_feats)  # doc * n_feats at each position
        word_keys = word_docs.astype(wide) * wide(n_feats) + (word_feats + n_char).astype(wide)
        docs, feats, counts = _count(np.concatenate((self._char_keys(codes, base), word_keys)),
                                     n_feats)
        scores = _tfidf_dot(docs + n_docs * (feats >= n_char), feats, counts, 2 * n_docs,
                            self._idf, self._coef)
        return scores[:n_docs] + scores[n_docs:] + self.intercept

    def proba(self, texts: list[str]) -> np.ndarray:
        return logistic(self.decision(texts))


def _load_files(weights_dir: Path) -> Model:
    meta = json.loads((weights_dir / f"{NAME}.json").read_text(encoding="utf-8"))
    arrays = np.load(weights_dir / f"{NAME}.npz")
    return Model(meta["char_vocabulary"], meta["word_vocabulary"], arrays["char_idf"],
                 arrays["word_idf"], arrays["coef"], float(meta["intercept"]),
                 float(meta["threshold"]))


@cache
def load(weights_dir: Path = WEIGHTS_DIR) -> Model:
    """The model in ``weights_dir``; the shipped one's lookup tables come from the disk cache
    (:func:`riwaya.resources.derived`) after the first run."""
    if weights_dir != WEIGHTS_DIR:
        return _load_files(weights_dir)
    return restore(Model, derived(NAME, lambda: vars(_load_files(weights_dir))))


def scores(texts: list[str]) -> list[float]:
    """Probability that each text is check-worthy (one batch)."""
    if not texts:
        return []
    return [float(p) for p in load().proba(texts)]


def labels(texts: list[str]) -> list[int]:
    """1 where a text is check-worthy at the tuned threshold, else 0."""
    model = load()
    threshold = np.log(model.threshold / (1 - model.threshold))
    return [int(d >= threshold) for d in model.decision(texts)]


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _f1_pos(gold: list[int], pred: list[int]) -> float:
    tp = sum(g == 1 and p == 1 for g, p in zip(gold, pred, strict=True))
    fp = sum(g == 0 and p == 1 for g, p in zip(gold, pred, strict=True))
    fn = sum(g == 1 and p == 0 for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train(data_dir: Path, out_dir: Path) -> dict:
    """Fit on ``train``, pick the decision threshold on ``dev``, write the weights."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    train_rows = [r for f in DATA["train"] for r in _read(data_dir / f)]
    dev_rows = [r for f in DATA["dev"] for r in _read(data_dir / f)]
    texts = [preprocess(r["text"]) for r in train_rows]
    char, word = _vectorizers(texts)
    y = np.array([int(r["label"]) for r in train_rows])
    x = hstack([char.fit_transform(texts), word.fit_transform(texts)]).tocsr()
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="liblinear")
    clf.fit(x, y)

    coef = clf.coef_[0].astype(np.float32)
    char_vocab = sorted(char.vocabulary_, key=char.vocabulary_.get)
    word_vocab = sorted(word.vocabulary_, key=word.vocabulary_.get)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_npz(out_dir / f"{NAME}.npz", {"coef": coef, "char_idf": char.idf_.astype(np.float32),
                                        "word_idf": word.idf_.astype(np.float32)})
    intercept = float(clf.intercept_[0])
    meta = {"intercept": intercept, "threshold": 0.5,
            "char_vocabulary": char_vocab, "word_vocabulary": word_vocab}

    # Tune the probability threshold on dev (a coarse grid keeps it from overfitting 235 rows).
    model = Model(char_vocab, word_vocab, char.idf_.astype(np.float32),
                  word.idf_.astype(np.float32), coef, intercept, 0.5)
    dev_gold = [int(r["label"]) for r in dev_rows]
    dev_p = model.proba([r["text"] for r in dev_rows])
    f1_at = {t: _f1_pos(dev_gold, [int(p >= t) for p in dev_p]) for t in (0.3, 0.35, 0.4, 0.45, 0.5)}
    best = max(f1_at, key=lambda t: (f1_at[t], -abs(t - 0.5)))
    meta["threshold"] = best
    (out_dir / f"{NAME}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    load.cache_clear()
    return {"train_rows": len(train_rows), "dev_rows": len(dev_rows), "threshold": best,
            "dev_f1_label_1_by_threshold": f1_at, "dev_f1_label_1": f1_at[best],
            "features": len(char_vocab) + len(word_vocab)}
