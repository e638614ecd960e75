"""``ner``: BIO tags over PERS/LOC/ORG/MISC for pre-tokenised sentences, with the shipped CRF and
the BiLSTM whose scores are added to its own (:mod:`riwaya.extract.entities.neural`)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import NamedTuple

from riwaya.errors import ModelMissingError, RiwayaError
from riwaya.extract.entities import conventions, neural, tagger
from riwaya.extract.entities.lexicon import triggers
from riwaya.extract.entities.memory import NameMemory
from riwaya.tasks.metrics import bio_spans, ner_interval, ner_scores
from riwaya.text.normalize import analyze

DATA = {"train": ["ner/anercorp-train.jsonl", "ner/newsfane-train.jsonl"],
        "dev": ["ner/anercorp-a.jsonl", "ner/newsfane-dev.jsonl"]}
KEY = "tags"
MODEL_FILE = "ner.npz"
TYPES = ("PERS", "LOC", "ORG", "MISC")
C1, C2, ITERATIONS = 0.02, 0.02, 150  # L-BFGS: L1 and L2 penalties, iterations
WINDOW = 10  # rows a name is remembered for (an article's length, about)
NN_WEIGHT, NN_EPOCHS, NN_SEED = 2.0, 12, 1  # the BiLSTM's share of the scores; its training
TARGET = "ner/anercorp-train.jsonl"  # the annotation conventions wanted (those of the scored sets)


def _words(row: dict) -> list[str]:
    tokens = row.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise RiwayaError(f"row {row.get('id')!r}: \"tokens\" must be a list of strings")
    return tokens


def predict(rows: list[dict], model: Path = tagger.MODEL) -> list[dict]:
    """One tag per given token for each row, with the shipped model only.

    Rows are read in order as running text (a data file holds an article's sentences one after
    another, with no mark where an article ends): a name found in one of the last
    :data:`WINDOW` rows is remembered, and a later untagged repeat of it, or of a person's
    surname, takes its type (:mod:`riwaya.extract.entities.memory`).
    """
    if not tagger.available(model):
        raise ModelMissingError(f"{model}: no NER model (run `riwaya train ner`)")
    memory = NameMemory(WINDOW, frozenset(triggers()))
    out = []
    for row in rows:
        words = _words(row)
        tags = _conventions(words, _repair(_outside(words, tagger.tag(words, model)))) if words else []
        out.append({"id": row["id"], KEY: recall(memory, words, tags)})
    return out


def _outside(words: list[str], tags: list[str]) -> list[str]:
    """Punctuation is no part of a name (``محمد ؟``): tokens without a letter or digit get O."""
    return [t if _LETTER.search(w) else "O" for w, t in zip(words, tags, strict=True)]


def _conventions(words: list[str], tags: list[str]) -> list[str]:
    """``tags`` with the names cut as the scored annotations cut them
    (:mod:`riwaya.extract.entities.conventions`)."""
    out = ["O"] * len(tags)
    for s0, s1, typ in conventions.apply(words, list(bio_spans(tags))):
        out[s0:s1] = ["B-" + typ] + ["I-" + typ] * (s1 - s0 - 1)
    return out


def recall(memory: NameMemory, words: list[str], tags: list[str]) -> list[str]:
    """``tags`` with the untagged repeats of remembered names filled in; the sentence's names
    are remembered in turn."""
    keys = [analyze(w)[0] for w in words]
    for s0, s1, typ in memory.recall(keys, [t != "O" for t in tags]):
        tags[s0:s1] = ["B-" + typ] + ["I-" + typ] * (s1 - s0 - 1)
    memory.remember(keys, sorted(bio_spans(tags)))
    return tags


def _repair(tags: list[str]) -> list[str]:
    """Valid BIO: an ``I-`` that continues nothing becomes ``B-``."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


class Tagged(NamedTuple):
    """A sentence's tokens and their BIO tags (types outside :data:`TYPES` read as ``O``)."""

    tokens: list[str]
    tags: list[str]


_PROCLITICS = frozenset("وفبلك")
_ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "ي", "نا", "ني", "كم"})
_STANDALONE_BEFORE = frozenset({"الذين", "اللذين", "هل", "ماذا"})  # هم after them is "they"
_NOT_NAMES = frozenset({"Subarea-Facility"})  # NewsFANE LOC type for parts of a building (المئذنة)
_ARABIC = re.compile(r"^[\u0621-\u064a]")
_LETTER = re.compile(r"\w")


def _tag(tag: str) -> str:
    return tag if tag[2:] in TYPES else "O"


def _read(path: Path) -> list[Tagged]:
    """``(tokens, tags)`` of a data file; NewsFANE rows (those with ``fine_tags``) are rejoined
    into words as written (:func:`_rejoin`), as ANERcorp and running text have them."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                tags = [_tag(t) for t in r["tags"]]
                if "fine_tags" in r:
                    tags = ["O" if t[2:] in _NOT_NAMES else g
                            for g, t in zip(tags, r["fine_tags"], strict=True)]
                    rows.append(Tagged(*_rejoin(r["tokens"], tags)))
                else:
                    rows.append(Tagged(r["tokens"], tags))
    return rows


def _rejoin(tokens: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    """NewsFANE's split clitics back on their words (``و قال`` → ``وقال``, ``فريق ه`` →
    ``فريقه``) and its ``ء`` quotes as ``"``: a proclitic takes the tag of the word after it
    (a B on the proclitic stays a B), an enclitic that of the word before it."""
    words: list[str] = []
    out: list[str] = []
    lead, lead_tag = "", "O"
    for i, (w, t) in enumerate(zip(tokens, tags, strict=True)):
        if w == "ء":
            w = '"'
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if w in _PROCLITICS and _ARABIC.match(nxt):
            if not lead:
                lead_tag = t
            lead += w
            continue
        if lead:
            if lead_tag.startswith("B-") and t[2:] == lead_tag[2:]:
                t = lead_tag
            elif lead[0] == "و" and t == "I-PERS":
                t = "B-PERS"  # two people joined by و are two names, as ANERcorp marks them
            w, lead = lead + w, ""
        elif (w in _ENCLITICS and words and _ARABIC.match(words[-1])
              and not (w == "هم" and words[-1] in _STANDALONE_BEFORE)):
            words[-1] += w
            continue
        words.append(w)
        out.append(t)
    return words, out


def train(data_dir: Path, out_dir: Path) -> dict:
    """Rebuild ``weights/ner.npz`` (the CRF: fixed order, L-BFGS) and ``weights/ner_nn.npz``
    (the BiLSTM: fixed seeds, one thread) from the train files, both deterministic; report their
    sha256 and the dev scores (micro-F1 with a 95% bootstrap interval)."""
    parts = [(p, _read(data_dir / p)) for p in DATA["train"]]
    train_rows = [s for _, rows in parts for s in rows]
    model = out_dir / MODEL_FILE
    tagger.train(train_rows, model, C1, C2, ITERATIONS)
    nn = model.with_name(tagger.NN_FILE)
    report: dict = neural.train(train_rows, nn, weight=NN_WEIGHT, epochs=NN_EPOCHS, seed=NN_SEED,
                                target=[p == TARGET for p, rows in parts for _ in rows])
    report.update({"model": str(model), "bytes": model.stat().st_size,
                   "sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
                   "nn_model": str(nn), "nn_bytes": nn.stat().st_size,
                   "nn_sha256": hashlib.sha256(nn.read_bytes()).hexdigest(),
                   "train_sentences": len(train_rows)})
    tagger._tagger.cache_clear()
    for p in DATA["dev"]:
        with open(data_dir / p, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        gold = [[_tag(t) for t in r["tags"]] for r in rows]
        pred = [r[KEY] for r in predict(rows, model)]
        report[p] = ner_scores(gold, pred)
        report[p]["micro_f1_interval_95"] = ner_interval(gold, pred)
    return report
