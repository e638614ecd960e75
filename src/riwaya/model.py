"""The data model: the one contract between pipeline stages.

Every annotation is a half-open character span ``(start, end)`` into ``Article.text``; the text
itself is never rewritten. Stages add annotations to an :class:`Analysis`; the compare stage
turns several analyses into a :class:`Comparison`. ``to_dict`` turns any of these into plain
JSON-ready data.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Literal

SCHEMA_VERSION = "2.1"

EntityType = Literal["PERS", "LOC", "ORG", "MISC"]
SourceKind = Literal["named_person", "organization", "media", "anonymous", "unattributed"]
CueKind = Literal["negation", "hedge", "ruling_out", "future", "reported"]
FindingKind = Literal[
    "contradiction", "agreement", "unique", "numeric_discrepancy", "date_discrepancy",
    "sourcing_contrast", "naming", "timing",
]
# An outlet's position on a matter: it reports the matter as so, as planned or coming, denies or
# rules it out, reports it with reservations, or only relays that others report it.
PositionKind = Literal["asserts", "anticipates", "denies", "hedges", "relays"]
# riwaya never rules on truth: disputes stay "unresolved" (the JSON schema lists the same values)
FindingStatus = Literal["unresolved", "agreed", "consistent", "framing", "single_source"]
TokenKind = Literal["word", "number", "percent", "url", "hashtag", "mention", "punct", "symbol"]
QuantityKind = Literal["count", "percent", "money", "ordinal", "vague"]
Qualifier = Literal["more_than", "less_than", "about", "up_to", "only"]
Granularity = Literal["day", "week", "month", "year", "time"]
Tense = Literal["past", "future"]
Polarity = Literal["positive", "negative"]
Modality = Literal["asserted", "future", "hedged", "ruled_out", "reported"]


# --------------------------------------------------------------------------- ingest
@dataclass(slots=True)
class Article:
    """One news article exactly as published, with what is known about it."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None  # the outlet, e.g. "aljazeera"
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    credits: str | None = None  # a trailing line such as "المصدر : الجزيرة + وكالات"
    language: str | None = None
    origin: str | None = None  # where it was read from: a path, "<stdin>", a URL, "file.jsonl:12"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def outlet(self) -> str:
        """The outlet as every view names it (see :func:`outlet_name`)."""
        return outlet_name(self.source, self.credits, self.origin, self.id)


_CREDITS_LABEL = re.compile(r"^\s*(?:المصدر|المصادر|مصدر|Sources?)\s*[:：]\s*", re.I)


def outlet_name(source: str | None, credits: str | None, origin: str | None, article_id: str) -> str:
    """A short name for an article's outlet: its source, else its credits line without its
    label (``المصدر : الجزيرة + وكالات`` → ``الجزيرة + وكالات``), else the file it was read
    from, else its id. Comparisons, reports and the workspace all name outlets by it."""
    if source:
        return source
    if credits:
        name = _CREDITS_LABEL.sub("", credits).strip()
        if name:
            return name[:40]
    if origin and origin not in ("-", "<stdin>"):
        return PurePath(origin.split(":", 1)[0]).stem[:40]
    return article_id


