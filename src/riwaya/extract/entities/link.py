"""Linking: mentions into entities within an article, and entities across articles.

Within an article: known names take the alias/gazetteer id; other names get an id from a loose
key of the name (so spelling variants meet); a surname (``كيري``) binds to the one full name
seen before it that ends with it, and stays its own entity when two earlier people share it;
a title (``الوزير الأميركي``) binds to the person it last introduced. Across articles (and
across scripts inside one) entities merge on equal or near-equal loose keys and on consonant
skeletons (``باولو جنتيلوني`` ~ ``Paolo Gentiloni``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from riwaya.extract.entities.gazetteer import Entry, load, name_keys
from riwaya.extract.entities.translit import is_latin, same_name
from riwaya.model import Analysis, Entity, Mention
from riwaya.text.normalize import fold

_NON_LETTER = re.compile(r"[^\w]|_|\d")
_name_keys = lru_cache(maxsize=65_536)(name_keys)  # names recur from article to article


@lru_cache(maxsize=65_536)
def loose_name(text: str) -> str:
    """A spelling-tolerant key of a whole name: folded, no spaces, no inner long vowels."""
    s = _NON_LETTER.sub("", fold(text))
    if s.isascii() or len(s) <= 3:
        return s
    return s[0] + s[1:].replace("ا", "").replace("و", "").replace("ي", "")


def new_entity(mention: Mention, entry: Entry | None, subtype: str | None) -> Entity:
    if entry is not None:
        return Entity(entry.id, entry.type, entry.name_ar or None, entry.name_en or None,  # type: ignore[arg-type]
                      entry.subtype or subtype)
    ident = f"{mention.type}:{loose_name(mention.text)}"
    return Entity(ident, mention.type, subtype=subtype)


def link_article(recognised: list[tuple[Mention, Entry | None, str | None]]) -> list[Entity]:
    """Give every mention an entity id; return the article's entities in first-mention order."""
    entities: dict[str, Entity] = {}
    people: list[tuple[str, tuple[str, ...]]] = []  # (entity id, name keys) of full names, in order
    for m, entry, sub in recognised:
        # name keys only serve people (surnames), and their type is the entry's or the mention's
        person = (m.type if entry is None else entry.type) == "PERS"
        keys = _name_keys(m.text) if person else ()
        ent = None
        if entry is None and m.type == "PERS":
            owners = _owners(keys, people)
            if len(owners) == 1:
                ent = entities[owners[0]]
                m.how = "surname"
            elif len(owners) > 1:
                m.how = "surname-ambiguous"  # two earlier people share it: left unlinked
        if ent is None:
            ident = entry.id if entry is not None else f"{m.type}:{loose_name(m.text)}"
            ent = entities.get(ident)
            if ent is None:
                ent = entities[ident] = new_entity(m, entry, sub)
        _attach(ent, m)
        if ent.type == "PERS" and len(keys) > 1:
            people.append((ent.id, keys))
    return list(entities.values())


def _owners(keys: tuple[str, ...], people: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Earlier people whose full name ends with (or starts with a first name equal to) ``keys``."""
    out: list[str] = []
    for ident, full in people:
        if len(full) > len(keys) and full[-len(keys):] == keys and ident not in out:
            out.append(ident)
    return out


def _attach(ent: Entity, m: Mention) -> None:
    m.entity = ent.id
    ent.mentions.append(m)
    if m.text not in ent.names:
        ent.names.append(m.text)
    if m.how in ("surname", "title", "surname-ambiguous"):
        return
    if is_latin(m.text):
        if not ent.name_en or (ent.id not in load().entries and len(m.text) > len(ent.name_en)):
            ent.name_en = m.text
    elif not ent.name_ar or (ent.id not in load().entries and len(m.text) > len(ent.name_ar)):
        ent.name_ar = m.text


# --------------------------------------------------------------------------- merging
@dataclass(slots=True)
class _Profile:
    """What merging compares of one entity, computed once: its full names and their keys."""

    type: str
    known: bool
    names: list[str]
    loose: list[str]
    latin: list[bool]
    exact: frozenset[str]  # loose keys of three letters or more: equal ones name the same thing
    long: list[tuple[str, bool]]  # (loose key, Latin?) of six letters or more: compared fuzzily


def _profile(e: Entity, known: dict) -> _Profile:
    names = _full_names(e)
    loose = list(map(loose_name, names))
    latin = list(map(is_latin, names))
    return _Profile(e.type, e.id in known, names, loose, latin,
                    frozenset([x for x in loose if len(x) >= 3]),
                    [(x, lat) for x, lat in zip(loose, latin, strict=True) if len(x) >= 6])


def _similar(a: _Profile, b: _Profile) -> bool:
    """Do two entities without a known id name the same thing?

    Some pair of their names has equal loose keys (three letters or more), or near-equal ones in
    one script (six letters or more, ratio >= 90), or, for people, the same consonant skeleton
    across scripts.
    """
    if a.type != b.type or (a.known and b.known):
        return False
    if not a.exact.isdisjoint(b.exact):
        return True
    for lx, latx in a.long:
        for ly, laty in b.long:
            if latx == laty and 200 * min(len(lx), len(ly)) >= 90 * (len(lx) + len(ly)) \
                    and fuzz.ratio(lx, ly) >= 90:  # the length test only skips hopeless pairs
                return True
    if a.type == "PERS" and (False in a.latin or False in b.latin) and (True in a.latin or True in b.latin):
        for x, latx in zip(a.names, a.latin, strict=True):
            for y, laty in zip(b.names, b.latin, strict=True):
                if latx != laty and same_name(x, y):
                    return True
    return False


def _full_names(e: Entity) -> list[str]:
    names = [m.text for m in e.mentions if m.how not in ("surname", "title", "surname-ambiguous")]
    names += [n for n in (e.name_ar, e.name_en) if n]
    return list(dict.fromkeys(names)) or list(e.names)


def merge(groups: list[list[Entity]]) -> dict[str, str]:
    """Union entities (from one or several articles) that name one thing: old id → new id."""
    flat = [e for g in groups for e in g]
    parent = list(range(len(flat)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_id: dict[str, int] = {}
    for i, e in enumerate(flat):
        if e.id in by_id:
            parent[find(i)] = find(by_id[e.id])
        else:
            by_id[e.id] = i
    uniq = list(by_id.values())
    known = load().entries
    by_type: dict[str, list[int]] = {}
    for i in uniq:
        by_type.setdefault(flat[i].type, []).append(i)
    # profiles where a pair may merge (two known entities never do) and of every person
    prof = {i: _profile(flat[i], known) for typ, same in by_type.items()
            if typ == "PERS" or (len(same) > 1 and any(flat[i].id not in known for i in same))
            for i in same}
    joined = len(uniq) < len(flat)  # some entities already share a root
    for same in by_type.values():  # only entities of one type can merge
        if same[0] not in prof:
            continue
        group = [prof[i] for i in same]
        for x, pi in enumerate(group):
            i = same[x]
            for y in range(x + 1, len(group)):
                pj = group[y]
                if pi.known and pj.known:
                    continue  # two known entities stay apart
                j = same[y]
                if joined and find(i) == find(j):
                    continue
                if _similar(pi, pj):
                    parent[find(j)] = find(i)
                    joined = True
    # surnames alone elsewhere: bind to the one person whose full name ends with them
    keys = {i: [_name_keys(n) for n in prof[i].names] for i in by_type.get("PERS", [])}
    people = [(flat[i].id, k) for i in by_type.get("PERS", []) for k in keys[i] if len(k) > 1]
    for i in by_type.get("PERS", []):
        e = flat[i]
        if e.id in known or any(len(k) > 1 for k in keys[i]):
            continue
        owners = {find(by_id[o]) for o in _owners(keys[i][0], people)}
        if len(owners) == 1:
            parent[find(i)] = owners.pop()
    members: dict[int, list[int]] = {}
    for i in range(len(flat)):
        members.setdefault(find(i), []).append(i)
    rename: dict[str, str] = {}
    for idx in members.values():
        if len(idx) == 1:  # on its own: keeps its id
            alone = flat[idx[0]].id
            rename[alone] = alone
            continue
        ids = [flat[i].id for i in idx]
        best = next((x for x in ids if x in known), None)
        if best is None:
            top = max(idx, key=lambda i: (max((len(n) for n in _full_names(flat[i])), default=0),
                                          flat[i].id))
            best = flat[top].id
        for member in ids:
            rename[member] = best
    return rename


def apply(analysis: Analysis, rename: dict[str, str]) -> None:
    """Rename entity ids in an analysis (entities, mentions, claims, sources), merging duplicates."""
    merged: dict[str, Entity] = {}
    for e in analysis.entities:
        new = rename.get(e.id, e.id)
        if new in merged:
            target = merged[new]
            target.mentions.extend(e.mentions)
            target.names.extend(n for n in e.names if n not in target.names)
            target.name_ar = target.name_ar or e.name_ar
            target.name_en = target.name_en or e.name_en
            target.subtype = target.subtype or e.subtype
        else:
            e.id = new
            merged[new] = e
    for e in merged.values():
        e.mentions.sort(key=lambda m: m.start)
    analysis.entities = list(merged.values())
    for m in analysis.mentions:
        if m.entity:
            m.entity = rename.get(m.entity, m.entity)
    for c in analysis.claims:
        c.entities = list(dict.fromkeys(rename.get(x, x) for x in c.entities))
        for s in c.chain:
            s.entity = rename.get(s.entity, s.entity) if s.entity else s.entity
    for q in analysis.quotes:
        for s in q.chain:
            s.entity = rename.get(s.entity, s.entity) if s.entity else s.entity
