"""The sequence tagger: CRF features over words (with gazetteer and clitic features) and tagging.

The model is a linear-chain CRF trained with python-crfsuite (:mod:`riwaya.tasks.ner` trains it)
and shipped as its weights in ``weights/ner.npz``: attribute names, a state-weight matrix
(attribute × label) and the label-transition matrix. Tagging does not go through crfsuite: the
score of a label at a token is a sum of weights, and every feature but the gazetteer and bigram
ones depends on one word only, so each word's share (its own features and those it lends its
neighbours at ±1, ±2) is summed once per distinct word and cached; the sparse gazetteer and
bigram features are added on top, and Viterbi (:mod:`riwaya.extract.entities.crf`) decodes all the
sentences of a document (or of a batch of documents: :meth:`Tagger.tag_flat`) together. The
tags are crfsuite's for the same features. When ``weights/ner_nn.npz`` is shipped, the BiLSTM's
weighted log-probabilities (:mod:`riwaya.extract.entities.neural`, its input projections cached
per word beside the CRF's sums) are added to the state scores before Viterbi.

Features only read the words of one sentence, so the tagger works both on pre-tokenised rows
(clitics split: ``و``, ``ه``) and on document tokens (clitics attached).
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from riwaya.extract.entities.crf import Weights, viterbi
from riwaya.extract.entities.gazetteer import Entry, load
from riwaya.extract.entities.lexicon import context_keys, triggers
from riwaya.extract.entities.neural import Network, network
from riwaya.resources import DATA_DIR, WEIGHTS_DIR, derived, restore
from riwaya.text.normalize import analyze, fold
from riwaya.text.wordfreq import counts

MODEL = WEIGHTS_DIR / "ner.npz"
NN_FILE = "ner_nn.npz"  # the network beside the CRF's weights (:mod:`riwaya.extract.entities.neural`)
CLUSTERS = "ar_clusters.tsv.gz"
_OFFSETS = (-2, -1, 1, 2)
_EDGE_PUNCT = "؛،؟.,:;!?\"'()«»[]–—-·…\u200e\u200f"
_CACHE_WORDS = 98_304  # distinct words whose summed weights are kept (then the cache restarts)


def starts_capital(word: str) -> bool:
    """Does a word start with a Latin capital (a name in an English caption may)?"""
    return "A" <= word[:1] <= "Z"


def _shape(word: str) -> str:
    c = word[0]
    if "\u0600" <= c <= "\u06ff":
        return "ar"
    if c.isdigit():
        return "num"
    if c.isalpha():
        if word.isupper() and len(word) > 1:
            return "CAPS"
        return "Cap" if c.isupper() else "low"
    return "punct"


def _freq(f: str) -> str:
    n = counts().get(f, 0)
    return str(min(int(math.log2(n + 1)), 14) // 2)


@cache
def clusters() -> dict[str, tuple[str, ...]]:
    """Matching key → its word clusters, coarse to fine (``data/ar_clusters.tsv.gz``; empty
    without the file)."""
    path = DATA_DIR / CLUSTERS
    if not path.exists():
        return {}

    def build() -> dict:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return {"clusters": {k: tuple(rest) for k, *rest in (line.rstrip("\n").split("\t")
                                                               for line in f)}}

    return derived("word-clusters", build)["clusters"]


@lru_cache(maxsize=65_536)
def _word_features(word: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(own features, features lent to the neighbours, key), cached per word.

    The neighbour at offset ``d`` gets each lent feature ``x`` as ``f"{d}{x}"``.
    """
    bare = word.strip(_EDGE_PUNCT) or word  # "كابول؛": the name, not the semicolon
    k, st, pre, suf = analyze(bare)
    f = fold(bare)
    trig = triggers().get(k, "")
    shape = "sh=" + _shape(word)
    own = [
        "w=" + f, "k=" + k, "st=" + st, shape, "fq=" + _freq(f),
        "k1=" + k[:1], "k2=" + k[:2], "k3=" + k[:3], "e1=" + k[-1:], "e2=" + k[-2:], "e3=" + k[-3:],
        "len=" + str(min(len(k), 8)),
    ]
    if pre:
        own.append("pre=" + pre)
        own.append("al" if pre.endswith("ال") or pre.endswith("لل") else "cl")
    if suf:
        own.append("suf=" + suf)
    if trig:
        own.append("trig=" + trig)
    if k in context_keys():
        own.append("ctx")
    if bare != word:
        own.append("punct")
    cl = clusters().get(k, ())
    own.extend(f"c{i}={c}" for i, c in enumerate(cl))
    near = (own[1], shape, own[9], "trig=" + trig, "pre=" + pre, "cf=" + (cl[-1] if cl else ""))
    return tuple(own), near, "k=" + k


def gazetteer_tags(keys: list[str], words: list[str]) -> list[str]:
    """``B-TYPE``/``I-TYPE`` (with subtype) of the longest known names over a sentence."""
    out = [""] * len(keys)
    for i, n, entry in load().scan(keys, words):
        label = entry.type + ("." + entry.subtype if entry.subtype else "")
        for j in range(i, i + n):
            out[j] = ("B-" if j == i else "I-") + label
    return out


def sentence_features(words: list[str]) -> list[list[str]]:
    """CRF features of each word of one sentence (window ±2, gazetteer B/I, triggers, clitics).

    The reference definition, used for training; :class:`Tagger` scores the same features
    without building these lists.
    """
    info = [_word_features(w) for w in words]
    keys = [x[2][2:] for x in info]
    gaz = gazetteer_tags(keys, words)
    n = len(words)
    feats: list[list[str]] = []
    for i in range(n):
        f = ["b", *info[i][0]]
        if gaz[i]:
            f.append("g=" + gaz[i])
            f.append("gt=" + gaz[i][:2] + gaz[i][2:].split(".")[0])
        for d in _OFFSETS:
            j = i + d
            if 0 <= j < n:
                f.extend(f"{d}{x}" for x in info[j][1])
                if gaz[j]:
                    f.append(f"{d}g=" + gaz[j].split(".")[0])
            else:
                f.append(f"{d}pad")
        if i > 0:
            f.append("bi=" + info[i - 1][2] + "|" + info[i][2])
        if i + 1 < n:
            f.append("bi+=" + info[i][2] + "|" + info[i + 1][2])
        feats.append(f)
    return feats


class Tagger:
    """State scores from per-word cached weight sums, then batched exact Viterbi (module doc)."""

    def __init__(self, w: Weights, nn: Network | None = None) -> None:
        self.labels = w.labels
        self.attach(nn)
        self.trans = w.trans
        self.attrs = w.attrs
        self.state = np.vstack([w.state, np.zeros((1, len(w.labels)))])
        self.none = len(w.state)  # the all-zero row: attributes the model does not know
        self.bias = self.state[self._row("b")]
        self.pad = {d: self.state[self._row(f"{d}pad")] for d in _OFFSETS}
        # bigram features by key pair, as codes of two key numbers: "bi=" rows and "bi+=" rows
        pairs: dict[tuple[str, str], tuple[int, int]] = {}
        for a in w.attrs:
            if a.startswith(("bi=k=", "bi+=k=")):
                rest = a[a.index("k=") + 2:]
                p = rest.find("|k=")
                while p >= 0:  # every split: a key may itself hold "|k="
                    pair = (rest[:p], rest[p + 3:])
                    body = f"k={pair[0]}|k={pair[1]}"
                    pairs.setdefault(pair, (self._row("bi=" + body), self._row("bi+=" + body)))
                    p = rest.find("|k=", p + 1)
        self.pair_key = {k: i for i, k in enumerate(sorted({k for pair in pairs for k in pair}))}
        width = len(self.pair_key)
        coded = sorted((self.pair_key[x] * width + self.pair_key[y], r) for (x, y), r in pairs.items())
        self.pair_codes = np.array([c for c, _ in coded], dtype=np.int64)
        self.pair_rows = np.array([r for _, r in coded], dtype=np.intp).reshape(-1, 2)
        # gazetteer tags ("B-LOC.country") → number; per number the rows of its features: at its
        # own token ("g=", "gt=") and lent to the neighbours at -2, -1, +1, +2 ("-2g=", ...)
        self.gaz_ids: dict[str, int] = {}
        self.gaz_rows: list[tuple[int, ...]] = []
        self.gaz_table = np.zeros((0, 6), dtype=np.intp)
        self.entry_tags: dict[str, tuple[int, int]] = {}  # entry id → its B and I tag numbers
        # lent features by offset: "-2k=..." is row lent[0]["k=..."] (no string built per word)
        self.lent: tuple[dict[str, int], ...] = tuple({} for _ in _OFFSETS)
        for a, row in w.attrs.items():
            if a[:1] not in ("-", "1", "2"):
                continue
            for slot, d in enumerate(_OFFSETS):
                tag = str(d)
                if a.startswith(tag) and not a[len(tag):len(tag) + 1].isdigit():
                    self.lent[slot][a[len(tag):]] = row
        self.restarts = -1  # how often the word cache started again (rows found before are stale)
        self._reset()

    def attach(self, nn: Network | None) -> None:
        """Add ``nn``'s weighted log-probabilities to the state scores from now on (None: the
        CRF alone); the word cache must be reset after (it holds the network's inputs)."""
        self.nn = nn  # the BiLSTM whose weighted log-probabilities are added to the state scores
        if nn is not None:
            self.nn_labels = np.array([nn.labels.index(x) for x in self.labels], dtype=np.intp)

    def _row(self, attr: str) -> int:
        return self.attrs.get(attr, self.none)

    def _reset(self) -> None:
        self.restarts += 1
        self.ids: dict[str, int] = {}
        self.keys: list[str] = [""]  # row 0: the padding word around every sentence
        # Sized for a full cache from the start: np.zeros pages are mapped only when first written,
        # so memory follows the words filed, and no growing copy ever holds two tables at once.
        rows = _CACHE_WORDS + 1
        # per part (own with the bias, lent at -2, -1, +1, +2), per word: each part's words contiguous
        self.table = np.zeros((5, rows, len(self.labels)))
        for slot, d in enumerate(_OFFSETS, start=1):
            self.table[slot, 0] = self.pad[d]
        self.pair_key_of = np.full(rows, -1, dtype=np.int64)  # per word: its key's number, or -1
        self.known_of = np.zeros(rows, dtype=bool)  # per word: a known name may start with its key
        self.capital_of = np.zeros(rows, dtype=bool)  # per word: it starts with a Latin capital
        self.key_of = np.full(rows, "", dtype=object)  # per word: its key (``keys`` as an array)
        self.key_nums: dict[str, int] = {}  # every key seen: its number
        self.key_num_of = np.full(rows, -1, dtype=np.int64)  # per word: its key's number (row 0: -1)
        # by the tokenizer's number of a word plus one (0: none): its row here, or -1
        self.by_number = np.full(1024, -1, dtype=np.intp)
        if self.nn is not None:  # per word: the network's input projections (both directions)
            self.nn_proj = np.zeros((2, rows, self.nn.w_ih.shape[1]), dtype=np.float32)

    def _add(self, words: list[str]) -> None:
        """Sum the weights of new words' features into the cache."""
        rows: list[int] = []
        bounds: list[int] = []
        get, none = self.attrs.get, self.none
        pair_key = self.pair_key
        at = len(self.keys)
        end = at + len(words)
        while end > self.table.shape[1]:
            grow = self.table.shape[1]
            self.table = np.concatenate([self.table, np.zeros_like(self.table)], axis=1)
            self.pair_key_of = np.concatenate([self.pair_key_of, np.full(grow, -1, dtype=np.int64)])
            self.known_of = np.concatenate([self.known_of, np.zeros(grow, dtype=bool)])
            self.capital_of = np.concatenate([self.capital_of, np.zeros(grow, dtype=bool)])
            self.key_of = np.concatenate([self.key_of, np.full(grow, "", dtype=object)])
            self.key_num_of = np.concatenate([self.key_num_of, np.full(grow, -1, dtype=np.int64)])
            if self.nn is not None:
                self.nn_proj = np.concatenate([self.nn_proj, np.zeros_like(self.nn_proj)], axis=1)
        lent_rows = self.lent
        first = load().first
        key_nums = self.key_nums
        # each word's features once (uncached: a word comes here once per cache life, and a cache of
        # them would hold as many feature tuples as the word cache holds rows)
        infos = list(map(_word_features.__wrapped__, words))
        for i, (word, (own, near, bare_key)) in enumerate(zip(words, infos, strict=True), start=at):
            bounds.append(len(rows))
            rows.extend([get(a, none) for a in own])
            for by_name in lent_rows:
                bounds.append(len(rows))
                rows.extend([by_name.get(x, none) for x in near])
            self.ids[word] = i
            key = analyze(word)[0]  # (the text layer's own string of it: likely in the CPU cache)
            self.keys.append(key)
            self.pair_key_of[i] = pair_key.get(bare_key[2:], -1)  # the features' key
            self.known_of[i] = key in first
            self.capital_of[i] = starts_capital(word)
            self.key_num_of[i] = key_nums.setdefault(key, len(key_nums))
        self.key_of[at:end] = self.keys[at:end]
        sums = np.add.reduceat(self.state[rows], bounds, axis=0)
        self.table[:, at:end] = sums.reshape(len(words), 5, -1).transpose(1, 0, 2)
        self.table[0, at:end] += self.bias  # every token has it: added once per word, not per token
        if self.nn is not None:
            self.nn_proj[:, at:end] = self.nn.project([(x[0], x[2][2:]) for x in infos])

    def _entry_tags(self, entry: Entry) -> tuple[int, int]:
        """The numbers of an entry's B and I gazetteer tags (cached by entry id)."""
        label = entry.type + ("." + entry.subtype if entry.subtype else "")
        hit = self.entry_tags[entry.id] = (self._gaz("B-" + label), self._gaz("I-" + label))
        return hit

    def _gaz(self, tag: str) -> int:
        """The number of a gazetteer tag (its feature rows in ``gaz_rows``)."""
        hit = self.gaz_ids.get(tag)
        if hit is None:
            own = (self._row("g=" + tag), self._row("gt=" + tag[:2] + tag[2:].split(".")[0]))
            lent = tuple(self._row(f"{d}g=" + tag.split(".")[0]) for d in _OFFSETS)
            hit = self.gaz_ids[tag] = len(self.gaz_rows)
            self.gaz_rows.append(own + lent)
        return hit

    def scores(self, sentences: list[list[str]], names: list[Name] | None = None) -> np.ndarray:
        """State scores (tokens × labels) of sentences laid end to end: sums of feature weights.

        ``names``: the known names of :func:`known_names` over these sentences, when the caller
        already has them.
        """
        words = [w for s in sentences for w in s]
        return self._scores(self.word_ids(words), [len(s) for s in sentences],
                            known_names(sentences) if names is None else names)

    def keyed(self, ids: np.ndarray, keys: Iterable[str]) -> np.ndarray:
        """Per row in ``ids`` (:meth:`word_ids`): is its word's key one of ``keys``?"""
        nums = [n for n in map(self.key_nums.get, keys) if n is not None]
        if not nums:
            return np.zeros(len(ids), dtype=bool)
        return np.isin(self.key_num_of[ids], nums)

    def word_rows(self, words: Sequence[str], numbers: Sequence[int]) -> np.ndarray:
        """:meth:`word_ids` of words given with their tokenizer numbers (-1: none; see
        :class:`riwaya.text.tokenize.Tokens`): rows are found by number in an array, and only
        the words not seen that way by string."""
        num = np.array(numbers, dtype=np.intp) + 1  # 0: no number, always -1 in by_number
        restarts = self.restarts
        idx = self._by_number(num)
        miss = np.flatnonzero(idx < 0)
        if len(miss):
            rows = self.word_ids([words[i] for i in miss.tolist()])
            if self.restarts != restarts:  # the cache started again: the rows found are stale
                idx = self.word_ids(words)
                self._by_number(num)  # (grown to hold them)
                self.by_number[num] = idx
            else:
                idx[miss] = rows
                self.by_number[num[miss]] = rows
            self.by_number[0] = -1
        return idx

    def _by_number(self, num: np.ndarray) -> np.ndarray:
        """``by_number`` at ``num`` (grown first to hold them)."""
        if len(num) and num.max() >= len(self.by_number):
            grown = np.full(max(int(num.max()) + 1, 2 * len(self.by_number)), -1, dtype=np.intp)
            grown[:len(self.by_number)] = self.by_number
            self.by_number = grown
        return self.by_number[num]

    def word_ids(self, words: Sequence[str]) -> np.ndarray:
        """The cache row of every word (new words' weights summed first; a full cache starts
        again with these words, so the rows of one call stay valid until the next call)."""
        n = len(words)
        idx = np.fromiter(map(self.ids.get, words, repeat(-1)), dtype=np.intp, count=n)
        if n and idx.min() < 0:
            new = [w for w in dict.fromkeys(words) if w not in self.ids]
            if len(self.ids) + len(new) > _CACHE_WORDS:  # full: start again with this batch's words
                self._reset()
                new = list(dict.fromkeys(words))
            self._add(new)
            idx = np.fromiter(map(self.ids.__getitem__, words), dtype=np.intp, count=n)
        return idx

    def _scores(self, idx: np.ndarray, lengths: list[int], names: list[Name]) -> np.ndarray:
        n = len(idx)
        lens = np.array(lengths, dtype=np.intp)
        # the words with two padding words (row 0) before, between and after the sentences
        where = np.arange(n) + 2 * np.repeat(np.arange(1, len(lens) + 1), lens)
        padded = np.zeros(n + 2 * len(lens) + 2, dtype=np.intp)
        padded[where] = idx
        table = self.table
        e = table[0].take(padded[where], axis=0)  # own features and the bias
        for slot, d in enumerate(_OFFSETS, start=1):
            e += table[slot].take(padded[where + d], axis=0)  # token i gets what word i + d lends
        # word bigrams the model knows (not across sentences: a padding word's key is -1)
        kid = self.pair_key_of[padded]
        code = kid[:-1] * len(self.pair_key) + kid[1:]
        maybe = np.flatnonzero((kid[:-1] >= 0) & (kid[1:] >= 0))
        if len(maybe) and len(self.pair_codes):
            found = np.minimum(np.searchsorted(self.pair_codes, code[maybe]), len(self.pair_codes) - 1)
            hit = self.pair_codes[found] == code[maybe]
            i, found = maybe[hit], found[hit]
            flat = np.cumsum(padded > 0) - 1  # padded position → token
            e[flat[i + 1]] += self.state[self.pair_rows[found, 0]]
            e[flat[i]] += self.state[self.pair_rows[found, 1]]
        # gazetteer matches (longest first, left to right, as gazetteer_tags): names do not
        # overlap, so each token is at most one name's and gets at most one feature per offset
        if names:
            starts, name_lens, entries, bases, sizes = zip(*names, strict=True)
            tag_of = self.entry_tags
            codes = np.array([tag_of.get(x.id) or self._entry_tags(x) for x in entries], dtype=np.intp)
            if len(self.gaz_table) < len(self.gaz_rows):
                self.gaz_table = np.array(self.gaz_rows, dtype=np.intp)
            ln = np.array(name_lens, dtype=np.intp)
            inner = np.arange(ln.sum()) - np.repeat(np.cumsum(ln) - ln, ln)  # token within its name
            q = np.repeat(np.array(starts, dtype=np.intp), ln) + inner
            tags = np.where(inner == 0, np.repeat(codes[:, 0], ln), np.repeat(codes[:, 1], ln))  # B, I..
            rows = self.gaz_table[tags]
            e[q] += self.state[rows[:, 0]]
            e[q] += self.state[rows[:, 1]]
            lo = np.repeat(np.array(bases, dtype=np.intp), ln)
            hi = lo + np.repeat(np.array(sizes, dtype=np.intp), ln)
            for slot, d in enumerate(_OFFSETS, start=2):
                to = q - d
                inside = (to >= lo) & (to < hi)
                e[to[inside]] += self.state[rows[inside, slot]]
        return e

    def tag_many(self, sentences: list[list[str]], names: list[Name] | None = None) -> list[list[str]]:
        """BIO tags of each sentence (``names`` as for :meth:`scores`)."""
        if not any(sentences):
            return [[] for _ in sentences]
        lengths = [len(s) for s in sentences]
        words = [w for s in sentences for w in s]
        tags = self.tag_flat(words, lengths, known_names(sentences) if names is None else names)
        out, base = [], 0
        for n in lengths:
            out.append(tags[base:base + n])
            base += n
        return out

    def tag_flat(self, words: list[str], lengths: list[int], names: list[Name]) -> list[str]:
        """BIO tags of sentences laid end to end (``words``; ``lengths`` of the sentences)."""
        if not words:
            return []
        best = self.tag_ids(self.word_ids(words), lengths, names).tolist()
        return list(map(self.labels.__getitem__, best))

    def tag_ids(self, idx: np.ndarray, lengths: list[int], names: list[Name]) -> np.ndarray:
        """The label numbers (in :attr:`labels`) of sentences laid end to end, given as the cache
        rows of their words (:meth:`word_ids`)."""
        e = self._scores(idx, lengths, names)
        if self.nn is not None and len(idx):
            e += self.nn.weight * self.nn.log_probs(self.nn_proj[:, idx], self._nn_gaz(len(idx), names),
                                                    lengths)[:, self.nn_labels]
        return viterbi(e, lengths, self.trans)

    def _nn_gaz(self, n: int, names: list[Name]) -> np.ndarray:
        """Each token's gazetteer tag as the network numbers it (0: none)."""
        assert self.nn is not None
        out = np.zeros(n, dtype=np.intp)
        gaz = self.nn.gaz
        for start, length, entry, _, _ in names:
            label = entry.type + ("." + entry.subtype if entry.subtype else "")
            out[start] = gaz.get("B-" + label, 0)
            if length > 1:
                out[start + 1:start + length] = gaz.get("I-" + label, 0)
        return out


Name = tuple[int, int, Entry, int, int]  # first token, length, entry, sentence start, its length


def known_names(sentences: list[list[str]]) -> list[Name]:
    """Known names over sentences laid end to end, longest first, left to right (token indices
    count across the sentences)."""
    gaz = load()
    out: list[Name] = []
    base = 0
    for words in sentences:
        keys = [_word_features(w)[2][2:] for w in words]  # the features' keys
        out += [(base + i, n, entry, base, len(words)) for i, n, entry in gaz.scan(keys, words)]
        base += len(words)
    return out


# the word cache: rebuilt empty by ``Tagger._reset``, never kept on disk
_WORD_CACHE = ("ids", "keys", "table", "pair_key_of", "known_of", "capital_of", "key_of", "key_nums",
               "key_num_of", "by_number", "restarts", "nn_proj")


@cache
def _tagger(path: str) -> Tagger:
    nn = network(Path(path).with_name(NN_FILE))  # the network beside the weights, if any
    if Path(path) != MODEL:
        return Tagger(Weights.read(Path(path)), nn)

    def build() -> dict:  # the CRF's tables only: the network is read from its own file
        return {k: v for k, v in vars(Tagger(Weights.read(MODEL))).items() if k not in _WORD_CACHE}

    tagger: Tagger = restore(Tagger, derived("ner-tagger", build))  # its tables: from the disk cache
    tagger.attach(nn)
    tagger.restarts = -1
    tagger._reset()
    return tagger


def model(path: Path = MODEL) -> Tagger:
    """The shipped tagger (loaded once)."""
    return _tagger(str(path))


@cache
def _exists(path: str) -> bool:
    return Path(path).exists()


def available(path: Path = MODEL) -> bool:
    return _exists(str(path))


def tag(words: list[str], path: Path = MODEL) -> list[str]:
    """BIO tags for one sentence with the shipped model."""
    return _tagger(str(path)).tag_many([words])[0]


def tag_flat(words: list[str], lengths: list[int], names: list[Name],
             path: Path = MODEL) -> list[str]:
    """BIO tags of sentences laid end to end, with their :func:`known_names`."""
    return _tagger(str(path)).tag_flat(words, lengths, names)


def tag_many(sentences: list[list[str]], path: Path = MODEL,
             names: list[Name] | None = None) -> list[list[str]]:
    """BIO tags for several sentences (one pass: faster than one call a sentence); ``names``:
    their :func:`known_names` when the caller has them."""
    return _tagger(str(path)).tag_many(sentences, names)


def train(sentences: Sequence[tuple[list[str], list[str]]], path: Path, c1: float = 0.05,
          c2: float = 0.02, iterations: int = 150) -> None:
    """Fit the CRF on ``(words, tags)`` pairs (deterministic: L-BFGS, fixed order); save weights."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for words, tags in sentences:
        trainer.append(sentence_features(words), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        crf = Path(tmp) / "ner.crfsuite"
        trainer.train(str(crf))
        Weights.from_crfsuite(crf).save(path)
    _tagger.cache_clear()
    _exists.cache_clear()