LABEL_CHARS = 80


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` on one line, cut at the last word boundary within ``limit`` characters with an
    ellipsis, never mid-word (a single word longer than ``limit`` is cut and marked)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ،,؛;:-–—") + "…"


def story_label(articles: list[Article]) -> str:
    """A story's label: the title of the first of its articles that has one (the headline the
    outlet gave it), else the first line of the first article's text, shortened at a word
    boundary (:func:`shorten`). The store, the workspace and the web app label stories by it."""
    for article in articles:
        if article.title and article.title.strip():
            return shorten(article.title)
    for article in articles:
        first = next((line for line in article.text.splitlines() if line.strip()), "")
        if first:
            return shorten(first)
    return ""


# --------------------------------------------------------------------------- text
@dataclass(slots=True)
class Token:
    start: int
    end: int
    kind: TokenKind
    key: str  # matching key: normalised, clitics stripped (the displayed text is never rewritten)
    stem: str = ""  # a coarser lemma/stem key
    prefix: str = ""  # proclitics split off, e.g. "وب"
    suffix: str = ""  # enclitics split off, e.g. "ها"


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    token_start: int  # index of the first token in Document.tokens
    token_end: int  # one past the last
    content: bool = True  # False for boilerplate (share prompts, sign-offs, "read also", credits)


@dataclass(slots=True)
class Segment:
    """A stretch of one language, e.g. an English photo caption in an Arabic article."""

    start: int
    end: int
    lang: str  # ISO 639-1: "ar", "en", "fr", ...


@dataclass(slots=True)
class Document:
    """An article's text layer: sentences, tokens and language segments as spans."""

    article: Article
    sentences: list[Sentence]
    tokens: list[Token]
    segments: list[Segment]
    # page furniture inside content sentences (a site name, a menu, a dateline glued to a
    # headline): spans no claim reads, though the text stays as published
    furniture: list[tuple[int, int]] = field(default_factory=list)
    # A very long text is analysed up to this character only (bounded work per article);
    # None: the whole text.
    analysed_to: int | None = None

    @property
    def text(self) -> str:
        return self.article.text

    def span_text(self, start: int, end: int) -> str:
        return self.article.text[start:end]

    def sentence_tokens(self, i: int) -> list[Token]:
        s = self.sentences[i]
        return self.tokens[s.token_start:s.token_end]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing character ``offset``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return None


# --------------------------------------------------------------------------- extract
@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: EntityType
    entity: str | None = None  # Entity.id
    sentence: int | None = None
    how: str = ""  # gazetteer | alias | tagger | surname | title | ...


@dataclass(slots=True)
class Entity:
    """One person, organisation, place or thing, however many names it goes by."""

    id: str  # stable across articles for known entities, e.g. "Q:kerry" or "LOC:ليبيا"
    type: EntityType
    name_ar: str | None = None
    name_en: str | None = None
    subtype: str | None = None  # media | armed_group | ministry | country | city | base | ...
    names: list[str] = field(default_factory=list)  # surface forms seen
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    """One link in a sourcing chain: who a statement is attributed to."""

    kind: SourceKind
    text: str = ""
    start: int | None = None
    end: int | None = None
    entity: str | None = None
    role: str | None = None  # e.g. "journalist", "minister", "newspaper"


@dataclass(slots=True)
class Quote:
    """A reported statement: speaker, reporting cue and content, direct or indirect."""

    start: int
    end: int
    content_start: int
    content_end: int
    cue_start: int | None = None
    cue_end: int | None = None
    cue: str = ""  # the reporting verb's lemma, e.g. "قال", "نفى", "according to"
    direct: bool = False
    chain: list[Source] = field(default_factory=list)  # outermost first; the last is ultimate
    inherited: bool = False  # continues a source named earlier ("وأفادت ذات المصادر")
    sentence: int | None = None

    @property
    def source(self) -> Source:
        return self.chain[-1] if self.chain else Source("unattributed")


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | None  # None for vague amounts ("عشرات")
    unit: str | None = None  # the counted noun or currency, e.g. "جندي", "USD", "%"
    kind: QuantityKind = "count"
    approximate: bool = False
    qualifier: Qualifier | None = None
    sentence: int | None = None


@dataclass(slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: str | None  # ISO date (2016-02-02), month (2016-02) or year (2017); None if unresolved
    granularity: Granularity = "day"
    relative: bool = False
    anchor: str | None = None  # the publication date it was resolved against
    tense: Tense | None = None
    sentence: int | None = None


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    kind: CueKind
    text: str = ""
    scope_start: int | None = None
    scope_end: int | None = None
    sentence: int | None = None


@dataclass(slots=True)
class Claim:
    """A checkable statement with its attribution and the annotations inside it."""

    id: str
    start: int
    end: int
    text: str
    sentence: int
    chain: list[Source] = field(default_factory=list)
    quote: int | None = None  # index into Analysis.quotes
    entities: list[str] = field(default_factory=list)
    quantities: list[int] = field(default_factory=list)
    dates: list[int] = field(default_factory=list)
    cues: list[int] = field(default_factory=list)
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    hedged: bool = False
    checkworthy: float | None = None

    @property
    def source(self) -> Source:
        return self.chain[-1] if self.chain else Source("unattributed")


@dataclass(slots=True)
class Dateline:
    """The publication day an undated article's URL (``/2017/11/19/``) or page header gives: the
    anchor its relative dates are resolved against, and its place in time for comparisons."""

    value: str  # ISO day
    source: str  # url | header
    start: int | None = None  # the header date's span in the text
    end: int | None = None


@dataclass(slots=True)
class Analysis:
    """Everything riwaya knows about one article."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    dateline: Dateline | None = None  # where the article carries no publication time

    @property
    def article(self) -> Article:
        return self.document.article

    @property
    def day(self) -> str | None:
        """The article's publication day (ISO): its own, else the one its URL or header gives."""
        if self.article.published is not None:
            return self.article.published.date().isoformat()
        return self.dateline.value if self.dateline else None


# --------------------------------------------------------------------------- compare
@dataclass(slots=True)
class Evidence:
    article: str  # Article.id
    start: int
    end: int
    text: str
    claim: str | None = None  # Claim.id


@dataclass(slots=True)
class Finding:
    id: str
    kind: FindingKind
    articles: list[str]
    evidence: list[Evidence]
    explanation_ar: str
    explanation_en: str
    confidence: float
    status: FindingStatus = "unresolved"  # riwaya never rules on truth: disputes stay unresolved
    details: dict[str, Any] = field(default_factory=dict)
    matter: str | None = None  # Matter.id: the matter this finding is the verdict or a note on


@dataclass(slots=True)
class Position:
    """One outlet's position on a matter, with the claims, sources, figures and dates it rests on."""

    article: str
    stance: PositionKind
    claims: list[str]  # Claim.id (or "s<N>" for a sentence standing in for a claim)
    sources: list[list[Source]] = field(default_factory=list)  # each claim's chain
    quantities: list[str] = field(default_factory=list)  # the figures as written
    dates: list[str] = field(default_factory=list)  # resolved dates (ISO) the claims give


@dataclass(slots=True)
class Matter:
    """What a story's claims are about (the intervention, the meeting, the strikes): the claims of
    every outlet that speak of it, each outlet's position, and the one verdict on it."""

    id: str
    label: str
    articles: list[str]
    positions: list[Position] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    verdict: str | None = None  # the kind of its verdict finding


@dataclass(slots=True)
class Story:
    id: str
    articles: list[str]
    confidence: float = 1.0
    label: str = ""


@dataclass(slots=True)
class SummarySentence:
    text_ar: str
    text_en: str
    findings: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class StoryComparison:
    story: Story
    findings: list[Finding] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    matters: list[Matter] = field(default_factory=list)


@dataclass(slots=True)
class Comparison:
    analyses: list[Analysis]
    stories: list[StoryComparison]
    set_aside: list[str] = field(default_factory=list)  # articles related to no other
    copies: list[list[str]] = field(default_factory=list)  # articles carrying one report, first kept


# --------------------------------------------------------------------------- serialisation
def to_dict(obj: Any) -> Any:
    """Plain JSON-ready data for any model object (dates as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj
