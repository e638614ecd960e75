"""A small BiLSTM tagger whose label scores are added to the CRF's before Viterbi.

Why: the CRF (:mod:`riwaya.extract.entities.tagger`) sees a fixed ±2 window of sparse features;
a recurrent layer reads the whole sentence, and pretrained word vectors (the shipped
``stance_vectors``, trained on SaudiNewsNet) say something of words never seen in training.

Input of a token: its key's word vector (frozen), a learned embedding of its key (keys seen
twice or more in training), a character CNN over its folded word, and a sum of embeddings of
some of the CRF's own features (shape, frequency, clitics, trigger, clusters, affixes) and of
its gazetteer tag. One BiLSTM layer, then a linear layer to the BIO labels (trained with
softmax cross-entropy; :func:`train` needs PyTorch, the ``train`` extra).

Running needs numpy only (``weights/ner_nn.npz``, no pickle). Everything before the recurrence
depends on the word alone but for the gazetteer tag, so each distinct word's input projection
(both directions) is computed once and cached by the CRF tagger's word row; the gazetteer's
share is added per token; the recurrence runs over all the sentences of a batch side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from riwaya.errors import RiwayaError
from riwaya.resources import WEIGHTS_DIR, derived, restore

MODEL = WEIGHTS_DIR / "ner_nn.npz"
VECTORS_FILE = "stance_vectors.npz"  # riwaya.models.wordvectors' file, read when training only
MAX_RUN = 400  # a longer sentence is left to the CRF (no dev sentence is longer; training
# read pieces of 80 tokens, and the recurrence's steps are Python steps)
MAX_CHARS = 16  # characters of a word the CNN reads (the first 8 and the last 8 of a longer one)
BAG = ("sh=", "fq=", "pre=", "suf=", "trig=", "ctx", "punct", "al", "cl", "c0=", "c1=", "e2=",
       "e3=", "k2=", "len=")  # which of the CRF's own features go into the bag


def bag_features(own: Sequence[str]) -> list[str]:
    """The CRF's own features of a word (``tagger._word_features``) that the network reads."""
    return [f for f in own if f.startswith(BAG)]


def chars_of(word: str) -> str:
    """The characters the CNN reads: the folded word (``w=`` feature), ends kept when long."""
    return word if len(word) <= MAX_CHARS else word[:MAX_CHARS // 2] + word[-MAX_CHARS // 2:]


def _find(table: np.ndarray, items: Sequence[str]) -> np.ndarray:
    """Index of each item in a sorted string array, or -1. Items longer than the table's longest
    string cannot be in it (and are not cast: a 40,000-letter word would widen the whole table)."""
    width = table.dtype.itemsize // 4 if table.dtype.kind == "U" else 0
    if not len(table) or not items:
        return np.full(len(items), -1, dtype=np.intp)
    fits = np.array([len(x) <= width for x in items])
    arr = np.array([x if ok else "" for x, ok in zip(items, fits.tolist(), strict=True)],
                   dtype=table.dtype)
    at = np.minimum(np.searchsorted(table, arr), len(table) - 1)
    return np.where(fits & (table[at] == arr), at, -1)


def _unit(q: np.ndarray) -> np.ndarray:
    """Unit rows of int8-quantised word vectors (as :func:`riwaya.models.wordvectors.vectors`)."""
    f = q.astype(np.float32)
    return f / np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-6)


class Network:
    """The trained network's weights and numpy forward pass (module doc)."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        # string tables are sorted arrays (looked up by binary search: no dict to build at load)
        self.labels = a["labels"].tolist()
        self.keys, self.feats, self.vec_keys = a["keys"], a["feats"], a["vec_keys"]
        self.chars = {c: i + 1 for i, c in enumerate(str(a["chars"]))}  # 0: padding, 1..: known
        self.gaz = {g: i + 1 for i, g in enumerate(a["gaz"].tolist())}
        self.weight = float(a["weight"])
        self.vec = a["vec"]  # int8, rows of vec_keys
        self.wemb, self.bag = a["wemb"], a["bag"]  # float16; row 0: unknown / none
        f32 = np.float32
        self.cemb = a["cemb"].astype(f32)
        self.conv_w, self.conv_b = a["conv_w"].astype(f32), a["conv_b"].astype(f32)  # (out, in, 3)
        self.w_ih = a["w_ih"].astype(f32)  # (2, 4h, input)
        self.b = a["b"].astype(f32)  # (2, 4h): both biases
        self.w_hh = a["w_hh"].astype(f32)  # (2, 4h, h)
        self.out_w, self.out_b = a["out_w"].astype(f32), a["out_b"].astype(f32)
        self.hidden = self.w_hh.shape[2]
        self.vec_dims = self.vec.shape[1]
        # the gazetteer tags' share of the input projection, per direction
        self.gaz_proj = np.matmul(self.bag[len(self.feats) + 1:].astype(f32),
                                  self.w_ih[:, :, -self.bag.shape[1]:].transpose(0, 2, 1))
        self.gaz_proj[:, 0] = 0.0  # no gazetteer tag

    def project(self, infos: Sequence[tuple[tuple[str, ...], str]]) -> np.ndarray:
        """Input projections (2, words, 4h) of words given as (their own CRF features, key)."""
        n = len(infos)
        x = np.zeros((n, self.w_ih.shape[2]), dtype=np.float32)
        keys = [k for _, k in infos]
        d0 = self.vec_dims
        idx = _find(self.vec_keys, keys)
        rows = np.flatnonzero(idx >= 0)
        x[rows, :d0] = _unit(self.vec[idx[rows]])
        d1 = d0 + self.wemb.shape[1]
        x[:, d1 - self.wemb.shape[1]:d1] = self.wemb[_find(self.keys, keys) + 1]
        d2 = d1 + self.conv_w.shape[0]
        x[:, d1:d2] = self._chars([chars_of(own[0][2:]) for own, _ in infos])
        bags = [bag_features(own) for own, _ in infos]
        sizes = np.array([len(fs) for fs in bags], dtype=np.intp)
        has = np.flatnonzero(sizes)
        if len(has):  # each word's rows summed: one reduceat over the words that have some
            ids = _find(self.feats, [f for fs in bags for f in fs]) + 1  # 0: the zero row
            starts = (np.cumsum(sizes) - sizes)[has]
            x[has, d2:] = np.add.reduceat(self.bag[ids].astype(np.float32), starts, axis=0)
        return np.matmul(x, self.w_ih.transpose(0, 2, 1)) + self.b[:, None, :]

    def _chars(self, words: list[str]) -> np.ndarray:
        """Character CNN: embeddings, convolution of width 3, ReLU, max over the word."""
        longest = max((len(w) for w in words), default=1) or 1
        ids = np.zeros((len(words), longest + 2), dtype=np.intp)  # one padding either side
        for i, w in enumerate(words):
            ids[i, 1:len(w) + 1] = [self.chars.get(c, 0) for c in w]
        e = self.cemb[ids]  # (n, L+2, c)
        windows = np.concatenate([e[:, :-2], e[:, 1:-1], e[:, 2:]], axis=2)  # (n, L, 3c)
        w = self.conv_w.transpose(2, 1, 0).reshape(-1, self.conv_w.shape[0])  # (3c, out)
        h = np.maximum(windows @ w + self.conv_b, 0.0)
        h[ids[:, 1:-1] == 0] = 0.0  # padding and unknown characters, as in training (ReLU ≥ 0)
        return h.max(axis=1)

    def log_probs(self, proj: np.ndarray, gaz: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """Log label probabilities (tokens × labels) of sentences laid end to end.

        ``proj``: (2, tokens, 4h) input projections of the tokens' words; ``gaz``: each token's
        gazetteer tag number (0: none)."""
        if any(n > MAX_RUN for n in lengths):  # not prose (a table, 40,000 dashes): the CRF alone
            ok = np.repeat(np.array([n <= MAX_RUN for n in lengths]), lengths)
            out = np.zeros((len(ok), len(self.labels)), dtype=np.float32)  # 0: no say in Viterbi
            out[ok] = self.log_probs(proj[:, ok], gaz[ok], [n for n in lengths if n <= MAX_RUN])
            return out
        x = proj + self.gaz_proj[:, gaz]
        total = x.shape[1]
        lens = np.array(lengths, dtype=np.intp)
        starts = np.cumsum(lens) - lens
        order = np.argsort(-lens, kind="stable")
        h = self.hidden
        # σ(v) = (tanh(v/2) + 1) / 2: the input, forget and output gates' pre-activations are
        # halved (exactly: a power of two), so one tanh over all four gates serves them all
        half = np.ones(4 * h, dtype=np.float32)
        half[:2 * h] = half[3 * h:] = 0.5
        x = x * half
        states = np.zeros((2, total, h), dtype=np.float32)
        srt = lens[order]
        for z in (0, 1):
            hs = np.zeros((len(lens), h), dtype=np.float32)
            cs = np.zeros_like(hs)
            w_hh = self.w_hh[z].T * half
            for t in range(int(srt[0]) if len(srt) else 0):
                m = int(np.searchsorted(-srt, -t, side="left"))  # sentences longer than t
                sel = order[:m]
                pos = starts[sel] + (t if z == 0 else lens[sel] - 1 - t)
                a = np.tanh(x[z, pos] + hs[:m] @ w_hh)
                gates = 0.5 * (a + 1.0)  # (the c block's column of these is unused)
                cs[:m] = gates[:, h:2 * h] * cs[:m] + gates[:, :h] * a[:, 2 * h:3 * h]
                hs[:m] = gates[:, 3 * h:] * np.tanh(cs[:m])
                states[z, pos] = hs[:m]
        logits = np.concatenate([states[0], states[1]], axis=1) @ self.out_w.T + self.out_b
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


@cache
def _network(path: str) -> Network | None:
    p = Path(path)
    if not p.exists():
        return None
    if p != MODEL:
        return Network(p)
    # the shipped one's arrays from the disk cache of derived tables (no inflating of the npz)
    return restore(Network, derived("ner-network", lambda: dict(vars(Network(MODEL)))))


def network(path: Path = MODEL) -> Network | None:
    """The shipped network (loaded once), or None without its file."""
    return _network(str(path))


# --------------------------------------------------------------------------- training
def train(sentences: Sequence[tuple[list[str], list[str]]], path: Path, *, weight: float,
          epochs: int = 12, seed: int = 1, hidden: int = 64, chunk: int = 80,
          snapshots: Sequence[int] = (), target: Sequence[bool] | None = None) -> dict:
    """Fit the network on ``(words, tags)`` pairs and save it (deterministic: fixed seeds, one
    thread, a fixed batch order); ``weight``: how much its log-probabilities count against the
    CRF's scores when the two are added; ``snapshots``: epochs after which a copy is also saved
    (``ner_nn.e8.npz``: for choosing the number of epochs); ``target``: per sentence, is it of the
    annotation conventions wanted (ANERcorp's)? Those get one more input feature, and so does
    every token at run time (folded into the LSTM's bias when saved): the network learns what
    differs in the other set's conventions without taking it for the wanted ones."""
    from importlib.util import find_spec

    if find_spec("torch") is None:
        raise RiwayaError("training the NER network needs torch: pip install 'riwaya[train]'")
    import torch
    from torch import nn

    from riwaya.extract.entities.tagger import _word_features, gazetteer_tags

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    labels = sorted({t for _, tags in sentences for t in tags}, key=lambda t: (t != "O", t[2:], t))
    lab = {t: i for i, t in enumerate(labels)}
    infos = {w: _word_features(w) for ws, _ in sentences for w in ws}
    key_count = Counter(infos[w][2][2:] for ws, _ in sentences for w in ws)
    keys = sorted(k for k, c in key_count.items() if c >= 2)
    feat_count = Counter(f for ws, _ in sentences for w in ws for f in bag_features(infos[w][0]))
    feats = sorted(f for f, c in feat_count.items() if c >= 2)
    char_count = Counter(c for w, x in infos.items() for c in chars_of(x[0][0][2:]))
    chars = "".join(sorted(c for c, n in char_count.items() if n >= 2 and c != "\n"))
    gaz_tags: list[list[str]] = []
    for ws, _ in sentences:
        ks = [infos[w][2][2:] for w in ws]
        gaz_tags.append(gazetteer_tags(ks, ws))
    gaz = sorted({g for gs in gaz_tags for g in gs if g})
    kid = {k: i + 1 for i, k in enumerate(keys)}
    fid = {f: i + 1 for i, f in enumerate(feats)}
    gid = {g: len(feats) + 1 + i + 1 for i, g in enumerate(gaz)}  # gazetteer tags after the features
    cid = {c: i + 1 for i, c in enumerate(chars)}
    with np.load(WEIGHTS_DIR / VECTORS_FILE, allow_pickle=False) as z:  # copied into the file
        order = np.argsort(z["words"], kind="stable")
        vec_keys, vec_q = z["words"][order].tolist(), z["vectors"][order]
    vec_index = {k: i for i, k in enumerate(vec_keys)}
    vmat = np.vstack([np.zeros((1, vec_q.shape[1]), dtype=np.float32), _unit(vec_q)])
    words = sorted(infos)
    wix = {w: i for i, w in enumerate(words)}
    n_bag = max((len(bag_features(infos[w][0])) for w in words), default=1)
    w_vec = np.array([vec_index.get(infos[w][2][2:], -1) + 1 for w in words])
    w_key = np.array([kid.get(infos[w][2][2:], 0) for w in words])
    w_chr = np.zeros((len(words), MAX_CHARS), dtype=np.int64)
    w_bag = np.zeros((len(words), n_bag + 2), dtype=np.int64)  # + the gazetteer tag, the target flag
    for i, w in enumerate(words):
        cs = chars_of(infos[w][0][0][2:])
        w_chr[i, :len(cs)] = [cid.get(c, 0) for c in cs]
        ids = [fid[f] for f in bag_features(infos[w][0]) if f in fid]
        w_bag[i, :len(ids)] = ids
    # training pieces: sentences cut into chunks of at most ``chunk`` tokens
    flag = len(feats) + 1  # the bag row of the target flag (gazetteer tags come after it)
    flags = [True] * len(sentences) if target is None else list(target)
    pieces = []
    for (ws, tags), gs, wanted in zip(sentences, gaz_tags, flags, strict=True):
        for a in range(0, len(ws), chunk):
            pieces.append((np.array([wix[w] for w in ws[a:a + chunk]]),
                           np.array([gid.get(g, 0) for g in gs[a:a + chunk]]),
                           np.array([lab[t] for t in tags[a:a + chunk]]), flag if wanted else 0))
    dims = vmat.shape[1]

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.vec = nn.Embedding.from_pretrained(torch.from_numpy(vmat), freeze=True)
            self.wemb = nn.Embedding(len(keys) + 1, 32, padding_idx=0)
            self.cemb = nn.Embedding(len(chars) + 1, 24, padding_idx=0)
            self.conv = nn.Conv1d(24, 48, 3, padding=1)
            self.bag = nn.Embedding(len(feats) + len(gaz) + 2, 48, padding_idx=0)
            self.lstm = nn.LSTM(dims + 32 + 48 + 48, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, len(labels))
            self.drop = nn.Dropout(0.5)

        def forward(self, wv, wk, wc, wb, lens):
            b, n = wv.shape
            ch = self.cemb(wc.view(b * n, -1)).transpose(1, 2)  # (bn, 24, chars)
            h = torch.relu(self.conv(ch))
            h = h.masked_fill((wc.view(b * n, -1) == 0).unsqueeze(1), 0.0)
            ch = h.max(dim=2).values.view(b, n, -1)
            x = torch.cat([self.vec(wv), self.wemb(wk), ch, self.bag(wb).sum(dim=2)], dim=2)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            y, _ = self.lstm(packed)
            y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=n)
            return self.out(self.drop(y))

    net = Net()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=2e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    batch = 16
    t_vec, t_key = torch.from_numpy(w_vec), torch.from_numpy(w_key)
    t_chr, t_bag = torch.from_numpy(w_chr), torch.from_numpy(w_bag)
    losses = []
    for _ in range(epochs):
        net.train()
        order = rng.permutation(len(pieces))
        total = 0.0
        for s in range(0, len(order), batch):
            group = [pieces[i] for i in order[s:s + batch]]
            n = max(len(p[0]) for p in group)
            wi = torch.zeros((len(group), n), dtype=torch.long)
            gz = torch.zeros((len(group), n), dtype=torch.long)
            y = torch.full((len(group), n), -1, dtype=torch.long)
            fl = torch.tensor([p[3] for p in group]).view(-1, 1)
            for j, (a, g, t, _) in enumerate(group):
                wi[j, :len(a)] = torch.from_numpy(a)
                gz[j, :len(a)] = torch.from_numpy(g)
                y[j, :len(a)] = torch.from_numpy(t)
            wb = t_bag[wi].clone()
            wb[:, :, -2] = gz
            wb[:, :, -1] = fl
            lens = torch.tensor([len(p[0]) for p in group])
            logits = net(t_vec[wi], t_key[wi], t_chr[wi], wb, lens)
            loss = loss_fn(logits.reshape(-1, len(labels)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach()) * len(group)
        losses.append(round(total / len(pieces), 4))
        if len(losses) in snapshots:
            _save(net, path.with_suffix(f".e{len(losses)}.npz"), labels, keys, chars, feats, gaz, weight,
                  vec_keys, vec_q)
    _save(net, path, labels, keys, chars, feats, gaz, weight, vec_keys, vec_q)
    _network.cache_clear()
    return {"nn_losses": losses, "nn_keys": len(keys), "nn_feats": len(feats)}


def _save(net: object, path: Path, labels: list[str], keys: list[str], chars: str, feats: list[str],
          gaz: list[str], weight: float, vec_keys: list[str], vec_q: np.ndarray) -> None:
    """The network's weights as numpy arrays (embeddings of keys and features in float16)."""
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}  # type: ignore[attr-defined]
    flag = sd["bag.weight"][len(feats) + 1]  # every token is of the wanted conventions
    w_ih = np.stack([sd["lstm.weight_ih_l0"], sd["lstm.weight_ih_l0_reverse"]])
    f16 = np.float16
    arrays = {
        "labels": np.array(labels), "keys": np.array(keys), "chars": np.array(chars),
        "feats": np.array(feats), "gaz": np.array(gaz), "weight": np.array(weight),
        "vec_keys": np.array(vec_keys), "vec": vec_q,
        "wemb": sd["wemb.weight"].astype(f16),
        "cemb": sd["cemb.weight"], "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"],
        "bag": sd["bag.weight"].astype(f16),
        "w_ih": w_ih,
        "w_hh": np.stack([sd["lstm.weight_hh_l0"], sd["lstm.weight_hh_l0_reverse"]]),
        "b": np.stack([sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                       sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]])
        + w_ih[:, :, -len(flag):] @ flag,
        "out_w": sd["out.weight"], "out_b": sd["out.bias"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrays)
